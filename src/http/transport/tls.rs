//! Which certificates the client trusts: the operating system's trust store, Mozilla's roots where the system
//! has none, and the register's own CA certificates read from PEM files. One root store for all of them, so
//! that a private CA is trusted on top of the public roots, never instead of them.
//!
//! The store is joined when the first TLS connection needs it, not when a client is made: reading the system's
//! trust store takes milliseconds, which a register calling a loopback `http://` sandbox never needs to pay.

use std::fmt;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use ureq::config::Config;
use ureq::tls::{parse_pem, Certificate, PemItem, RootCerts, TlsConfig};
use ureq::unversioned::transport::{ConnectionDetails, Connector, RustlsConnector, Transport};

use crate::http::error::{sanitize, Error};

/// The system's roots, else Mozilla's; read once per process, at the first TLS connection, since every client
/// would otherwise read the whole trust store again.
fn base_roots() -> &'static Arc<Vec<Certificate<'static>>> {
    static ROOTS: OnceLock<Arc<Vec<Certificate<'static>>>> = OnceLock::new();
    ROOTS.get_or_init(|| {
        // Certificates the store has but cannot give are skipped (its `errors`): the rest still count.
        let system: Vec<Certificate<'static>> = rustls_native_certs::load_native_certs()
            .certs
            .iter()
            .map(|der| Certificate::from_der(der.as_ref()).to_owned())
            .collect();
        if !system.is_empty() {
            return Arc::new(system);
        }
        Arc::new(
            webpki_root_certs::TLS_SERVER_ROOT_CERTS.iter().map(|der| Certificate::from_der(der.as_ref())).collect(),
        )
    })
}

/// The certificates a client trusts, and the TLS layer of its connector chain that uses them. Clones share
/// the joined root store and rustls's configuration made from it: a client rebuilt with new timeouts copies
/// and parses no certificate again.
#[derive(Clone, Default)]
pub struct TrustedRoots(Arc<Store>);

#[derive(Default)]
struct Store {
    /// The register's own CA certificates, on top of the base roots.
    extra: Vec<Certificate<'static>>,
    /// What ureq's rustls connector reads its settings from: the joined roots. Made at the first handshake.
    tls_config: OnceLock<Config>,
    /// ureq's rustls connector; it makes rustls's configuration (the roots parsed) at its first handshake and
    /// keeps it.
    rustls: RustlsConnector,
}

impl fmt::Debug for TrustedRoots {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.debug_struct("TrustedRoots").field("extra", &self.0.extra.len()).finish_non_exhaustive()
    }
}

impl TrustedRoots {
    /// Reads every certificate of a PEM file now, so that a wrong path fails at configuration and not at the
    /// first payment. A missing or unreadable file, bad PEM, or a file without a certificate is an error.
    pub fn add_pem_file(&mut self, path: &Path) -> Result<usize, Error> {
        let shown = sanitize(&path.display().to_string(), 300);
        let pem =
            std::fs::read(path).map_err(|e| Error::invalid(format!("the CA file {shown:?} cannot be read ({e})")))?;
        let mut found = Vec::new();
        for item in parse_pem(&pem) {
            match item {
                Ok(PemItem::Certificate(cert)) => found.push(cert),
                Ok(_) => {} // keys and the like: not roots, and never echoed
                Err(e) => {
                    return Err(Error::invalid(format!(
                        "the CA file {shown:?} is not valid PEM ({})",
                        sanitize(&e.to_string(), 120)
                    )))
                }
            }
        }
        if found.is_empty() {
            return Err(Error::invalid(format!("the CA file {shown:?} holds no PEM certificate")));
        }
        // Checked as rustls will use them, so that a certificate it would ignore is an error now.
        let mut store = rustls::RootCertStore::empty();
        let (_, ignored) = store.add_parsable_certificates(found.iter().map(|c| c.der().to_vec().into()));
        if ignored > 0 {
            return Err(Error::invalid(format!(
                "the CA file {shown:?} holds {ignored} certificate(s) that cannot be parsed"
            )));
        }
        let added = found.len();
        // Other roots, another store: clients made before keep theirs.
        let extra = self.0.extra.iter().cloned().chain(found).collect();
        *self = TrustedRoots(Arc::new(Store { extra, ..Store::default() }));
        Ok(added)
    }

    /// Whether the root store was joined: a TLS connection was made (or tried) with these roots.
    /// Every root a connection trusts (the base roots and the CA files), as a rustls store: for a probe that
    /// makes its own handshake (`http::diagnose`) and must trust exactly what the library's calls trust.
    pub fn root_store(&self) -> rustls::RootCertStore {
        let mut store = rustls::RootCertStore::empty();
        store.add_parsable_certificates(base_roots().iter().chain(&self.0.extra).map(|c| c.der().to_vec().into()));
        store
    }

    pub fn is_loaded(&self) -> bool {
        self.0.tls_config.get().is_some()
    }
}

impl Store {
    /// The configuration ureq's rustls connector is given: the joined roots, and the agent's buffer sizes,
    /// which it uses for the TLS stream. It reads nothing else of it.
    fn tls_config(&self, agent: &Config) -> &Config {
        self.tls_config.get_or_init(|| {
            let all = if self.extra.is_empty() {
                Arc::clone(base_roots())
            } else {
                Arc::new(base_roots().iter().chain(&self.extra).cloned().collect())
            };
            Config::builder()
                .tls_config(TlsConfig::builder().root_certs(RootCerts::Specific(all)).build())
                .input_buffer_size(agent.input_buffer_size())
                .output_buffer_size(agent.output_buffer_size())
                .build()
        })
    }
}

/// ureq's rustls connector, given the trusted roots when a connection needs TLS.
impl<In: Transport> Connector<In> for TrustedRoots {
    type Out = <RustlsConnector as Connector<In>>::Out;

    fn connect(&self, details: &ConnectionDetails, chained: Option<In>) -> Result<Option<Self::Out>, ureq::Error> {
        if !details.needs_tls() {
            // Passed through as it is.
            return self.0.rustls.connect(details, chained);
        }
        let with_roots = ConnectionDetails {
            uri: details.uri,
            addrs: details.addrs.clone(),
            config: self.0.tls_config(details.config),
            // Agent level: the connector keeps the rustls configuration it makes (every call's is the same).
            request_level: false,
            resolver: details.resolver,
            now: details.now,
            timeout: details.timeout,
            current_time: Arc::clone(&details.current_time),
            run_connector: Arc::clone(&details.run_connector),
            register_shutdown: Arc::clone(&details.register_shutdown),
        };
        self.0.rustls.connect(&with_roots, chained)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_roots_are_never_empty() {
        assert!(!base_roots().is_empty());
    }

    /// Without extra roots, every client's store is the process's base roots themselves; clones (a client
    /// rebuilt with new settings) share the joined store.
    #[test]
    fn the_roots_are_shared_not_copied() {
        let roots = TrustedRoots::default();
        let rebuilt = roots.clone();
        assert!(!rebuilt.is_loaded());
        let config = roots.0.tls_config(&Config::default());
        assert!(rebuilt.is_loaded());
        let RootCerts::Specific(all) = config.tls_config().root_certs() else { panic!("specific roots") };
        assert!(Arc::ptr_eq(all, base_roots()));
    }

    #[test]
    fn a_ca_file_is_checked_when_added() {
        let dir = std::env::temp_dir().join(format!("smartx-tls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut roots = TrustedRoots::default();
        let missing = roots.add_pem_file(&dir.join("missing.pem")).unwrap_err();
        assert!(missing.message.contains("cannot be read"), "{}", missing.message);
        let empty = dir.join("empty.pem");
        std::fs::write(&empty, "no certificate here\n").unwrap();
        assert!(roots.add_pem_file(&empty).unwrap_err().message.contains("no PEM certificate"));
        let garbage = dir.join("garbage.pem");
        std::fs::write(&garbage, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n").unwrap();
        assert!(roots.add_pem_file(&garbage).is_err());
        // A real certificate: the first of Mozilla's, written as PEM.
        let der = webpki_root_certs::TLS_SERVER_ROOT_CERTS[0].as_ref();
        let good = dir.join("good.pem");
        std::fs::write(&good, pem(der)).unwrap();
        let before = roots.clone();
        assert_eq!(roots.add_pem_file(&good).unwrap(), 1);
        assert_eq!(roots.add_pem_file(&good).unwrap(), 1);
        assert_eq!(before.0.extra.len(), 0, "a client made before keeps its roots");
        let RootCerts::Specific(all) = roots.0.tls_config(&Config::default()).tls_config().root_certs() else {
            panic!("specific roots")
        };
        assert_eq!(all.len(), base_roots().len() + 2);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn pem(der: &[u8]) -> String {
        const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut text = String::new();
        for chunk in der.chunks(3) {
            let n = chunk.iter().fold(0u32, |n, b| (n << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
            for i in 0..4 {
                text.push(if i <= chunk.len() { B64[(n >> (18 - 6 * i)) as usize & 63] as char } else { '=' });
            }
        }
        let lines: Vec<&str> = text.as_bytes().chunks(64).map(|l| std::str::from_utf8(l).unwrap()).collect();
        format!("-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n", lines.join("\n"))
    }
}
