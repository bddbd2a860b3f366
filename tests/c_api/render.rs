//! sx_receipt_render through the C ABI: tests/data/c/render.c (compiled with -Wall -Wextra -Werror) refuses bad
//! options, takes NULL options as 42 columns of text, keeps the buffer rule on binary output, and shows how
//! a C compiler lays out sx_render_options; also under valgrind (or the sanitizers of scripts/sanitize.sh).

use crate::support;

use std::process::Command;
use std::time::Duration;

use support::{c_program, fixture, run};

const RUN_LIMIT: Duration = Duration::from_secs(120);

fn render_command() -> Command {
    let mut command = Command::new(c_program("render"));
    command.arg(fixture("start-cashless-response.json"));
    command
}

#[test]
fn render_contract_through_the_c_abi() {
    let done = run(&mut render_command(), RUN_LIMIT);
    assert_eq!(done.code(), 0, "{}", done.output());
    assert!(done.stdout.contains(" passed, 0 failed"), "{}", done.output());
    let values = done.values();
    // The contract's values, hard-coded on purpose: a renumbering must fail here.
    let contract = [
        ("SX_FORMAT_TEXT", 0),
        ("SX_FORMAT_ESCPOS", 1),
        ("SX_CODEPAGE_CP858", 0),
        ("SX_CODEPAGE_CP437", 1),
        ("SX_CODEPAGE_WINDOWS_1252", 2),
        ("SX_CODEPAGE_ISO_8859_15", 3),
        ("SX_RENDER_NO_INIT", 1),
        ("SX_RENDER_CUT", 2),
        ("sizeof_sx_render_options", 16),
        ("offsetof_columns", 0),
        ("offsetof_format", 4),
        ("offsetof_codepage", 8),
        ("offsetof_flags", 12),
    ];
    for (name, value) in contract {
        assert_eq!(values.num(name), value, "{name}");
    }
    assert_eq!(std::mem::size_of::<smartx::sx_render_options>(), 16);
    assert_eq!(
        [smartx::SX_FORMAT_ESCPOS, smartx::SX_CODEPAGE_ISO_8859_15, smartx::SX_RENDER_CUT],
        [1, 3, 2],
        "the rlib's constants"
    );
}

#[test]
fn render_under_valgrind() {
    let Some(mut command) = support::valgrind() else { return };
    let render = render_command();
    command.arg(render.get_program()).args(render.get_args());
    let done = run(&mut command, Duration::from_secs(300));
    assert_eq!(done.code(), 0, "{}", done.output());
    assert!(done.stderr.contains("ERROR SUMMARY: 0 errors"), "{}", done.output());
}
