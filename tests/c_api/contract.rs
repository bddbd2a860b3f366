//! The C contract without a server: tests/data/c/nulls.c (NULL pointers, bad arguments, the buffer
//! rule, receipt walking over the fixtures), tests/data/c/abi_layout.c (what a C compiler makes of
//! include/smartx.h, compared with the contract's table (docs/src/failures.md, result codes) and with the Rust side), and the
//! symbols libsmartx.so exports.

use crate::support;

use std::collections::BTreeSet;
use std::process::Command;
use std::time::Duration;

use support::{c_program, fixture, libdir, repo_dir, run};

const RUN_LIMIT: Duration = Duration::from_secs(120);

/// The contract's table of values (docs/src/failures.md, result codes), hard-coded on purpose: a renumbering must fail here.
const CONTRACT_CONSTANTS: &[(&str, u64)] = &[
    ("SX_OK", 0),
    ("SX_ERR_NULL_ARGUMENT", 1),
    ("SX_ERR_INVALID_ARGUMENT", 2),
    ("SX_ERR_BUFFER_TOO_SMALL", 3),
    ("SX_ERR_OUT_OF_RANGE", 4),
    ("SX_ERR_CONNECT", 10),
    ("SX_ERR_OUTCOME_UNKNOWN", 11),
    ("SX_ERR_TLS", 12),
    ("SX_ERR_UNAUTHORIZED", 20),
    ("SX_ERR_API", 21),
    ("SX_ERR_HTTP", 22),
    ("SX_ERR_BAD_RESPONSE", 30),
    ("SX_ERR_NOT_OK", 31),
    ("SX_ERR_CANCELLED", 40),
    ("SX_ERR_EXPIRED", 41),
    ("SX_ERR_JOURNAL", 50),
    ("SX_ERR_PANIC", 99),
    ("SX_RECEIPT_CUSTOMER", 0),
    ("SX_RECEIPT_MERCHANT", 1),
    ("SX_LINE_UNKNOWN", 0),
    ("SX_LINE_SEPARATOR", 1),
    ("SX_LINE_TEXT", 2),
    ("SX_LINE_NAME_VALUE", 3),
    ("SX_LINE_SPACE", 4),
    ("SX_DECO_IMPORTANT", 1),
    ("SX_DECO_ALIGN_LEFT", 2),
    ("SX_DECO_ALIGN_CENTER", 4),
    ("SX_DECO_ALIGN_RIGHT", 8),
    ("SX_CALL_CREATE", 1),
    ("SX_CALL_START", 2),
    ("SX_CALL_CANCEL", 3),
    ("SX_CALL_ABORT", 4),
    ("SX_CALL_CANCEL_BY_RECEIPT", 5),
    ("SX_OUTCOME_PENDING", 0),
    ("SX_OUTCOME_DONE", 1),
    ("SX_OUTCOME_NOT_DONE", 2),
];

/// The minimum surface of the C contract.
const CONTRACT_FUNCTIONS: &[&str] = &[
    "sx_version",
    "sx_result_name",
    "sx_last_error_message",
    "sx_last_http_status",
    "sx_last_response",
    "sx_set_base_url",
    "sx_set_timeouts",
    "sx_shutdown",
    "sx_start_cash",
    "sx_transaction_parse",
    "sx_transaction_free",
    "sx_receipt_count",
    "sx_receipt_line_get",
];

/// The same constants as the rlib defines them, for Rust callers.
const RUST_CONSTANTS: &[(&str, u32)] = &[
    ("SX_OK", smartx::SX_OK),
    ("SX_ERR_NULL_ARGUMENT", smartx::SX_ERR_NULL_ARGUMENT),
    ("SX_ERR_INVALID_ARGUMENT", smartx::SX_ERR_INVALID_ARGUMENT),
    ("SX_ERR_BUFFER_TOO_SMALL", smartx::SX_ERR_BUFFER_TOO_SMALL),
    ("SX_ERR_OUT_OF_RANGE", smartx::SX_ERR_OUT_OF_RANGE),
    ("SX_ERR_CONNECT", smartx::SX_ERR_CONNECT),
    ("SX_ERR_OUTCOME_UNKNOWN", smartx::SX_ERR_OUTCOME_UNKNOWN),
    ("SX_ERR_TLS", smartx::SX_ERR_TLS),
    ("SX_ERR_UNAUTHORIZED", smartx::SX_ERR_UNAUTHORIZED),
    ("SX_ERR_API", smartx::SX_ERR_API),
    ("SX_ERR_HTTP", smartx::SX_ERR_HTTP),
    ("SX_ERR_BAD_RESPONSE", smartx::SX_ERR_BAD_RESPONSE),
    ("SX_ERR_NOT_OK", smartx::SX_ERR_NOT_OK),
    ("SX_ERR_CANCELLED", smartx::SX_ERR_CANCELLED),
    ("SX_ERR_EXPIRED", smartx::SX_ERR_EXPIRED),
    ("SX_ERR_JOURNAL", smartx::SX_ERR_JOURNAL),
    ("SX_ERR_PANIC", smartx::SX_ERR_PANIC),
    ("SX_RECEIPT_CUSTOMER", smartx::SX_RECEIPT_CUSTOMER),
    ("SX_RECEIPT_MERCHANT", smartx::SX_RECEIPT_MERCHANT),
    ("SX_LINE_UNKNOWN", smartx::SX_LINE_UNKNOWN),
    ("SX_LINE_SEPARATOR", smartx::SX_LINE_SEPARATOR),
    ("SX_LINE_TEXT", smartx::SX_LINE_TEXT),
    ("SX_LINE_NAME_VALUE", smartx::SX_LINE_NAME_VALUE),
    ("SX_LINE_SPACE", smartx::SX_LINE_SPACE),
    ("SX_DECO_IMPORTANT", smartx::SX_DECO_IMPORTANT),
    ("SX_DECO_ALIGN_LEFT", smartx::SX_DECO_ALIGN_LEFT),
    ("SX_DECO_ALIGN_CENTER", smartx::SX_DECO_ALIGN_CENTER),
    ("SX_DECO_ALIGN_RIGHT", smartx::SX_DECO_ALIGN_RIGHT),
    ("SX_CALL_CREATE", smartx::SX_CALL_CREATE),
    ("SX_CALL_START", smartx::SX_CALL_START),
    ("SX_CALL_CANCEL", smartx::SX_CALL_CANCEL),
    ("SX_CALL_ABORT", smartx::SX_CALL_ABORT),
    ("SX_CALL_CANCEL_BY_RECEIPT", smartx::SX_CALL_CANCEL_BY_RECEIPT),
    ("SX_OUTCOME_PENDING", smartx::SX_OUTCOME_PENDING),
    ("SX_OUTCOME_DONE", smartx::SX_OUTCOME_DONE),
    ("SX_OUTCOME_NOT_DONE", smartx::SX_OUTCOME_NOT_DONE),
];

fn nulls_command() -> Command {
    let mut command = Command::new(c_program("nulls"));
    command.arg(fixture("start-cash-response.json")).arg(fixture("start-cashless-response.json"));
    command
}

#[test]
fn nulls_bad_arguments_and_receipt_walking() {
    let done = run(&mut nulls_command(), RUN_LIMIT);
    assert_eq!(done.code(), 0, "{}", done.output());
    assert!(done.stdout.contains(" passed, 0 failed"), "{}", done.output());
}

#[test]
fn nulls_under_valgrind() {
    let Some(mut command) = support::valgrind() else { return };
    let nulls = nulls_command();
    command.arg(nulls.get_program()).args(nulls.get_args());
    let done = run(&mut command, Duration::from_secs(300));
    assert_eq!(done.code(), 0, "{}", done.output());
    assert!(done.stderr.contains("ERROR SUMMARY: 0 errors"), "{}", done.output());
}

#[test]
fn abi_layout_matches_the_contract_and_the_rust_side() {
    let done = run(&mut Command::new(c_program("abi_layout")), RUN_LIMIT);
    assert_eq!(done.code(), 0, "{}", done.output());
    let values = done.values();

    for (name, value) in CONTRACT_CONSTANTS {
        assert_eq!(values.num(name), *value, "{name} in include/smartx.h");
    }
    for ((name, rust), (contract_name, contract)) in RUST_CONSTANTS.iter().zip(CONTRACT_CONSTANTS) {
        assert_eq!(name, contract_name);
        assert_eq!(u64::from(*rust), *contract, "smartx::{name} in the rlib");
    }

    let pointer = std::mem::size_of::<*const u8>() as u64;
    assert_eq!(values.num("signatures_pinned"), 1);
    assert_eq!(values.num("sizeof_pointer"), pointer);
    assert_eq!(values.num("sizeof_sx_result"), 4);
    assert_eq!(values.num("sx_result_is_unsigned"), 1);
    assert_eq!(std::mem::size_of::<smartx::sx_result>(), 4);
    assert_eq!(values.num("sizeof_kind"), 4);
    assert_eq!(values.num("sizeof_decorations"), 4);
    let offsets = [
        ("offsetof_kind", 0),
        ("offsetof_decorations", 4),
        ("offsetof_type", 8),
        ("offsetof_caption", 8 + pointer),
        ("offsetof_text", 8 + 2 * pointer),
        ("offsetof_name", 8 + 3 * pointer),
        ("offsetof_value", 8 + 4 * pointer),
    ];
    for (key, want) in offsets {
        assert_eq!(values.num(key), want, "{key}");
    }
    let size = 8 + 5 * pointer;
    assert_eq!(values.num("sizeof_sx_receipt_line"), size);
    assert_eq!(std::mem::size_of::<smartx::sx_receipt_line>() as u64, size, "the Rust struct");
    assert_eq!(values.num("alignof_sx_receipt_line"), pointer);
    assert_eq!(std::mem::align_of::<smartx::sx_receipt_line>() as u64, pointer);

    // The journal's entry as the contract lays it out.
    let journal = [
        ("offsetof_journal_http_status", 20),
        ("offsetof_journal_began_ms", 24),
        ("offsetof_journal_transaction_id", 40),
        ("offsetof_journal_reference", 40 + 2 * pointer),
        ("sizeof_sx_journal_entry", 40 + 3 * pointer),
    ];
    for (key, want) in journal {
        assert_eq!(values.num(key), want, "{key}");
    }
    assert_eq!(std::mem::size_of::<smartx::sx_journal_entry>() as u64, 40 + 3 * pointer);
}

/// Every contract function is exported, and every exported sx_ function is declared in the
/// header (a symbol missing there means the header drifted from the library).
#[test]
fn exported_symbols_match_the_header() {
    let lib = libdir().join("libsmartx.so");
    let done = run(Command::new("nm").args(["-D", "--defined-only"]).arg(&lib), RUN_LIMIT);
    assert_eq!(done.code(), 0, "{}", done.output());
    let exported: BTreeSet<String> = done
        .stdout
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace().rev();
            let name = fields.next()?;
            let kind = fields.next()?;
            (kind == "T" && name.starts_with("sx_")).then(|| name.to_string())
        })
        .collect();
    for function in CONTRACT_FUNCTIONS {
        assert!(exported.contains(*function), "{function} is not exported; exported: {exported:?}");
    }
    let header = std::fs::read_to_string(repo_dir().join("include/smartx.h")).expect("include/smartx.h");
    for symbol in &exported {
        assert!(header.contains(&format!("{symbol}(")), "{symbol} is exported but not declared in include/smartx.h");
    }
}

/// Registers built with C89 compilers exist: the header compiles as C89 with -pedantic and no warning.
#[test]
fn the_header_compiles_as_c89() {
    let compiler = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let source = support::c_build_dir().join("header_c89.c");
    std::fs::write(&source, "#include \"smartx.h\"\nint main(void) { return sx_version() == 0; }\n").unwrap();
    let built = Command::new(&compiler)
        .args(["-std=c89", "-Wall", "-Wextra", "-Werror", "-pedantic", "-fsyntax-only", "-I"])
        .arg(repo_dir().join("include"))
        .arg(&source)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {compiler}: {e}"));
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
}

/// A C++ register includes the same header: it compiles as C++11 with -pedantic, links unmangled, and works.
#[test]
fn the_header_compiles_and_links_as_cpp() {
    let compiler = std::env::var("CXX").unwrap_or_else(|_| "c++".to_string());
    let out = support::c_build_dir().join("header_cpp");
    let libdir = libdir();
    let built = Command::new(&compiler)
        .args(["-std=c++11", "-Wall", "-Wextra", "-Werror", "-pedantic"])
        .arg("-I")
        .arg(repo_dir().join("include"))
        .arg(repo_dir().join("tests/data/c/header_cpp.cpp"))
        .arg("-o")
        .arg(&out)
        .arg("-L")
        .arg(&libdir)
        .arg("-lsmartx")
        .arg(format!("-Wl,-rpath,{}", libdir.display()))
        .output()
        .unwrap_or_else(|e| panic!("cannot run {compiler}: {e}"));
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    let done = run(&mut Command::new(&out), RUN_LIMIT);
    assert_eq!(done.code(), 0, "{}", done.output());
    assert_eq!(done.stdout.trim(), format!("{} SX_ERR_TLS", env!("CARGO_PKG_VERSION")));
}
