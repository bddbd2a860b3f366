//! The steps of a connection one by one, for `smartx doctor`: the look-up, the TCP connection (the proxy's when
//! one is set, then its tunnel), the TLS handshake and the server's clock, each alone so that a support person
//! learns which one fails. Made of the library's own pieces (its resolver, its trusted roots and CA files, its
//! proxy setting), so that the doctor sees what a call sees; the HTTP calls themselves (the token, the API) go
//! through [`crate::api::Client`] as every call does.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::error::{sanitize, Error, ErrorKind};
use super::exchange::USER_AGENT;
use super::settings::Settings;
use super::transport::{CachingResolver, TrustedRoots};

/// An answer head longer than this is no answer the probe reads.
const MAX_HEAD: usize = 64 * 1024;

/// A host and port to reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostPort {
    /// As written in the URL, IPv6 without brackets.
    pub host: String,
    pub port: u16,
}

impl HostPort {
    fn of(url: &url::Url) -> Option<HostPort> {
        let host = match url.host()? {
            url::Host::Domain(name) => name.to_owned(),
            url::Host::Ipv4(ip) => ip.to_string(),
            url::Host::Ipv6(ip) => ip.to_string(),
        };
        Some(HostPort { host, port: url.port_or_known_default()? })
    }

    /// Whether the host is an IP address (nothing to look up).
    pub fn is_ip(&self) -> bool {
        self.host.parse::<std::net::IpAddr>().is_ok()
    }

    /// `host:port` as a request line or `Host` header writes it.
    pub fn authority(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// Where a call of `settings` goes: the API's host, the first hop (the proxy, if set), and whether TLS is spoken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub api: HostPort,
    /// The proxy's host and port; `None` without a proxy.
    pub proxy: Option<HostPort>,
    pub tls: bool,
    pub loopback: bool,
}

impl Route {
    pub fn of(settings: &Settings) -> Result<Route, Error> {
        let base = url::Url::parse(settings.base.as_str()).map_err(|e| Error::invalid(e.to_string()))?;
        let api = HostPort::of(&base).ok_or_else(|| Error::invalid("the base URL has no host"))?;
        let proxy = match &settings.proxy {
            Some(proxy) => Some(proxy.host_port().ok_or_else(|| Error::invalid("the proxy URL has no host"))?),
            None => None,
        };
        Ok(Route { tls: base.scheme() == "https", loopback: super::base_url::is_loopback(&base), api, proxy })
    }

    /// The host a TCP connection is made to: the proxy's, or the API's.
    pub fn first_hop(&self) -> &HostPort {
        self.proxy.as_ref().unwrap_or(&self.api)
    }
}

impl super::settings::ProxyUrl {
    fn host_port(&self) -> Option<HostPort> {
        HostPort::of(self.url())
    }
}

/// The look-up of `to`, as a call makes it (an IP address as it is, a `.invalid` name refused).
pub fn resolve(to: &HostPort, wait: Duration) -> Result<Vec<SocketAddr>, Error> {
    CachingResolver::default().lookup_within(&to.host, to.port, wait)
}

/// A TCP connection to the first of `addrs` that takes one, all of them within `wait`.
pub fn connect(addrs: &[SocketAddr], wait: Duration) -> Result<TcpStream, Error> {
    let deadline = Instant::now() + wait;
    let mut last = None;
    for addr in addrs {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        match TcpStream::connect_timeout(addr, left) {
            Ok(stream) => {
                stream.set_read_timeout(Some(wait)).and_then(|()| stream.set_write_timeout(Some(wait))).map_err(
                    |e| Error::new(ErrorKind::Connect, format!("the connection to {addr} cannot be set up ({e})")),
                )?;
                return Ok(stream);
            }
            Err(e) => last = Some((addr, e)),
        }
    }
    Err(match last {
        Some((addr, e)) if e.kind() == io::ErrorKind::TimedOut => {
            Error::new(ErrorKind::Connect, format!("{addr} did not take the connection within {} ms", wait.as_millis()))
        }
        Some((addr, e)) => Error::new(ErrorKind::Connect, format!("{addr} refused the connection ({e})")),
        None => Error::new(ErrorKind::Connect, "no address to connect to"),
    })
}

/// Asks the proxy on `stream` for a tunnel to `to` (`CONNECT`), as a call through it does.
pub fn tunnel(stream: &mut TcpStream, to: &HostPort) -> Result<(), Error> {
    let authority = to.authority();
    let request = format!("CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\nUser-Agent: {USER_AGENT}\r\n\r\n");
    let failed = |why: String| Error::new(ErrorKind::Connect, format!("the proxy {why}"));
    stream.write_all(request.as_bytes()).map_err(|e| failed(format!("took no request ({e})")))?;
    let head = read_head(stream).map_err(|e| failed(format!("did not answer the CONNECT ({e})")))?;
    let status = status_of(&head);
    if status != Some(200) {
        let line = sanitize(head.lines().next().unwrap_or(""), 120);
        return Err(failed(format!("refused a tunnel to {authority}: {line:?}")));
    }
    Ok(())
}

/// What a TLS handshake settled.
#[derive(Debug, Clone)]
pub struct Handshake {
    /// `TLSv1_3`, `TLSv1_2`.
    pub protocol: String,
    /// The server's certificates as it sent them, leaf first (DER).
    pub chain: Vec<Vec<u8>>,
}

/// A stream the probe writes a request on and reads an answer from: TCP, or TLS over it.
pub trait Stream: Read + Write + Send {}
impl<T: Read + Write + Send> Stream for T {}

/// The TLS handshake with `server` over `stream`, verified against the roots a call trusts.
pub fn handshake(
    stream: TcpStream,
    roots: &TrustedRoots,
    server: &HostPort,
) -> Result<(Box<dyn Stream>, Handshake), Error> {
    let tls_error = |why: String| Error::new(ErrorKind::Tls, why);
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| tls_error(e.to_string()))?
        .with_root_certificates(roots.root_store())
        .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from(server.host.clone())
        .map_err(|_| tls_error(format!("{:?} is no name a certificate can be for", server.host)))?;
    let mut connection = rustls::ClientConnection::new(Arc::new(config), name).map_err(|e| tls_error(e.to_string()))?;
    let mut stream = stream;
    while connection.is_handshaking() {
        if let Err(e) = connection.complete_io(&mut stream) {
            return Err(match e.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>()) {
                Some(rustls::Error::InvalidCertificate(why)) => {
                    tls_error(format!("the server's certificate is not trusted ({why:?})"))
                }
                Some(other) => tls_error(format!("the TLS handshake failed ({other})")),
                None if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                    tls_error("the server did not finish the TLS handshake in time".into())
                }
                None => tls_error(format!("the connection ended during the TLS handshake ({e})")),
            });
        }
    }
    let handshake = Handshake {
        protocol: connection.protocol_version().map(|v| format!("{v:?}")).unwrap_or_default(),
        chain: connection.peer_certificates().unwrap_or_default().iter().map(|c| c.as_ref().to_vec()).collect(),
    };
    Ok((Box::new(rustls::StreamOwned::new(connection, stream)), handshake))
}

/// Sends `HEAD /` to `server` on `stream` and gives the `Date` header of the answer (`None` if it has none):
/// the server's clock, against which a token's lifetime and a certificate's dates are read.
pub fn server_date(stream: &mut dyn Stream, server: &HostPort) -> Result<Option<String>, Error> {
    let request = format!(
        "HEAD / HTTP/1.1\r\nHost: {}\r\nUser-Agent: {USER_AGENT}\r\nConnection: close\r\n\r\n",
        server.authority()
    );
    let failed = |e: io::Error| Error::new(ErrorKind::Connect, format!("the server did not answer ({e})"));
    stream.write_all(request.as_bytes()).and_then(|()| stream.flush()).map_err(failed)?;
    let head = read_head(stream).map_err(failed)?;
    Ok(head.lines().skip(1).find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim().eq_ignore_ascii_case("date").then(|| sanitize(value.trim(), 100))
    }))
}

fn status_of(head: &str) -> Option<u16> {
    head.split(' ').nth(1)?.parse().ok()
}

/// Reads up to the end of an answer's head; a timeout or an early end is an error.
fn read_head(stream: &mut dyn Read) -> io::Result<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() >= MAX_HEAD {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "the answer's head is too long"));
        }
        match stream.read(&mut byte)? {
            0 => return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the connection closed without an answer")),
            _ => head.push(byte[0]),
        }
    }
    Ok(String::from_utf8_lossy(&head).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::{BaseUrl, ProxyUrl, Timeouts};

    #[test]
    fn the_route_names_the_first_hop() {
        let mut settings = Settings::new(BaseUrl::parse("https://[::1]:8443").unwrap(), Timeouts::default());
        let route = Route::of(&settings).unwrap();
        assert_eq!(route.api, HostPort { host: "::1".into(), port: 8443 });
        assert!(route.tls && route.loopback && route.api.is_ip());
        assert_eq!(route.api.authority(), "[::1]:8443");
        settings.proxy = Some(ProxyUrl::parse("http://proxy.shop.invalid:3128").unwrap());
        let route = Route::of(&settings).unwrap();
        assert_eq!(route.first_hop(), &HostPort { host: "proxy.shop.invalid".into(), port: 3128 });
        assert!(!route.first_hop().is_ip());
    }

    #[test]
    fn a_head_ends_at_its_blank_line() {
        let mut answer: &[u8] = b"HTTP/1.1 200 OK\r\nDate: x\r\n\r\nbody";
        assert_eq!(read_head(&mut answer).unwrap(), "HTTP/1.1 200 OK\r\nDate: x\r\n\r\n");
        assert_eq!(status_of("HTTP/1.1 407 Proxy"), Some(407));
        let mut cut: &[u8] = b"HTTP/1.1 200 OK\r\n";
        assert!(read_head(&mut cut).is_err());
    }
}
