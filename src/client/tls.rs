//! Which certificates the client trusts: the operating system's trust store, Mozilla's roots where the system
//! has none, and the register's own CA certificates read from PEM files. One root store for all of them, so
//! that a private CA is trusted on top of the public roots, never instead of them.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use ureq::tls::{parse_pem, Certificate, PemItem, RootCerts};

use super::error::{sanitize, Error};

/// The system's roots, else Mozilla's; read once per process, since every client would otherwise read the
/// whole trust store again.
fn base_roots() -> &'static [Certificate<'static>] {
    static ROOTS: OnceLock<Vec<Certificate<'static>>> = OnceLock::new();
    ROOTS.get_or_init(|| {
        // Certificates the store has but cannot give are skipped (its `errors`): the rest still count.
        let system: Vec<Certificate<'static>> = rustls_native_certs::load_native_certs()
            .certs
            .iter()
            .map(|der| Certificate::from_der(der.as_ref()).to_owned())
            .collect();
        if !system.is_empty() {
            return system;
        }
        webpki_root_certs::TLS_SERVER_ROOT_CERTS.iter().map(|der| Certificate::from_der(der.as_ref())).collect()
    })
}

/// The register's extra CA certificates, on top of the base roots.
#[derive(Clone, Default)]
pub struct ExtraRoots(Vec<Certificate<'static>>);

impl ExtraRoots {
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
        self.0.extend(found);
        Ok(added)
    }

    /// The root store for ureq: base roots plus the extra ones.
    pub fn root_certs(&self) -> RootCerts {
        let all: Vec<Certificate<'static>> = base_roots().iter().chain(&self.0).cloned().collect();
        RootCerts::Specific(Arc::new(all))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_roots_are_never_empty() {
        assert!(!base_roots().is_empty());
    }

    #[test]
    fn a_ca_file_is_checked_when_added() {
        let dir = std::env::temp_dir().join(format!("smartx-tls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut roots = ExtraRoots::default();
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
        assert_eq!(roots.add_pem_file(&good).unwrap(), 1);
        let RootCerts::Specific(all) = roots.root_certs() else { panic!("specific roots") };
        assert_eq!(all.len(), base_roots().len() + 1);
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
