//! The language bindings: generated from the header and current, matching the library's layout and exports,
//! and working against the sandbox with the real Free Pascal compiler and the real Python interpreter.
//! Each comparison is also run on a deliberately altered copy, to show that it reports the change.

use crate::support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use support::manual::code_block;
use support::{libdir, repo_dir, run, Run, Sandbox, SEED_ID};

use super::{compile_cpp, fpc, ok, scratch, LIMIT};

const TOKEN: &str = "bindings-token-SECRET-93af";
/// The book's chapters whose code blocks the tests run as pasted.
const C_CHAPTER: &str = "docs/src/getting-started/c.md";
const CPP_CHAPTER: &str = "docs/src/getting-started/cpp.md";

fn python() -> Command {
    let mut command = Command::new("python3");
    // No __pycache__ or .pytest_cache in the source tree.
    command.env("PYTHONDONTWRITEBYTECODE", "1");
    command
}

fn generator(args: &[&str]) -> Run {
    let mut command = python();
    command.arg(repo_dir().join("bindings/generate.py")).args(args);
    run(&mut command, LIMIT)
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

fn header() -> String {
    std::fs::read_to_string(repo_dir().join("include/smartx.h")).expect("read include/smartx.h")
}

/// The header with `from` replaced by `to` (which must occur), written to `dir/smartx.h`.
fn altered_header(dir: &Path, from: &str, to: &str) -> PathBuf {
    let text = header();
    assert!(text.contains(from), "the header no longer contains {from:?}: update this test");
    let path = dir.join("smartx.h");
    write(&path, &text.replacen(from, to, 1));
    path
}

#[test]
fn the_committed_bindings_are_the_generated_ones() {
    let done = generator(&["--check"]);
    assert_eq!(done.code(), 0, "{}", done.output());
    // And the check does fail on a header that changed: a new function is missing from the committed files.
    let dir = scratch("stale");
    let changed =
        altered_header(dir.as_path(), "void sx_shutdown(void);", "void sx_shutdown(void);\nvoid sx_new_call(void);");
    let done = generator(&["--check", "--header", changed.to_str().expect("UTF-8 path")]);
    assert_ne!(done.code(), 0, "a stale binding passed the check:\n{}", done.output());
    assert!(done.stderr.contains("smartx.pas") && done.stderr.contains("_ffi.py"), "{}", done.output());
}

#[test]
fn the_generator_refuses_what_it_does_not_understand() {
    let dir = scratch("unknown");
    for (from, to) in [
        ("#define SX_OK 0", "#define SX_OK (1 << 2)"),
        ("typedef uint32_t sx_result;", "typedef uint32_t sx_result;\nunion sx_u { int a; float b; };"),
        ("#include <stdint.h>", "#include <stdint.h>\n#include <stdbool.h>"),
    ] {
        let changed = altered_header(&dir, from, to);
        let done = generator(&["--check", "--header", changed.to_str().expect("UTF-8 path")]);
        assert_ne!(done.code(), 0, "{to:?} was accepted:\n{}", done.output());
        assert!(!done.stderr.contains("stale"), "{to:?} was skipped, not refused:\n{}", done.output());
    }
}

/// NAME=value lines into a sorted map.
fn values(done: &Run) -> BTreeMap<String, String> {
    done.stdout
        .lines()
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| (key.to_string(), value.trim().to_string()))
        .collect()
}

/// Every key whose value differs or that only one side has.
fn mismatches(c: &BTreeMap<String, String>, binding: &BTreeMap<String, String>) -> Vec<String> {
    let mut keys: Vec<&String> = c.keys().chain(binding.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|key| c.get(*key) != binding.get(*key))
        .map(|key| format!("{key}: C {:?}, binding {:?}", c.get(key), binding.get(key)))
        .collect()
}

/// sizeof/offsetof/constants as a C compiler sees include/smartx.h (or an altered copy in `dir`).
fn c_layout(header_dir: &Path, out_dir: &Path) -> BTreeMap<String, String> {
    let source = out_dir.join("layout.c");
    let header = header_dir.join("smartx.h");
    let program = ok(generator(&["--layout-c", "--header", header.to_str().expect("UTF-8")]), "generating layout.c");
    write(&source, &program.stdout);
    let exe = out_dir.join("layout-c");
    let mut cc = Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".into()));
    cc.args(["-std=c99", "-Wall", "-Wextra", "-Werror", "-I"]).arg(header_dir).arg(&source).arg("-o").arg(&exe);
    ok(run(&mut cc, LIMIT), "compiling layout.c");
    let map = values(&ok(run(&mut Command::new(&exe), LIMIT), "layout-c"));
    // Not silently short: one line per #define in the header and a size for every struct.
    let text = std::fs::read_to_string(&header).expect("read the header");
    let defines = text.lines().filter(|l| l.starts_with("#define SX_")).count();
    assert_eq!(map.keys().filter(|k| k.starts_with("const.")).count(), defines, "{map:?}");
    let structs = text.lines().filter(|l| l.starts_with("typedef struct") && l.ends_with('{')).count();
    assert_eq!(map.keys().filter(|k| k.starts_with("sizeof.") && k.matches('.').count() == 1).count(), structs);
    map
}

fn pascal_layout(unit_dir: &Path, header: &Path, out_dir: &Path) -> BTreeMap<String, String> {
    let program = ok(generator(&["--layout-pascal", "--header", header.to_str().expect("UTF-8")]), "layout.pas");
    let source = out_dir.join("layout.pas");
    write(&source, &program.stdout);
    let exe = fpc(&source, unit_dir, out_dir);
    values(&ok(run(&mut Command::new(exe), LIMIT), "the Pascal layout program"))
}

fn python_layout(package_parent: &Path, header: &Path, out_dir: &Path) -> BTreeMap<String, String> {
    let program = ok(generator(&["--layout-python", "--header", header.to_str().expect("UTF-8")]), "layout.py");
    let source = out_dir.join("layout.py");
    write(&source, &program.stdout);
    let mut command = python();
    command.arg(&source).env("PYTHONPATH", package_parent);
    values(&ok(run(&mut command, LIMIT), "the Python layout program"))
}

fn the_c_layout() -> &'static BTreeMap<String, String> {
    static LAYOUT: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    LAYOUT.get_or_init(|| c_layout(&repo_dir().join("include"), &scratch("layout-c")))
}

#[test]
fn pascal_records_and_constants_match_c() {
    let c = the_c_layout();
    let header = repo_dir().join("include/smartx.h");
    let pascal = pascal_layout(&repo_dir().join("bindings/pascal"), &header, &scratch("layout-pascal"));
    let wrong = mismatches(c, &pascal);
    assert!(wrong.is_empty(), "the Pascal unit differs from the C header:\n{}", wrong.join("\n"));
}

#[test]
fn python_structures_and_constants_match_c() {
    let c = the_c_layout();
    let header = repo_dir().join("include/smartx.h");
    let python = python_layout(&repo_dir().join("bindings/python"), &header, &scratch("layout-python"));
    let wrong = mismatches(c, &python);
    assert!(wrong.is_empty(), "the Python declarations differ from the C header:\n{}", wrong.join("\n"));
}

/// Bindings generated from a header whose struct field and constant were changed, compared with the C compiler's
/// view of the real header: both comparisons must name exactly what was changed.
#[test]
fn the_layout_checks_report_a_changed_field_and_constant() {
    let dir = scratch("altered");
    let header = altered_header(&dir, "  uint32_t decorations;", "  uint64_t decorations;");
    let text =
        std::fs::read_to_string(&header).expect("read").replacen("#define SX_ERR_TLS 12", "#define SX_ERR_TLS 13", 1);
    write(&header, &text);
    let pas = dir.join("smartx.pas");
    let py_parent = dir.join("python");
    let py = py_parent.join("smartx/_ffi.py");
    let h = header.to_str().expect("UTF-8");
    ok(
        generator(&["--header", h, "--pascal", pas.to_str().expect("UTF-8"), "--python", py.to_str().expect("UTF-8")]),
        "generating from the altered header",
    );
    // The Python layout program imports smartx._ffi only.
    write(&py_parent.join("smartx/__init__.py"), "");

    let c = the_c_layout();
    for (binding, layout) in
        [("Pascal", pascal_layout(&dir, &header, &dir)), ("Python", python_layout(&py_parent, &header, &dir))]
    {
        let wrong = mismatches(c, &layout);
        let named = |key: &str| wrong.iter().any(|line| line.starts_with(&format!("{key}:")));
        assert!(named("sizeof.sx_receipt_line.decorations"), "{binding}: {wrong:#?}");
        assert!(named("offsetof.sx_receipt_line.type"), "{binding}: {wrong:#?}");
        assert!(named("const.SX_ERR_TLS"), "{binding}: {wrong:#?}");
        assert!(!named("const.SX_OK"), "{binding}: an unchanged constant was reported: {wrong:#?}");
    }
}

/// The generator on what the C API will grow (callback types, padded structs, pointers to integers, more
/// handles; tests/data/bindings/generator_cases.h): the Pascal unit compiles and both bindings lay out as C does.
#[test]
fn generated_bindings_of_coming_constructs_match_c() {
    let dir = scratch("coming");
    let header = dir.join("smartx.h");
    std::fs::copy(repo_dir().join("tests/data/bindings/generator_cases.h"), &header).expect("copy generator_cases.h");
    let pas = dir.join("smartx.pas");
    let py_parent = dir.join("python");
    let py = py_parent.join("smartx/_ffi.py");
    let h = header.to_str().expect("UTF-8");
    ok(
        generator(&["--header", h, "--pascal", pas.to_str().expect("UTF-8"), "--python", py.to_str().expect("UTF-8")]),
        "generating from generator_cases.h",
    );
    write(&py_parent.join("smartx/__init__.py"), "");
    let unit = std::fs::read_to_string(&pas).expect("read the unit");
    assert!(
        unit.contains("sx_log_callback = procedure(user_data: Pointer; level: UInt32; message_: PAnsiChar); cdecl;"),
        "{unit}"
    );
    assert!(unit.contains("verdict: PUInt32"), "{unit}");
    let c = c_layout(&dir, &dir);
    assert!(c.contains_key("offsetof.sx_mixed.e"), "{c:?}");
    for (binding, layout) in
        [("Pascal", pascal_layout(&dir, &header, &dir)), ("Python", python_layout(&py_parent, &header, &dir))]
    {
        let wrong = mismatches(&c, &layout);
        assert!(wrong.is_empty(), "{binding} differs from C:\n{}", wrong.join("\n"));
    }
}

/// The functions the library exports, against the header's prototypes as the generator reads them.
fn export_mismatches(header: &Path) -> Vec<String> {
    let declared = ok(generator(&["--functions", "--header", header.to_str().expect("UTF-8")]), "--functions");
    let declared: std::collections::BTreeSet<String> = declared.stdout.lines().map(str::to_string).collect();
    let nm =
        ok(run(Command::new("nm").args(["-D", "--defined-only"]).arg(libdir().join("libsmartx.so")), LIMIT), "nm -D");
    let exported: std::collections::BTreeSet<String> = nm
        .stdout
        .lines()
        .filter_map(|line| line.split_whitespace().nth(2))
        .filter(|name| name.starts_with("sx_"))
        .map(str::to_string)
        .collect();
    let mut wrong: Vec<String> =
        declared.difference(&exported).map(|f| format!("declared, not exported: {f}")).collect();
    wrong.extend(exported.difference(&declared).map(|f| format!("exported, not declared: {f}")));
    wrong
}

#[test]
fn the_library_exports_exactly_the_functions_of_the_header() {
    let wrong = export_mismatches(&repo_dir().join("include/smartx.h"));
    assert!(wrong.is_empty(), "{wrong:#?}");
    let dir = scratch("exports");
    let extra = altered_header(&dir, "void sx_shutdown(void);", "void sx_shutdown(void);\nvoid sx_not_there(void);");
    assert_eq!(export_mismatches(&extra), vec!["declared, not exported: sx_not_there".to_string()]);
    let fewer = altered_header(&dir, "void sx_shutdown(void);", "");
    assert_eq!(export_mismatches(&fewer), vec!["exported, not declared: sx_shutdown".to_string()]);
}

#[test]
fn pascal_example_pays_and_prints_the_receipt() {
    let dir = scratch("pascal-example");
    let exe = fpc(&repo_dir().join("bindings/pascal/start_cash.dpr"), &repo_dir().join("bindings/pascal"), &dir);
    let sandbox = Sandbox::start(&["--token", TOKEN]);
    let done = run(Command::new(&exe).args([SEED_ID, TOKEN, &sandbox.base_url]), LIMIT);
    assert_eq!(done.code(), 0, "{}", done.output());
    assert!(done.stdout.contains("Result: SX_OK (0), HTTP status 200"), "{}", done.output());
    assert!(done.stdout.contains("== Kundenkarte =="), "{}", done.output());
    assert!(done.stdout.contains("Kartennummer: 9276004429942845"), "{}", done.output());
    assert!(done.stdout.contains("TA Code: 29008410"), "{}", done.output());
    assert_eq!(sandbox.requests(SEED_ID).len(), 1);

    // Paid twice: the API's refusal, explained, with its code as the exit status.
    let done = run(Command::new(&exe).args([SEED_ID, TOKEN, &sandbox.base_url]), LIMIT);
    assert_eq!(done.code(), 21, "{}", done.output());
    assert!(done.stdout.contains("SX_ERR_API (21), HTTP status 400"), "{}", done.output());
    assert!(done.stdout.contains("already started"), "{}", done.output());
    assert!(done.stdout.contains("Cashier: Der Zahlungsdienst hat den Auftrag abgelehnt"), "{}", done.output());
    assert!(!done.output().contains(TOKEN), "{}", done.output());
}

#[test]
fn python_package_passes_its_tests_against_the_sandbox() {
    let probe = run(python().args(["-m", "pytest", "--version"]), LIMIT);
    assert_eq!(probe.code(), 0, "pytest is needed (`pip install pytest`, as .ci/run does):\n{}", probe.output());
    let mut command = python();
    command
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "--basetemp"])
        .arg(scratch("pytest"))
        .current_dir(repo_dir().join("bindings/python"))
        .env("SMARTX_LIBRARY", libdir().join("libsmartx.so"))
        .env("SMARTX_SANDBOX", support::sandbox_exe());
    let done = run(&mut command, LIMIT);
    // 5 is pytest's "no tests collected": a binding without tests is a failure too.
    assert_ne!(done.code(), 5, "pytest collected no tests:\n{}", done.output());
    assert_eq!(done.code(), 0, "pytest failed:\n{}", done.output());
    assert!(done.stdout.contains(" passed"), "{}", done.output());
}

#[test]
fn cpp_example_pays_prints_the_receipt_and_throws_with_the_code() {
    let exe = compile_cpp_example("start_cash");

    let sandbox = Sandbox::start(&["--token", TOKEN]);
    let done = run(Command::new(&exe).args([SEED_ID, TOKEN, &sandbox.base_url]), LIMIT);
    assert_eq!(done.code(), 0, "{}", done.output());
    assert!(done.stdout.contains("Result: SX_OK, HTTP status 200"), "{}", done.output());
    assert!(
        done.stdout.contains("== Kundenkarte ==\nKartennummer: 9276004429942845\nTA Code: 29008410\n"),
        "{}",
        done.output()
    );

    let done = run(Command::new(&exe).args([SEED_ID, TOKEN, &sandbox.base_url]), LIMIT);
    assert_eq!(done.code(), 21, "{}", done.output());
    assert!(done.stdout.contains("Result: SX_ERR_API (21), HTTP status 400"), "{}", done.output());
    assert!(done.stdout.contains("already started"), "{}", done.output());
    assert!(done.stdout.contains("Cashier: Der Zahlungsdienst hat den Auftrag abgelehnt"), "{}", done.output());

    let failed = sandbox.create_with(serde_json::json!({ "mode": "failed" }));
    let done = run(Command::new(&exe).args([failed.as_str(), TOKEN, &sandbox.base_url]), LIMIT);
    assert_eq!(done.code(), 31, "{}", done.output());
    assert!(done.stdout.contains("Kartennummer: 9276004429942845"), "the unpaid receipt:\n{}", done.output());

    let done = run(Command::new(&exe).args(["bad id", TOKEN, &sandbox.base_url]), LIMIT);
    assert_eq!(done.code(), 2, "{}", done.output());
    assert!(done.stdout.contains("SX_ERR_INVALID_ARGUMENT (2), HTTP status 0"), "{}", done.output());
    assert!(!done.output().contains(TOKEN), "{}", done.output());
}

#[test]
fn cpp_pair_example_pairs_cancels_from_another_thread_and_rethrows_the_callbacks_exception() {
    let exe = compile_cpp_example("pair");
    let secret = "cpp-pair-SECRET-8d02";
    let client = format!("cpp-till:{secret}");
    let confirming =
        Sandbox::start(&["--client", &client, "--device-auto-confirm", "2", "--device-interval-ms", "100"]);
    let done = run(Command::new(&exe).args(["cpp-till", secret, &confirming.base_url]), LIMIT);
    assert_eq!(done.code(), 0, "{}", done.output());
    assert!(done.stdout.contains("Code: "), "the callback got the user code:\n{}", done.output());
    assert!(done.stdout.contains("Paired; refresh token kept: yes"), "{}", done.output());

    // The callback's exception does not cross the C boundary: caught in the trampoline, rethrown by pair().
    let done = run(Command::new(&exe).args(["cpp-till", secret, &confirming.base_url, "throw"]), LIMIT);
    assert_eq!(done.code(), 3, "{}", done.output());
    assert!(done.stdout.contains("Callback threw: the display is broken"), "{}", done.output());

    // Never confirmed: cancel() from a second thread 300 ms after the code ends the pairing (the bound of a
    // second is measured by the Python test, inside one process).
    let waiting = Sandbox::start(&["--client", &client, "--device-interval-ms", "200"]);
    let done = run(Command::new(&exe).args(["cpp-till", secret, &waiting.base_url, "cancel"]), LIMIT);
    assert_eq!(done.code(), 40, "{}", done.output());
    assert!(done.stdout.contains("Result: SX_ERR_CANCELLED (40)"), "{}", done.output());
    assert!(!done.output().contains(secret), "{}", done.output());
}

#[test]
fn cpp_transaction_example_reads_every_field_and_asks_pre_transaction() {
    use serde_json::Value;
    let exe = compile_cpp_example("transaction");
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    let shown = |v: &Value| match v {
        Value::Null => "-".to_owned(),
        Value::Bool(b) => u8::from(*b).to_string(),
        other => other.to_string(),
    };
    for name in ["start-cash-response.json", "start-cashless-response.json"] {
        let path = repo_dir().join("fixtures").join(name);
        let json: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let done = run(Command::new(&exe).arg(&path), LIMIT);
        assert_eq!(done.code(), 0, "{}", done.output());
        let mut want = vec![
            format!("id: {}", text(&json["id"])),
            format!("status: {} (code 5)", text(&json["status"])),
            format!("payment method: {}", text(&json["payment_method"])),
            format!("trans id: {}", text(&json["trans_id"])),
            format!("receipt number: {}", text(&json["receipt_number"])),
            format!("merchant: {} ({})", text(&json["merchant"]["companyname"]), text(&json["merchant"]["id"])),
            format!("created: {}", text(&json["created"])),
            format!("refs: {} / {}", text(&json["merchantRef"]), text(&json["transactionRef"])),
            format!("devices: {} -> {}", text(&json["device_source"]["id"]), text(&json["device_destination"]["id"])),
            format!("sum: {} {}", json["basket_info"]["sum"], text(&json["basket_info"]["currency"])),
            format!("missing sum: {}", shown(&json["basket_info"]["missing_sum"])),
            format!("demo: {}", shown(&json["is_demo"])),
            format!("print merchant copy: {}", shown(&json["receipt_merchant_print"])),
        ];
        for (i, p) in json["basket"]["products"].as_array().unwrap().iter().enumerate() {
            want.push(format!(
                "product {i}: {} | article {} | ean {} | type {} | id {} | parent {} | quantity {} | unit price {} | vat {}",
                text(&p["desc"]),
                text(&p["articleNumber"]),
                text(&p["ean"]),
                text(&p["item_type"]),
                shown(&p["id"]),
                shown(&p["parent"]),
                shown(&p["quantity"]),
                shown(&p["priceOne"]),
                shown(&p["tax"]),
            ));
        }
        for (i, r) in json["transactions"].as_array().unwrap().iter().enumerate() {
            want.push(format!("reference {i}: {} {}", text(&r["object"]), text(&r["id"])));
        }
        let customer = json.pointer("/idents/0/merchantcard/customer/contact/name").map_or("-".into(), text);
        want.push(format!("customer: {customer}"));
        for line in want {
            assert!(done.stdout.lines().any(|l| l == line), "{line:?} missing in:\n{}", done.output());
        }
        let idents = json["idents"].as_array().map_or(0, Vec::len);
        assert_eq!(done.stdout.lines().filter(|l| l.starts_with("ident ")).count(), idents);
    }

    let seed = repo_dir().join("fixtures/start-cash-response.json");
    let done = run(Command::new(&exe).arg(&seed), LIMIT);
    assert!(
        done.stdout.contains(
            "ident 0: secucard Kundenkarte | type card | card 9276004429942845 | group Geschenkgutschein | \
             unlocked/active | valid 1 | balance 0 | points 0"
        ),
        "{}",
        done.output()
    );

    let sandbox = Sandbox::start(&["--token", TOKEN]);
    let id = sandbox.create_one();
    let done = run(Command::new(&exe).arg(&seed).args([&sandbox.base_url, TOKEN, &id]), LIMIT);
    assert_eq!(done.code(), 0, "{}", done.output());
    let path = format!("/api/v2/Smart/Transactions/{id}/preTransaction");
    let (status, body) = sandbox.http("POST", &path, None, Some(TOKEN));
    assert_eq!(status, 200, "{body}");
    let answer: Value = serde_json::from_str(&body).unwrap();
    assert!(done.stdout.contains(&format!("pre-check missing sum: {}\n", answer["missing_sum"])), "{}", done.output());
    let bonus = &answer["bonus_products"][0];
    let line = format!("bonus 0: {} | article  | ean  | type {} |", text(&bonus["desc"]), text(&bonus["item_type"]));
    assert!(done.stdout.contains(&line), "{line:?} in:\n{}", done.output());
    assert!(done.stdout.contains(&format!("unit price {} |", bonus["priceOne"])), "{}", done.output());

    let done = run(Command::new(&exe).arg(&seed).args([&sandbox.base_url, TOKEN, "STX_NOBODY_KNOWS"]), LIMIT);
    assert_eq!(done.code(), 21, "{}", done.output());
    assert!(done.stdout.contains("Result: SX_ERR_API (21), HTTP status 404"), "{}", done.output());
}

/// Compiles examples-cpp/<name>.cpp with -std=c++17 -Wall -Wextra -Werror -pedantic against this run's library.
fn compile_cpp_example(name: &str) -> PathBuf {
    let exe = scratch(&format!("cpp-example-{name}")).join(name);
    compile_cpp(&format!("examples-cpp/{name}.cpp"), &exe, &["-pthread"]);
    exe
}

#[test]
fn cpp_client_example_pays_with_client_credentials_and_prints_the_rendered_receipt() {
    let exe = compile_cpp_example("client");
    let secret = "cpp-client-SECRET-31c9";
    let sandbox = Sandbox::start(&["--client", &format!("cpp-till:{secret}")]);
    let id = sandbox.create_one();
    let done = run(Command::new(&exe).args([id.as_str(), "cpp-till", secret, &sandbox.base_url]), LIMIT);
    assert_eq!(done.code(), 0, "{}", done.output());
    assert!(done.stdout.contains("Result: SX_OK, HTTP status 200"), "{}", done.output());
    // The library's layout at 42 columns: the caption centred between rules, the value in the last column.
    assert!(
        done.stdout
            .contains("============== Kundenkarte ===============\nKartennummer:             9276004429942845\n"),
        "{}",
        done.output()
    );
    assert!(done.stdout.contains("ESC/POS: 142 bytes, ending in a cut: yes"), "{}", done.output());
    // The log callback ran (bridged through the trampoline) and never saw the secret.
    assert!(done.stderr.contains("POST /oauth/token -> HTTP 200"), "{}", done.output());
    assert!(!done.output().contains(secret), "{}", done.output());
    assert_eq!(sandbox.requests(&id).len(), 1, "one payment, one request");

    // A wrong secret: the token request is refused, the exception carries the code, nothing is paid.
    let other = sandbox.create_one();
    let done = run(Command::new(&exe).args([other.as_str(), "cpp-till", "wrong", &sandbox.base_url]), LIMIT);
    assert_eq!(done.code(), 20, "{}", done.output());
    assert!(done.stdout.contains("Result: SX_ERR_UNAUTHORIZED (20)"), "{}", done.output());
    assert!(sandbox.requests(&other).is_empty());
}

const FLOW_CLIENT: &str = "cpp-flow";
const FLOW_SECRET: &str = "cpp-flow-SECRET-4e07";
/// A start's path; the create's has no trailing slash.
const STARTS: &str = "/api/v2/Smart/Transactions/";

/// A sandbox whose next three starts meet: an ordinary answer, a card the terminal declines, `third`.
fn flow_sandbox(third: serde_json::Value) -> Sandbox {
    let sandbox = Sandbox::start(&["--client", &format!("{FLOW_CLIENT}:{FLOW_SECRET}"), "--token", TOKEN]);
    sandbox.set_rule(Some("POST"), STARTS, 1, serde_json::json!({"mode": "normal"}));
    sandbox.set_rule(Some("POST"), STARTS, 1, serde_json::json!({"mode": "terminal", "delay_ms": 0, "decline": true}));
    sandbox.set_rule(Some("POST"), STARTS, 1, third);
    sandbox
}

/// The ids a full_flow example created, in sale order ("sale N: STX_... created").
fn flow_ids(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter_map(|line| line.split_once(": STX_"))
        .map(|(_, rest)| format!("STX_{}", rest.split(' ').next().unwrap_or_default()))
        .collect()
}

fn flow_starts(sandbox: &Sandbox, id: &str) -> usize {
    sandbox.requests(id).iter().filter(|r| r["path"].as_str().is_some_and(|p| p.contains("/start/"))).count()
}

/// examples-cpp/full_flow.cpp: cash paid, a card declined (smartx::not_ok carries the
/// transaction, whose receipt is printed), a lost answer resolved by client::check; each sale started once.
#[test]
fn cpp_full_flow_example_pays_is_declined_and_resolves_a_lost_answer() {
    let exe = compile_cpp_example("full_flow");
    let sandbox = flow_sandbox(serde_json::json!({"mode": "reset"}));
    let done = run(Command::new(&exe).args([FLOW_CLIENT, FLOW_SECRET, &sandbox.base_url]), LIMIT);
    assert_eq!(done.code(), 0, "{}", done.output());
    let ids = flow_ids(&done.stdout);
    assert_eq!(ids.len(), 3, "{}", done.output());
    for line in [
        &format!("sale 1: {} created, 4.70 EUR, paying by cash", ids[0]),
        "sale 1: paid\n=============== Barzahlung ===============",
        "sale 2: not paid (failed)\n",
        "Karte abgelehnt",
        "sale 3: the answer was lost; checking\nsale 3: checked: paid (ok), 4.70 EUR\n",
        "Karte akzeptiert",
    ] {
        assert!(done.stdout.contains(line), "{line:?} missing:\n{}", done.output());
    }
    let statuses: Vec<String> =
        ids.iter().map(|id| sandbox.read_back(id, TOKEN)["status"].as_str().unwrap_or_default().to_string()).collect();
    assert_eq!(statuses, ["ok", "failed", "ok"]);
    for id in &ids {
        assert_eq!(flow_starts(&sandbox, id), 1, "{id} was started once:\n{}", done.output());
    }
    let read = sandbox.read_back(&ids[0], TOKEN);
    assert_eq!((read["merchantRef"].as_str(), read["transactionRef"].as_str()), (Some("till-7"), Some("Beleg 1")));
    assert_eq!(read["basket"]["products"][0]["desc"], "Brötchen");
    assert!(!done.output().contains(FLOW_SECRET), "{}", done.output());

    // Lost before executing: check says the start never ran, and the example starts again, once.
    let sandbox = flow_sandbox(serde_json::json!({"mode": "reset_before"}));
    let done = run(Command::new(&exe).args([FLOW_CLIENT, FLOW_SECRET, &sandbox.base_url]), LIMIT);
    assert_eq!(done.code(), 0, "{}", done.output());
    let ids = flow_ids(&done.stdout);
    assert!(
        done.stdout.contains("sale 3: checked: the start never ran\nsale 3: started again: SX_OK\n"),
        "{}",
        done.output()
    );
    assert_eq!(sandbox.read_back(&ids[2], TOKEN)["status"], "ok");
    assert_eq!(flow_starts(&sandbox, &ids[2]), 2, "the lost start and the one the register made again");

    // A wrong secret: the exception's code is the exit status, and nothing was created.
    let done = run(Command::new(&exe).args([FLOW_CLIENT, "wrong", &sandbox.base_url]), LIMIT);
    assert_eq!(done.code(), 20, "{}", done.output());
}

/// examples-cpp/end_of_day.cpp: a loyalty sale updated before it is paid on the register's own
/// terminal, a card sale reversed by its receipt number, the day's transactions listed page by page, the
/// diagnosis and the end of day's report.
#[test]
fn cpp_end_of_day_example_updates_reports_reverses_lists_and_closes_the_day() {
    let exe = compile_cpp_example("end_of_day");
    let sandbox = Sandbox::start(&["--client", &format!("{FLOW_CLIENT}:{FLOW_SECRET}"), "--token", TOKEN]);
    let day = "Tag 2026-11-25 & Ä";
    let done = run(Command::new(&exe).args([FLOW_CLIENT, FLOW_SECRET, day, &sandbox.base_url]), LIMIT);
    assert_eq!(done.code(), 0, "{}", done.output());
    let listed: Vec<&str> = done.stdout.lines().filter_map(|line| line.strip_prefix("list: STX_")).collect();
    assert_eq!(listed.len(), 2, "{}", done.output());
    let loyal = format!("STX_{}", listed[0].split(' ').next().unwrap_or_default());
    let card = format!("STX_{}", listed[1].split(' ').next().unwrap_or_default());
    for line in [
        "update: created 580 cents\ncashless_direct: ok\n".to_string(),
        format!("canceltrx 0002: {card} cancelled\n"),
        format!("list: {loyal} ok 580 cents\nlist: {card} cancelled 290 cents\nlist: 2 in all\n"),
        "diagnosis: ok\nend of day: ok\n".to_string(),
        "Kartenzahlungen                          1\nSumme EUR                             5,80\n".to_string(),
    ] {
        assert!(done.stdout.contains(&line), "{line:?} missing:\n{}", done.output());
    }
    let read = sandbox.read_back(&loyal, TOKEN);
    assert_eq!(read["idents"][0]["value"], "9276004429942845", "{read}");
    assert_eq!((read["status"].as_str(), read["transactionRef"].as_str()), (Some("ok"), Some(day)));
    let paths: Vec<String> =
        sandbox.requests(&loyal).iter().filter_map(|r| r["path"].as_str().map(str::to_string)).collect();
    assert_eq!(paths.iter().filter(|p| p.ends_with("/start/cashless_direct")).count(), 1, "{paths:?}");
    assert_eq!(flow_starts(&sandbox, &card), 1);
    assert!(!done.output().contains(FLOW_SECRET), "{}", done.output());
}

/// tests/data/bindings/cpp_lifecycle.cpp: what smartx.hpp throws for each refusal (argument checks before anything is
/// sent, the API's state rules, a declined card as smartx::not_ok with its transaction), and listed transactions
/// that keep their page alive.
#[test]
fn cpp_wrapper_throws_the_right_exception_for_each_refusal() {
    let exe = scratch("cpp-lifecycle").join("cpp_lifecycle");
    compile_cpp("tests/data/bindings/cpp_lifecycle.cpp", &exe, &[]);
    let sandbox = Sandbox::start(&["--token", TOKEN]);
    let declined = sandbox.create_with(serde_json::json!({ "mode": "failed" }));
    let done = run(Command::new(&exe).args([&sandbox.base_url, TOKEN, &declined]), LIMIT);
    assert_eq!(done.code(), 0, "{}", done.output());
    let got: BTreeMap<String, String> = values(&done);
    let expected = [
        ("quantity_too_large", "out_of_range"),
        ("price_too_large", "out_of_range"),
        ("nul_in_text", "invalid_argument"),
        ("blank_description", "error 2 http 0"),
        ("bad_currency", "error 2 http 0"),
        ("bad_card", "error 2 http 0"),
        ("empty_basket_sum", "0"),
        ("negative_total", "error 2 http 0"),
        ("moved_from", "logic_error"),
        ("bad_id", "error 2 http 0"),
        ("bad_method", "error 2 http 0"),
        ("cancel_before_ok", "error 21 http 400"),
        ("start", "ok"),
        ("second_start", "error 21 http 400"),
        ("abort_after_start", "error 21 http 400"),
        ("update_after_start", "error 21 http 400"),
        ("cancel", "cancelled"),
        ("check", "2 cancelled"),
        ("unknown_id", "error 21 http 404"),
        ("unknown_receipt", "error 21 http 404"),
        ("release_listed", "logic_error"),
        ("listed_outlives_page", "same cancelled"),
    ];
    for (name, value) in expected {
        assert_eq!(got.get(name).map(String::as_str), Some(value), "{name}:\n{}", done.output());
    }
    let declined_line = got.get("declined").map(String::as_str).unwrap_or_default();
    assert!(declined_line.starts_with("not_ok 31 failed receipt "), "{}", done.output());
    assert_ne!(declined_line, "not_ok 31 failed receipt 0", "the unpaid receipt came with the exception");
    assert_eq!(got.len(), expected.len() + 1, "every step reported once:\n{}", done.output());
    // The argument refusals sent nothing: 14 requests are the 14 steps that reached the API (two creates, seven
    // calls on the sale, the unknown id, the declined start, the unknown receipt, two list pages).
    assert_eq!(sandbox.api_requests(), 14, "{}", done.output());
    assert_eq!(flow_starts(&sandbox, &declined), 1);
}

/// Money as integer cents, enforced by the compiler: a double price or
/// quantity does not compile (the same program with integers does, so the refusal is the type's).
#[test]
fn cpp_basket_refuses_floating_point_money_at_compile_time() {
    let dir = scratch("cpp-cents");
    let compile = |name: &str, cents: &str, quantity: &str| {
        let source = dir.join(format!("{name}.cpp"));
        write(
            &source,
            &format!(
                "#include \"smartx.hpp\"\nint main()\n{{\n    smartx::basket basket(\"EUR\");\n    \
                 basket.add_product(\"Kaffee\", {quantity}, {cents}, 19u);\n    return 0;\n}}\n"
            ),
        );
        let mut cxx = Command::new(std::env::var("CXX").unwrap_or_else(|_| "c++".into()));
        cxx.args(["-std=c++17", "-Wall", "-Wextra", "-Werror", "-pedantic", "-fsyntax-only", "-I"])
            .arg(repo_dir().join("include"))
            .arg(&source);
        run(&mut cxx, LIMIT)
    };
    ok(compile("integers", "290", "1"), "the header with integer cents");
    ok(compile("wide", "static_cast<unsigned long long>(290)", "static_cast<short>(1)"), "other integer types");
    for (name, cents, quantity) in [("double", "2.90", "1"), ("float", "290.0f", "1"), ("quantity", "290", "1.5")] {
        let done = compile(name, cents, quantity);
        assert_ne!(done.code(), 0, "{name} compiled:\n{}", done.output());
        assert!(done.stderr.contains("never floating point"), "{name}: not the header's refusal:\n{}", done.output());
    }
}

/// The book's C++ day (`<!-- cpp-day -->` in getting-started/cpp.md), compiled as pasted and run against the sandbox: paid in
/// cash, declined (the unpaid transaction moved out of smartx::not_ok and printed), and a lost answer checked.
#[test]
fn the_books_cpp_day_runs_as_pasted() {
    let dir = scratch("book-cpp-day");
    let source = dir.join("day.cpp");
    write(&source, &code_block(CPP_CHAPTER, "cpp-day"));
    let exe = dir.join("day");
    let lib = libdir();
    let mut cxx = Command::new(std::env::var("CXX").unwrap_or_else(|_| "c++".into()));
    cxx.args(["-std=c++17", "-Wall", "-Wextra", "-Werror", "-pedantic", "-pthread", "-I"])
        .arg(repo_dir().join("include"))
        .arg(&source)
        .arg("-o")
        .arg(&exe)
        .arg("-L")
        .arg(&lib)
        .arg("-lsmartx")
        .arg(format!("-Wl,-rpath,{}", lib.display()));
    ok(run(&mut cxx, LIMIT), "compiling the book's C++ day");
    let sandbox = Sandbox::start(&["--client", &format!("{FLOW_CLIENT}:{FLOW_SECRET}"), "--token", TOKEN]);
    for (behaviour, printed) in [
        (serde_json::json!({"mode": "normal"}), "ok 470 cents\n"),
        (serde_json::json!({"mode": "reset"}), "ok 470 cents\n"),
        (serde_json::json!({"mode": "terminal", "delay_ms": 0, "decline": true}), "failed 470 cents\n"),
    ] {
        sandbox.set_rule(Some("POST"), STARTS, 1, behaviour.clone());
        let mut day = Command::new(&exe);
        day.args([FLOW_CLIENT, FLOW_SECRET, "Beleg 4711"]).env("SX_BASE_URL", &sandbox.base_url);
        let done = run(&mut day, LIMIT);
        assert_eq!(done.code(), 0, "{behaviour}: {}", done.output());
        let (id, rest) = done.stdout.split_once(' ').unwrap_or_default();
        assert!(rest.starts_with(printed), "{behaviour}: {}", done.output());
        assert!(done.stdout.contains("Betrag EUR"), "{behaviour}: {}", done.output());
        assert!(done.stdout.contains("Kassenschnitt"), "the end of day's report: {}", done.output());
        assert_eq!(flow_starts(&sandbox, id), 1, "{behaviour}: started once");
        assert_eq!(sandbox.read_back(id, TOKEN)["transactionRef"], "Beleg 4711");
    }
}

fn pkg_config(prefix: &Path, args: &[&str]) -> Vec<String> {
    pkg_config_of(prefix, "smartx", args)
}

fn pkg_config_of(prefix: &Path, package: &str, args: &[&str]) -> Vec<String> {
    let mut command = Command::new("pkg-config");
    command.args(args).arg(package).env("PKG_CONFIG_PATH", prefix.join("lib/pkgconfig"));
    let done = ok(run(&mut command, LIMIT), &format!("pkg-config {args:?}"));
    done.stdout.split_whitespace().map(str::to_string).collect()
}

/// The C example's source: one file, the receipt layout is the library's (`sx_receipt_render`).
fn example_sources() -> Vec<PathBuf> {
    vec![repo_dir().join("examples-c/start_cash.c")]
}

fn readelf_dynamic(path: &Path) -> String {
    ok(run(Command::new("readelf").arg("-d").arg(path), LIMIT), "readelf -d").stdout
}

#[test]
fn installed_tree_builds_the_c_example_through_pkg_config_alone() {
    let dir = scratch("install");
    let prefix = dir.join("prefix");
    let mut install = Command::new("bash");
    install.arg(repo_dir().join("scripts/install.sh")).arg("--prefix").arg(&prefix).arg("--from").arg(libdir());
    ok(run(&mut install, LIMIT), "scripts/install.sh");
    let lib = prefix.join("lib");
    for file in ["libsmartx.so", "libsmartx.so.0", "libsmartx.a", "pkgconfig/smartx.pc"] {
        assert!(lib.join(file).exists(), "{file} was not installed");
    }
    assert!(prefix.join("include/smartx.h").is_file() && prefix.join("include/smartx.hpp").is_file());
    let dynamic = readelf_dynamic(&lib.join("libsmartx.so"));
    assert!(dynamic.contains("Library soname: [libsmartx.so.0]"), "{dynamic}");

    // Shared: the flags come from pkg-config only; the program needs libsmartx.so.0, found in the prefix.
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let shared = dir.join("start_cash");
    let mut build = Command::new(&cc);
    build.args(["-std=c99", "-Wall", "-Wextra", "-Werror"]).args(example_sources()).arg("-o").arg(&shared);
    build.args(pkg_config(&prefix, &["--cflags", "--libs"]));
    let libdir_var = pkg_config(&prefix, &["--variable=libdir"]).join("");
    build.arg(format!("-Wl,-rpath,{libdir_var}"));
    ok(run(&mut build, LIMIT), "building against the installed tree");
    assert!(readelf_dynamic(&shared).contains("Shared library: [libsmartx.so.0]"));

    // Static, as the README writes it: the flags of smartx-static.pc alone, nothing filtered or added.
    let fixed = dir.join("start_cash_static");
    let mut build = Command::new(&cc);
    build.args(["-std=c99", "-Wall", "-Wextra", "-Werror"]).args(example_sources()).arg("-o").arg(&fixed);
    build.args(pkg_config_of(&prefix, "smartx-static", &["--cflags", "--libs"]));
    ok(run(&mut build, LIMIT), "linking statically with pkg-config smartx-static");
    let dynamic = readelf_dynamic(&fixed);
    assert!(!dynamic.contains("libsmartx"), "the static build still needs the shared library:\n{dynamic}");

    let sandbox = Sandbox::start(&["--token", TOKEN]);
    for exe in [&shared, &fixed] {
        let id = sandbox.create_one();
        let done = run(Command::new(exe).args([id.as_str(), TOKEN, &sandbox.base_url]), LIMIT);
        assert_eq!(done.code(), 0, "{}", done.output());
        assert!(done.stdout.contains("Kartennummer:"), "{}", done.output());
        assert_eq!(sandbox.requests(&id).len(), 1);
    }
}

/// Installed under /usr/local, a folder the loader searches, a program built with `pkg-config` alone (no rpath)
/// runs at once: scripts/install.sh ran `ldconfig`. Run in a private mount namespace (root, as CI is) with an
/// empty /usr/local/lib and a copy of /etc, so that neither the machine's /usr/local nor its loader cache changes.
#[test]
fn install_under_usr_local_runs_ldconfig_so_programs_find_the_library() {
    let probe = run(Command::new("unshare").args(["--mount", "--propagation", "private", "true"]), LIMIT);
    if probe.code() != 0 {
        eprintln!("skipped: a private mount namespace needs root (CI runs as root): {}", probe.output());
        return;
    }
    let dir = scratch("usr-local");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let script = format!(
        r#"set -euo pipefail
mkdir -p "$SCRATCH/usr-local-lib" "$SCRATCH/usr-local-include" "$SCRATCH/usr-local-share"
cp -a /etc "$SCRATCH/etc"
mount --bind "$SCRATCH/usr-local-lib" /usr/local/lib
mount --bind "$SCRATCH/usr-local-include" /usr/local/include
mount --bind "$SCRATCH/usr-local-share" /usr/local/share
mount --bind "$SCRATCH/etc" /etc
bash "$REPO/scripts/install.sh" --prefix /usr/local --from "$LIBDIR"
{cc} -std=c99 -Wall -Wextra -Werror "$REPO/examples-c/start_cash.c" -o "$SCRATCH/start_cash"     $(pkg-config --cflags --libs smartx)
"$SCRATCH/start_cash" "$ID" "$TOKEN" "$URL"
"#
    );
    let sandbox = Sandbox::start(&["--token", TOKEN]);
    let id = sandbox.create_one();
    let mut command = Command::new("unshare");
    command.args(["--mount", "--propagation", "private", "bash", "-c", &script]);
    command.env("SCRATCH", &dir).env("REPO", repo_dir()).env("LIBDIR", libdir());
    command.env("ID", &id).env("TOKEN", TOKEN).env("URL", &sandbox.base_url);
    command.env_remove("LD_LIBRARY_PATH").env_remove("PKG_CONFIG_PATH");
    let done = run(&mut command, LIMIT);
    assert_eq!(done.code(), 0, "the installed program did not run:\n{}", done.output());
    assert!(done.stdout.contains("Result:      SX_OK (0)"), "{}", done.output());
    assert_eq!(sandbox.requests(&id).len(), 1);
}

/// `pip install ./bindings/python` into a fresh venv whose prefix scripts/install.sh installed the library into
/// (`--prefix "$VIRTUAL_ENV"`): `import smartx` finds it without SMARTX_LIBRARY or LD_LIBRARY_PATH.
#[test]
fn pip_installed_package_finds_the_library_installed_into_its_prefix() {
    let dir = scratch("venv");
    let venv = dir.join("venv");
    ok(run(python().args(["-m", "venv"]).arg(&venv), LIMIT), "python3 -m venv");
    let mut install = Command::new("bash");
    install.arg(repo_dir().join("scripts/install.sh")).arg("--prefix").arg(&venv).arg("--from").arg(libdir());
    ok(run(&mut install, LIMIT), "scripts/install.sh into the venv");
    // A copy of the package source: pip builds in the source folder, which must stay clean.
    let source = dir.join("python");
    let copy = run(Command::new("cp").arg("-r").arg(repo_dir().join("bindings/python")).arg(&source), LIMIT);
    ok(copy, "copy bindings/python");
    let pip = run(
        Command::new(venv.join("bin/python"))
            .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check"])
            .arg(&source),
        LIMIT,
    );
    ok(pip, "pip install bindings/python");
    let mut import = Command::new(venv.join("bin/python"));
    import.args(["-c", "import smartx; print(smartx.library()._name); print(smartx.version())"]);
    import.current_dir(&dir).env_remove("SMARTX_LIBRARY").env_remove("LD_LIBRARY_PATH").env_remove("PYTHONPATH");
    let done = run(&mut import, LIMIT);
    assert_eq!(done.code(), 0, "import smartx without SMARTX_LIBRARY:\n{}", done.output());
    let found = done.stdout.lines().next().unwrap_or_default().to_owned();
    assert!(found.starts_with(venv.join("lib").to_str().unwrap()), "{}", done.output());
    assert!(done.stdout.contains(env!("CARGO_PKG_VERSION")), "{}", done.output());
}

/// The book's build-and-link lines for C (getting-started/c.md), pasted into bash in a copy of the repository's top folder (links to its
/// files, so `cargo build --release` builds the real tree): they build, the programs find the library, and pay
/// against the sandbox. Only the sandbox's address is put in for the book's example port.
#[test]
fn the_books_c_link_lines_run_as_pasted() {
    let dir = scratch("book-c-link");
    for entry in std::fs::read_dir(repo_dir()).expect("list the repository") {
        let entry = entry.expect("a directory entry");
        std::os::unix::fs::symlink(entry.path(), dir.join(entry.file_name())).expect("link into the copy");
    }
    let sandbox = Sandbox::start(&["--token", TOKEN]);
    let link = code_block(C_CHAPTER, "c-link");
    assert!(link.contains("http://127.0.0.1:8080"), "{link}");
    let ship = code_block(C_CHAPTER, "c-ship");
    let id = sandbox.create_one();
    let script = format!(
        "set -euxo pipefail\n{}\n{}\ndist/start_cash {id} {TOKEN} {}\n",
        link.replace("any-token", TOKEN).replace("http://127.0.0.1:8080", &sandbox.base_url),
        ship,
        sandbox.base_url
    );
    let mut bash = Command::new("bash");
    bash.arg("-c").arg(&script).current_dir(&dir);
    // The nested cargo sees the environment of a developer's shell, not this test's (see
    // tests/platforms/windows_dll.rs).
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy().into_owned();
        if (key.starts_with("CARGO_") && key != "CARGO_HOME") || key == "OUT_DIR" || key.starts_with("RUSTUP_TOOLCHAIN")
        {
            bash.env_remove(&key);
        }
    }
    let done = run(&mut bash, Duration::from_secs(900));
    assert_eq!(done.code(), 0, "the book's lines failed:\n{}", done.output());
    assert_eq!(done.stdout.matches("SX_OK (0)").count(), 2, "{}", done.output());
    assert_eq!(sandbox.requests(SEED_ID).len(), 1);
    assert_eq!(sandbox.requests(&id).len(), 1);
}
