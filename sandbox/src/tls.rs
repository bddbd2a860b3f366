//! HTTPS with a certificate made at start: self-signed for 127.0.0.1, ::1 and localhost, so a verifying client
//! must fail (which is what the TLS tests want) and `curl -k` works.

use std::sync::Arc;

use rcgen::CertifiedKey;
use tokio_rustls::rustls::crypto::ring;
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::TlsAcceptor;

pub fn acceptor() -> Result<TlsAcceptor, String> {
    let names = vec!["127.0.0.1".to_owned(), "::1".to_owned(), "localhost".to_owned()];
    let CertifiedKey { cert, signing_key } =
        rcgen::generate_simple_self_signed(names).map_err(|e| format!("cannot make a self-signed certificate: {e}"))?;
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(signing_key.serialize_der()));
    let mut config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup: {e}"))?
        .with_no_client_auth()
        .with_single_cert(vec![cert.der().clone()], key)
        .map_err(|e| format!("TLS setup: {e}"))?;
    // The sandbox speaks HTTP/1.1 only.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

#[cfg(test)]
mod tests {
    #[test]
    fn acceptor_builds() {
        assert!(super::acceptor().is_ok());
    }
}
