#![deny(unsafe_op_in_unsafe_fn)]
// Every unsafe block says why it is sound (CI runs clippy with -D warnings).
#![warn(clippy::undocumented_unsafe_blocks)]
//! smartx: lets a cash register (ECR) take part in secuconnect Smart Transactions through a C ABI.
//!
//! Layers with no arrow back up: a plain Rust core that knows nothing of C under a thin C layer.
//!
//! - [`model`]: what the API answers (the transaction, its receipt lines, lists); lenient reading, no I/O.
//! - [`receipt`]: receipt lines laid out for printers (UTF-8 text or ESC/POS in a code page); no I/O.
//! - [`http`]: configuration (base URL, timeouts, TLS roots, proxy), checks of what is sent, the log and its
//!   scrubbing, one exchange and the classification of its [`Answer`](http::Answer); [`http::transport`] fences
//!   what plugs into ureq's unversioned API.
//! - [`auth`]: tokens only: the grants, the cache and its renewal, the device flow; uses `http`.
//! - [`api`]: the register's day as a safe Rust API: [`api::Client`] (the logged-in client: token, renewal,
//!   one repeat after a refused token), the basket it sends ([`api::NewBasket`]), every call, the verdict;
//!   uses `auth`, `http` and `journal`, returns `model` types.
//! - [`journal`]: the write-ahead journal (SQLite) of the calls that change a transaction, and reconcile.
//! - [`advice`]: what the cashier does after a call.
//! - [`ffi`]: the C glue, one module per C object, from which cbindgen writes `include/smartx.h`.

pub mod advice;
pub mod api;
pub mod auth;
pub mod ffi;
pub mod http;
pub mod journal;
pub mod model;
pub mod receipt;

// The C functions, types and constants, also for Rust callers (tests, benches) of the rlib.
pub use ffi::basket::*;
pub use ffi::card::*;
pub use ffi::client::*;
pub use ffi::config::*;
pub use ffi::device::*;
pub use ffi::ident::*;
pub use ffi::journal::*;
pub use ffi::last::*;
pub use ffi::lifecycle::*;
pub use ffi::pre_transaction::*;
pub use ffi::product::*;
pub use ffi::receipt::*;
pub use ffi::result::*;
pub use ffi::result_text::*;
pub use ffi::start::*;
pub use ffi::transaction::*;
pub use ffi::transaction_list::*;
