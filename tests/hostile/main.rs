//! What goes wrong: servers that misbehave (raw loopback servers, fresh and kept-alive connections, TLS), answers
//! that lie or do not belong to their request, a plain request to a TLS port, failures classified by where the
//! exchange stood, a declined start, deadlines of the token endpoints, secrets kept out of every message and log,
//! and every input the fuzzers found. Each must end with its documented result code, and never pay twice.
//!
//! The process-wide settings (`sx_set_base_url`, `sx_shutdown`, the client behind `sx_start_cash`) are shared by
//! every test of this process: a test that calls them in-process holds `support::process_wide_settings()` for its
//! whole run. The C programs run in processes of their own.

#[path = "../support/mod.rs"]
mod support;

mod declined_start;
mod failures;
mod fresh_connection;
mod fuzz_regressions;
mod lying_answers;
mod plain_to_tls;
mod reused_connection;
mod secrets;
mod tls;
mod token_deadlines;
