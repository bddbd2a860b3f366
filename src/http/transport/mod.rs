//! What plugs into ureq's `unversioned` API: the parts of ureq's own connection chain and resolver that this
//! library replaces or wraps. That API is outside ureq's semver promise (Cargo.toml pins `~3.5`, and the test
//! below fails at another minor version): the five files that use it are all here, and the rest of the
//! library sees only [`connector`], the board's types, [`TrustedRoots`] and the resolver.
//!
//! - `chain.rs` ([`connector`]): ureq's default chain (CONNECT proxy, TCP, rustls) rebuilt with our TCP and TLS
//!   parts, every transport wrapped so that the moment request bytes reach the socket is known. ureq reports
//!   only an error, and whether a payment may have been executed depends on that moment.
//! - `board.rs` ([`Board`], [`Stage`], [`Watch`]): where each call through an agent stands, by thread; what the
//!   chain writes and the HTTP layer reads after a failure. No ureq type.
//! - `tcp.rs`: replaces ureq's `TcpConnector`/`TcpTransport`: the connect deadline across every address of a
//!   host, socket timeouts set only when they change, and a one-call probe of a pooled connection before it is
//!   used again (ureq reuses a connection the server has closed or written a stray answer on).
//! - `tls.rs` ([`TrustedRoots`]): wraps ureq's `RustlsConnector` so that the roots (system, Mozilla, the
//!   register's CA files) are joined at the first TLS connection, not when a client is made.
//! - `tls_records.rs`: below TLS, tells a TCP close that TLS did not announce (a cut-off answer) from a clean
//!   end, which ureq's rustls stream reports alike.
//! - `resolve.rs` ([`CachingResolver`]): replaces ureq's resolver: look-ups bounded by the connect timeout on
//!   threads that may be left behind, cached briefly, with `.invalid` names refused without a look-up.

mod board;
mod chain;
pub(crate) mod resolve;
mod tcp;
mod tls;
mod tls_records;

pub(crate) use board::{this_thread, ThreadKey};
pub use board::{Abandon, Abandoned, Board, CutOff, Stage, Watch};
pub use chain::{connector, SpeaksTls};
pub use resolve::{CachingResolver, Lookup, SystemLookup};
pub use tls::TrustedRoots;

#[cfg(test)]
mod tests {
    /// The minor version of ureq the five files were written against.
    const WRITTEN_AGAINST: &str = "3.5.";

    /// `chain.rs` and `tls.rs` copy ureq's `ConnectionDetails` field by field and `tcp.rs`, `chain.rs` and
    /// `resolve.rs` build its `NextTimeout`; a minor release may add a field (that one fails to compile) or change
    /// what one means (that one compiles and is wrong). Fails at any other minor version than the one read.
    #[test]
    fn ureq_is_the_minor_version_the_transport_was_written_against() {
        let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock")).unwrap();
        let version = lock
            .split("[[package]]")
            .find(|package| package.contains("\nname = \"ureq\"\n"))
            .and_then(|package| package.lines().find_map(|line| line.strip_prefix("version = \"")))
            .map(|version| version.trim_end_matches('"'))
            .expect("Cargo.lock lists ureq");
        assert!(
            version.starts_with(WRITTEN_AGAINST),
            "ureq is {version}, not {WRITTEN_AGAINST}x: re-read its unversioned::transport and unversioned::resolver \
             (ConnectionDetails, NextTimeout, Buffers, Transport, Connector, Resolver) against the copies in \
             src/http/transport/ (tls.rs and chain.rs copy ConnectionDetails field by field; tcp.rs replaces \
             TcpConnector and TcpTransport), then change WRITTEN_AGAINST and the `~3.5` in Cargo.toml"
        );
    }
}
