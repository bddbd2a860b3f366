//! The C API: every function of include/smartx.h called as a register calls it, from the C programs of
//! tests/data/c/ (compiled against this run's libsmartx) and in-process from Rust, against the sandbox or with no
//! server at all: result codes, the buffer rule, NULLs, handles, the typed accessors, the client, the lifecycle,
//! rendering, races between threads.
//!
//! The process-wide settings (`sx_set_base_url`, `sx_set_timeouts`, `sx_shutdown`, the client behind
//! `sx_start_cash`) are shared by every test of this process: a test that calls them in-process holds
//! `support::process_wide_settings()` for its whole run. The C programs run in processes of their own.

#[path = "../support/mod.rs"]
mod support;

mod abi;
mod accessors;
mod advice;
mod card_and_terminal;
mod client;
mod contract;
mod in_process;
mod lifecycle;
mod parse_handover;
mod prepare;
mod races;
mod render;
mod sandbox_support;
mod tls_resumption;
