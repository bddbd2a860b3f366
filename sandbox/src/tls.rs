//! HTTPS with certificates made at start: a fresh CA, and a leaf for 127.0.0.1, ::1 and localhost signed by it.
//! A client that is given the CA (written with `--ca-out`) verifies the sandbox; any other client must refuse it.

use std::path::Path;
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose,
};
use tokio_rustls::rustls::crypto::ring;
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::TlsAcceptor;

/// The server side of `--tls`: the acceptor and the PEM of the CA that signed its certificate.
pub struct Tls {
    pub acceptor: TlsAcceptor,
    pub ca_pem: String,
}

pub fn setup() -> Result<Tls, String> {
    let fail = |what: &str, e: rcgen::Error| format!("cannot make the {what}: {e}");
    let ca_key = KeyPair::generate().map_err(|e| fail("CA key", e))?;
    let mut ca_params = CertificateParams::default();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca_params.distinguished_name.push(DnType::CommonName, "smartx-sandbox test CA");
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_cert = ca_params.self_signed(&ca_key).map_err(|e| fail("CA certificate", e))?;
    let ca = Issuer::new(ca_params, ca_key);

    let names = vec!["127.0.0.1".to_owned(), "::1".to_owned(), "localhost".to_owned()];
    let mut leaf_params = CertificateParams::new(names).map_err(|e| fail("leaf parameters", e))?;
    leaf_params.distinguished_name.push(DnType::CommonName, "smartx-sandbox");
    leaf_params.is_ca = IsCa::ExplicitNoCa;
    leaf_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let leaf_key = KeyPair::generate().map_err(|e| fail("leaf key", e))?;
    let leaf_cert = leaf_params.signed_by(&leaf_key, &ca).map_err(|e| fail("leaf certificate", e))?;

    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let mut config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup: {e}"))?
        .with_no_client_auth()
        // The chain a client sees: the leaf and the CA (a client still needs the CA as a trust anchor).
        .with_single_cert(vec![leaf_cert.der().clone(), ca_cert.der().clone()], key)
        .map_err(|e| format!("TLS setup: {e}"))?;
    // The sandbox speaks HTTP/1.1 only.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Tls { acceptor: TlsAcceptor::from(Arc::new(config)), ca_pem: ca_cert.pem() })
}

/// Writes the CA certificate as PEM: to a temporary name in the same directory, then renamed, so a reader
/// never sees half a file.
pub fn write_ca(path: &Path, pem: &str) -> Result<(), String> {
    crate::store::write_atomically(path, pem.as_bytes())
        .map_err(|e| format!("cannot write the CA to {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
    use tokio_rustls::rustls::{ClientConfig, RootCertStore};

    fn client_config(roots: RootCertStore) -> Arc<ClientConfig> {
        Arc::new(
            ClientConfig::builder_with_provider(Arc::new(ring::default_provider()))
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_root_certificates(roots)
                .with_no_client_auth(),
        )
    }

    /// A real handshake over an in-memory pipe: with the CA as the only root it succeeds, without it it fails.
    #[tokio::test]
    async fn the_leaf_verifies_with_the_ca_only() {
        let tls = setup().unwrap();
        assert!(tls.ca_pem.starts_with("-----BEGIN CERTIFICATE-----"));
        let ca_der = CertificateDer::from_pem_slice(tls.ca_pem.as_bytes()).unwrap();
        for (with_ca, name) in [(true, "127.0.0.1"), (true, "localhost"), (true, "::1"), (false, "127.0.0.1")] {
            let mut roots = RootCertStore::empty();
            if with_ca {
                roots.add(ca_der.clone()).unwrap();
            }
            let connector = tokio_rustls::TlsConnector::from(client_config(roots));
            let (client_io, server_io) = tokio::io::duplex(64 * 1024);
            let acceptor = tls.acceptor.clone();
            let server = tokio::spawn(async move { acceptor.accept(server_io).await.is_ok() });
            let server_name = ServerName::try_from(name.to_owned()).unwrap();
            let client = connector.connect(server_name, client_io).await;
            assert_eq!(client.is_ok(), with_ca, "{name} with CA {with_ca}: {:?}", client.err());
            drop(client);
            let _ = server.await;
        }
    }
}
