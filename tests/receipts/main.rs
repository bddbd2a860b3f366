//! The receipt layout: golden files byte for byte through the C ABI, and properties over generated receipts.

#[path = "../support/mod.rs"]
mod support;

mod golden;
mod properties;
