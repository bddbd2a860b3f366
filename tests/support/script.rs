//! Loopback servers that follow a script on each connection, in clear or over TLS (rustls on the server side), for what
//! [`raw`](super::raw)'s one-answer servers cannot do: several requests on one kept-alive connection, bytes nobody
//! asked for between them, closes and resets between calls, and TLS records out of order
//! (tests/hostile/reused_connection.rs, tests/hostile/tls.rs). Built on [`RawServer::serving`], so the requests are
//! counted exactly as there.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose,
};
use rustls::crypto::ring;
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::{ServerConfig, ServerConnection, StreamOwned};

use super::raw::{read_head, reset, RawServer};

/// One thing a server does on a connection. When the script ends, the connection is closed: a plain TCP close
/// (FIN), over TLS without close_notify.
#[derive(Clone, Debug)]
pub enum Step {
    /// Reads one request head (over TLS the first one also completes the handshake). The connection ends when
    /// the client closed it instead.
    Request,
    /// Writes these bytes (through TLS on a TLS connection).
    Send(Vec<u8>),
    /// Writes each piece as TLS records of its own (one record never carries two pieces), all of them to the
    /// socket at once; in clear, the pieces in one write.
    SendRecords(Vec<Vec<u8>>),
    /// Writes these bytes on the TCP socket beneath TLS: bytes that are not TLS records.
    SendRaw(Vec<u8>),
    /// Writes these bytes one by one, one each `every`, until the client leaves.
    Trickle(Vec<u8>, Duration),
    Pause(Duration),
    /// TLS: sends close_notify (the encrypted alert that says the data is complete).
    CloseNotify,
    /// TLS 1.3: sends a KeyUpdate (new traffic keys in the middle of a connection, which any client must take).
    KeyUpdate,
    /// Closes with a reset (RST) instead of a FIN.
    Reset,
    /// Holds the connection open without writing until the client closes it (at most 30 s).
    Hold,
}

/// What a connection does: connection `i` follows `scripts[i]`, or the last script when there are fewer.
pub fn start(tls: Option<Arc<ServerConfig>>, scripts: Vec<Vec<Step>>) -> RawServer {
    assert!(!scripts.is_empty(), "a script for the first connection at least");
    let next = std::sync::atomic::AtomicUsize::new(0);
    RawServer::serving(move |tcp, record| {
        let index = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let script = &scripts[index.min(scripts.len() - 1)];
        let _ = tcp.set_read_timeout(Some(Duration::from_secs(30)));
        let _ = tcp.set_write_timeout(Some(Duration::from_secs(30)));
        let mut stream = match &tls {
            Some(config) => Stream::Tls(Box::new(StreamOwned::new(
                ServerConnection::new(Arc::clone(config)).expect("a server connection"),
                tcp,
            ))),
            None => Stream::Plain(tcp),
        };
        let mut got = Vec::new();
        for step in script {
            if play(&mut stream, step, &mut got).is_err() {
                break;
            }
        }
        // Counted when the connection is done: a later request on it is never missed.
        record.read(&got);
    })
}

enum Stream {
    Plain(TcpStream),
    Tls(Box<StreamOwned<ServerConnection, TcpStream>>),
}

impl Stream {
    fn tcp(&mut self) -> &mut TcpStream {
        match self {
            Stream::Plain(tcp) => tcp,
            Stream::Tls(tls) => &mut tls.sock,
        }
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(tcp) => tcp.read(buf),
            Stream::Tls(tls) => tls.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(tcp) => tcp.write(buf),
            Stream::Tls(tls) => tls.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Plain(tcp) => tcp.flush(),
            Stream::Tls(tls) => tls.flush(),
        }
    }
}

/// Plays one step; an error ends the script (the client has gone).
fn play(stream: &mut Stream, step: &Step, got: &mut Vec<u8>) -> io::Result<()> {
    match step {
        Step::Request => {
            let mut head = Vec::new();
            read_head(stream, &mut head);
            got.extend_from_slice(&head);
            if !head.ends_with(b"\r\n\r\n") {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
        Step::Send(bytes) => {
            stream.write_all(bytes)?;
            stream.flush()?;
        }
        Step::SendRecords(pieces) => match stream {
            Stream::Plain(tcp) => tcp.write_all(&pieces.concat())?,
            Stream::Tls(tls) => {
                for piece in pieces {
                    tls.conn.writer().write_all(piece)?;
                }
                tls.flush()?;
            }
        },
        Step::SendRaw(bytes) => {
            stream.flush()?;
            stream.tcp().write_all(bytes)?;
        }
        Step::Trickle(bytes, every) => {
            for byte in bytes {
                stream.write_all(&[*byte])?;
                stream.flush()?;
                thread::sleep(*every);
            }
        }
        Step::Pause(pause) => thread::sleep(*pause),
        Step::CloseNotify => {
            if let Stream::Tls(tls) = stream {
                tls.conn.send_close_notify();
                tls.flush()?;
            }
        }
        Step::KeyUpdate => {
            if let Stream::Tls(tls) = stream {
                tls.conn.refresh_traffic_keys().map_err(io::Error::other)?;
                tls.flush()?;
            }
        }
        Step::Reset => {
            // The close that follows (the end of the script) is then a reset.
            reset(stream.tcp());
            return Err(io::ErrorKind::ConnectionReset.into());
        }
        Step::Hold => {
            let mut buf = [0u8; 512];
            while let Ok(1..) = stream.read(&mut buf) {}
        }
    }
    Ok(())
}

/// A test CA and leaf certificates signed by it, made at run time.
pub struct TestCa {
    issuer: Issuer<'static, KeyPair>,
    /// The CA certificate as PEM, for `sx_client_add_ca_file`.
    pub pem: String,
}

impl TestCa {
    pub fn new(name: &str) -> TestCa {
        let key = KeyPair::generate().expect("a CA key");
        let mut params = CertificateParams::default();
        params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let cert = params.self_signed(&key).expect("a CA certificate");
        TestCa { pem: cert.pem(), issuer: Issuer::new(params, key) }
    }

    /// Writes the CA's PEM to a file of the test's own and returns its path. Numbered: the tests of one target
    /// share a process, and each removes its own file when done.
    pub fn write(&self, dir: &std::path::Path, name: &str) -> std::path::PathBuf {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = dir.join(format!("{name}-{}-{n}.pem", std::process::id()));
        std::fs::write(&path, &self.pem).expect("write the CA file");
        path
    }

    /// A server configuration with a leaf for `names`, signed by this CA; `expired`: valid in 2020 only.
    pub fn server(&self, names: &[&str], expired: bool) -> Arc<ServerConfig> {
        let (params, key) = leaf(names, expired);
        let cert = params.signed_by(&key, &self.issuer).expect("a leaf certificate");
        server_config(cert.der().clone(), &key)
    }
}

fn leaf(names: &[&str], expired: bool) -> (CertificateParams, KeyPair) {
    let mut params =
        CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).expect("leaf parameters");
    params.distinguished_name.push(DnType::CommonName, names[0]);
    params.is_ca = IsCa::ExplicitNoCa;
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    if expired {
        params.not_before = rcgen::date_time_ymd(2020, 1, 1);
        params.not_after = rcgen::date_time_ymd(2020, 12, 31);
    }
    (params, KeyPair::generate().expect("a leaf key"))
}

/// A server configuration with a self-signed certificate for `names`, which no client trusts.
pub fn self_signed_server(names: &[&str]) -> Arc<ServerConfig> {
    let (params, key) = leaf(names, false);
    let cert = params.self_signed(&key).expect("a self-signed certificate");
    server_config(cert.der().clone(), &key)
}

fn server_config(cert: rustls::pki_types::CertificateDer<'static>, key: &KeyPair) -> Arc<ServerConfig> {
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let mut config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .expect("a certificate and its key");
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Arc::new(config)
}
