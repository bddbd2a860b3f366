#![deny(unsafe_op_in_unsafe_fn)]
//! smartx: lets a cash register (ECR) take part in secuconnect Smart Transactions through a C ABI.
//!
//! A plain Rust core that knows nothing of C ([`model`]: the transaction and its receipt lines; [`receipt`]: their
//! layout for printers; [`http`]: configuration, the HTTP call and what its answer means; [`advice`]: what the
//! cashier does after a call) under a thin C layer
//! ([`ffi`], one module per C object), from which cbindgen writes `include/smartx.h`.

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
pub use ffi::client::*;
pub use ffi::config::*;
pub use ffi::journal::*;
pub use ffi::last_call::*;
pub use ffi::lifecycle::*;
pub use ffi::pre_transaction::*;
pub use ffi::product::*;
pub use ffi::receipt::*;
pub use ffi::result::*;
pub use ffi::start::*;
pub use ffi::transaction::*;
pub use ffi::transaction_list::*;
