//! The journal: in-process through the C ABI, across register processes killed at any moment, the order of its
//! sync and the first byte sent, and a journal that cannot be written.

#[path = "../support/mod.rs"]
mod support;

mod in_process;
mod processes;
mod sync;
mod unwritable;
