//! The manual runs as written: the book builds and its links lead somewhere, the README's first program and the
//! journal chapter's start-up routine compile and run, the committed header is the generated one, and the
//! examples (C, Rust) run against the sandbox.

#[path = "../support/mod.rs"]
mod support;

mod book;
mod example_c;
mod example_card_balance;
mod example_full_flow;
mod example_pair;
mod header;
mod journal_chapter;
mod readme;
mod register_day;
