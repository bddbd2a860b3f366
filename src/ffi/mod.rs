//! The C ABI: glue only. Each exported function checks its pointers with the helpers of `boundary`, runs
//! the core inside `ffi_boundary!` and maps the outcome to an `sx_result`. One module per C object.
//! The process-wide state behind the plain functions (`sx_set_base_url`, `sx_start_cash`) lives here, in
//! `defaults`: the core below holds no globals.

#![allow(non_camel_case_types)] // C names: sx_result, sx_transaction, sx_receipt_line.

pub mod basket;
pub(crate) mod boundary;
pub mod card;
pub mod client;
pub mod config;
mod defaults;
pub mod device;
pub mod ident;
pub mod journal;
pub mod last;
pub(crate) mod last_call;
pub mod lifecycle;
pub mod pre_transaction;
pub mod product;
pub mod receipt;
pub mod result;
pub mod result_text;
pub mod start;
mod strings;
pub mod transaction;
pub mod transaction_list;
