//! The C examples, built with their own Makefile against the library of this test run:
//! examples-c/start_cash run against a sandbox (exit statuses, the cashier's advice, the 42-column
//! receipt, a clean valgrind run), and examples-c/print_receipt writing ESC/POS bytes of a
//! fixture or of a payment against the sandbox, compared with tests/data/golden/.

use crate::support;

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use serde_json::json;
use support::{c_build_dir, closed_port, fixture, repo_dir, run, Run, Sandbox, SEED_ID};

const TOKEN: &str = "tok-EXAMPLE-SECRET-7f3b11";
const COLUMNS: usize = 42;
const RUN_LIMIT: Duration = Duration::from_secs(60);

fn examples() -> PathBuf {
    support::c_examples()
}

fn example() -> PathBuf {
    examples().join("start_cash")
}

fn start_cash(args: &[&str]) -> Run {
    start_cash_in("C", args)
}

/// The example with `LANG` set, which chooses the language of the cashier's advice.
fn start_cash_in(lang: &str, args: &[&str]) -> Run {
    let done = run(Command::new(example()).args(args).env("LANG", lang), RUN_LIMIT);
    assert!(!done.output().contains(TOKEN), "the token leaked:\n{}", done.output());
    done
}

fn sandbox() -> Sandbox {
    Sandbox::start(&["--token", TOKEN])
}

/// A name-value line as the layout must print it: exactly 42 characters.
fn name_value(name: &str, value: &str) -> String {
    let gap = COLUMNS - name.chars().count() - value.chars().count();
    format!("{name}{}{value}", " ".repeat(gap))
}

fn assert_has_line(output: &str, line: &str) {
    assert!(output.lines().any(|l| l == line), "no line {line:?} in:\n{output}");
}

#[test]
fn seed_payment_prints_the_receipt_at_42_columns() {
    let sandbox = sandbox();
    let done = start_cash(&[SEED_ID, TOKEN, &sandbox.base_url]);
    assert_eq!(done.code(), 0, "{}", done.output());
    let out = &done.stdout;
    assert!(out.contains("SX_OK (0)"), "{out}");
    assert!(out.contains("HTTP status: 200"), "{out}");
    assert!(out.contains("Cashier:     Done. Print the receipt and hand it to the customer."), "{out}");
    // The example asks for the answer's size on purpose (cap 0) and reads it with
    // sx_last_response, without a second payment call; no warning about a short buffer.
    assert!(out.contains("read with sx_last_response"), "{out}");
    assert!(!out.contains("more than"), "{out}");
    assert!(!out.contains("Detail:"), "no error detail on success:\n{out}");

    let kundenkarte = "============== Kundenkarte ===============";
    let card = name_value("Kartennummer:", "9276004429942845");
    let code = name_value("TA Code:", "29008410");
    assert_eq!(kundenkarte.chars().count(), COLUMNS);
    assert_eq!(card.chars().count(), COLUMNS);
    // The whole customer receipt, in order, ending with the space line.
    let expected = format!("Customer receipt:\n{kundenkarte}\n{card}\n{code}\n\n");
    assert!(out.contains(&expected), "want\n{expected}\nin:\n{out}");
    assert!(!out.contains("Merchant receipt:"), "the seed has no merchant receipt:\n{out}");
    assert_eq!(sandbox.requests(SEED_ID).len(), 1);
}

#[test]
fn starting_twice_exits_with_sx_err_api_and_explains() {
    let sandbox = sandbox();
    let id = sandbox.create_one();
    assert_eq!(start_cash(&[&id, TOKEN, &sandbox.base_url]).code(), 0);
    let done = start_cash(&[&id, TOKEN, &sandbox.base_url]);
    assert_eq!(done.code(), 21, "{}", done.output());
    assert!(done.stdout.contains("SX_ERR_API (21)"), "{}", done.output());
    assert!(done.stdout.contains("HTTP status: 400"), "{}", done.output());
    assert!(done.stdout.contains("already started"), "{}", done.output());
    assert!(done.stdout.contains("Detail:"), "{}", done.output());
    assert!(!done.stdout.contains("Customer receipt:"), "{}", done.output());
}

#[test]
fn lost_answer_and_connect_errors_are_explained() {
    let sandbox = sandbox();
    let id = sandbox.create_with(json!({ "mode": "reset" }));
    let done = start_cash(&[&id, TOKEN, &sandbox.base_url]);
    assert_eq!(done.code(), 11, "{}", done.output());
    assert!(done.stdout.contains("Do not take the payment again"), "{}", done.output());
    let lost = sandbox.create_with(json!({ "mode": "reset" }));
    let done = start_cash_in("de_DE.UTF-8", &[&lost, TOKEN, &sandbox.base_url]);
    assert_eq!(done.code(), 11, "{}", done.output());
    assert!(done.stdout.contains("Nicht noch einmal kassieren"), "German for LANG=de_DE: {}", done.output());

    let url = format!("http://127.0.0.1:{}", closed_port());
    let done = start_cash(&[&id, TOKEN, &url]);
    assert_eq!(done.code(), 10, "{}", done.output());
    assert!(
        done.stdout.contains("nothing was paid. Check the network (cable, Wi-Fi) and try again."),
        "{}",
        done.output()
    );
    assert!(done.stdout.contains("HTTP status: 0"), "{}", done.output());

    let done = start_cash(&[&id, TOKEN, "http://192.0.2.1:80"]);
    assert_eq!(done.code(), 2, "{}", done.output());
    assert!(done.stdout.contains("SX_ERR_INVALID_ARGUMENT"), "{}", done.output());
}

#[test]
fn not_ok_exits_31_and_still_prints_the_receipt() {
    let sandbox = sandbox();
    let id = sandbox.create_with(json!({ "mode": "failed" }));
    let done = start_cash(&[&id, TOKEN, &sandbox.base_url]);
    assert_eq!(done.code(), 31, "{}", done.output());
    assert!(done.stdout.contains("The payment was not completed"), "{}", done.output());
    assert_has_line(&done.stdout, &name_value("Kartennummer:", "9276004429942845"));
}

#[test]
fn base_url_from_the_environment_and_usage() {
    let sandbox = sandbox();
    let id = sandbox.create_one();
    let done = run(Command::new(example()).args([&id, TOKEN]).env("SX_BASE_URL", &sandbox.base_url), RUN_LIMIT);
    assert_eq!(done.code(), 0, "{}", done.output());
    assert_eq!(sandbox.requests(&id).len(), 1);

    let done = start_cash(&[]);
    assert_eq!(done.code(), 2, "{}", done.output());
    assert!(done.stderr.contains("usage:"), "{}", done.output());
}

#[test]
fn valgrind_finds_no_errors_and_no_leaks() {
    let Some(mut command) = support::valgrind() else { return };
    let sandbox = sandbox();
    let id = sandbox.create_one();
    command.arg(example()).args([&id, TOKEN, &sandbox.base_url]);
    let done = run(&mut command, Duration::from_secs(300));
    assert_eq!(done.code(), 0, "{}", done.output());
    assert!(done.stderr.contains("ERROR SUMMARY: 0 errors"), "{}", done.output());
    assert!(done.stdout.contains("Customer receipt:"), "{}", done.output());
    assert_eq!(sandbox.requests(&id).len(), 1);
}

const CUT: &[u8] = b"\x1bd\x03\x1dVB\x00";

fn golden(name: &str) -> Vec<u8> {
    let path = repo_dir().join("tests/data/golden").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs examples-c/print_receipt with `args` (the output file is added first) and returns its bytes.
fn print_receipt(options: &[&str], source: &[&str]) -> Vec<u8> {
    let out = c_build_dir().join(format!("print-receipt-{}-{}.bin", std::process::id(), options.join("_")));
    let mut command = Command::new(examples().join("print_receipt"));
    command.args(options).arg(&out).args(source);
    let done = run(&mut command, RUN_LIMIT);
    assert_eq!(done.code(), 0, "{}", done.output());
    assert!(!done.output().contains(TOKEN), "the token leaked:\n{}", done.output());
    let bytes = std::fs::read(&out).expect("print_receipt wrote its output");
    let _ = std::fs::remove_file(&out);
    bytes
}

#[test]
fn print_receipt_writes_both_receipts_of_a_json_file_as_escpos() {
    let json = fixture("start-cashless-response.json");
    let bytes = print_receipt(&[], &["--json", json.to_str().expect("a UTF-8 path")]);
    // The customer receipt set up and cut, then the merchant receipt without a second set-up, cut.
    let merchant = golden("start-cashless/merchant-42-cp858.escpos");
    let want = [golden("start-cashless/customer-42-cp858.escpos").as_slice(), CUT, &merchant[5..], CUT].concat();
    assert_eq!(bytes, want);
    assert_eq!(&merchant[..5], b"\x1b@\x1bt\x13");
}

#[test]
fn print_receipt_columns_and_code_page_options() {
    let json = fixture("start-cashless-response.json");
    let json = json.to_str().expect("a UTF-8 path");
    for (columns, page) in [("32", "cp437"), ("48", "iso-8859-15"), ("42", "windows-1252")] {
        let bytes = print_receipt(&["--columns", columns, "--codepage", page], &["--json", json]);
        let customer = golden(&format!("start-cashless/customer-{columns}-{page}.escpos"));
        assert!(bytes.starts_with(&customer), "{columns} {page}");
        assert_eq!(&bytes[customer.len()..customer.len() + CUT.len()], CUT);
    }
    let usage =
        run(Command::new(examples().join("print_receipt")).args(["--columns", "19", "-", "--json", json]), RUN_LIMIT);
    assert_eq!(usage.code(), 2, "{}", usage.output());
    let usage = run(
        Command::new(examples().join("print_receipt")).args(["--codepage", "utf-8", "-", "--json", json]),
        RUN_LIMIT,
    );
    assert_eq!(usage.code(), 2, "{}", usage.output());
}

#[test]
fn print_receipt_pays_against_the_sandbox() {
    let sandbox = sandbox();
    let bytes = print_receipt(&["--columns", "32"], &["--pay", &sandbox.base_url, SEED_ID, TOKEN]);
    assert_eq!(sandbox.requests(SEED_ID).len(), 1, "one payment call");
    // The sandbox answers with the seed's receipt: the same bytes as the golden file of that answer.
    assert_eq!(bytes, [golden("start-cash/customer-32-cp858.escpos").as_slice(), CUT].concat());

    let done = run(
        Command::new(examples().join("print_receipt")).args(["-", "--pay", &sandbox.base_url, SEED_ID, TOKEN]),
        RUN_LIMIT,
    );
    assert_eq!(done.code(), 21, "started twice: SX_ERR_API\n{}", done.output());
    assert!(done.stderr.contains("SX_ERR_API"), "{}", done.output());
}

#[test]
fn print_receipt_under_valgrind() {
    let Some(mut command) = support::valgrind() else { return };
    let json = fixture("start-cashless-response.json");
    command.arg(examples().join("print_receipt")).args(["--codepage", "cp437", "-", "--json"]).arg(json);
    let done = run(&mut command, Duration::from_secs(300));
    assert_eq!(done.code(), 0, "{}", done.output());
    assert!(done.stderr.contains("ERROR SUMMARY: 0 errors"), "{}", done.output());
}
