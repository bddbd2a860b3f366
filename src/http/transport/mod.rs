//! What plugs into ureq's `unversioned` API: the parts of ureq's own connection chain and resolver that this
//! library replaces or wraps. That API is outside ureq's semver promise (Cargo.toml pins `~3.5` and
//! `tests/ureq_contract.rs` fails at another minor version): these five files are all that use it, and the
//! rest of the library sees only [`connector`], [`Board`], [`Stage`] and the resolver.
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

mod chain;
pub(crate) mod resolve;
mod tcp;
mod tls;
mod tls_records;

pub use chain::{connector, Abandoned, Board, CutOff, Stage, Watch, WatchedTransport};
pub(crate) use chain::{this_thread, ThreadKey};
pub use resolve::{CachingResolver, Lookup, SystemLookup};
pub use tls::TrustedRoots;
