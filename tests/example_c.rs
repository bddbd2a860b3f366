//! The C example examples-c/start_cash, built with its own Makefile against the library of
//! this test run, run against a sandbox: exit statuses, explanations, the 42-column receipt,
//! and a clean valgrind run. The layout itself is also checked on the cashless fixture
//! through tests/c/print_receipt.c, which links the example's examples-c/receipt_text.c.

mod support;

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use serde_json::json;
use support::{c_build_dir, c_program_with, closed_port, fixture, libdir, repo_dir, run, Run, Sandbox, SEED_ID};

const TOKEN: &str = "tok-EXAMPLE-SECRET-7f3b11";
const COLUMNS: usize = 42;
const RUN_LIMIT: Duration = Duration::from_secs(60);

/// Builds the example once per test process with `make -C examples-c LIBDIR=<this run's
/// library>`, into target/c-tests/<profile>/example so the source tree stays clean.
fn example() -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let build = c_build_dir().join("example");
            let mut make = Command::new("make");
            make.arg("-C")
                .arg(repo_dir().join("examples-c"))
                .arg(format!("LIBDIR={}", libdir().display()))
                .arg(format!("BUILDDIR={}", build.display()))
                .arg(format!("EXTRA_CFLAGS={}", support::sanitizer_flags().join(" ")))
                .arg("all");
            let done = run(&mut make, Duration::from_secs(300));
            assert_eq!(done.code(), 0, "make failed:\n{}", done.output());
            build.join("start_cash")
        })
        .clone()
}

fn start_cash(args: &[&str]) -> Run {
    let done = run(Command::new(example()).args(args), RUN_LIMIT);
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

fn indented(pad: usize, text: &str) -> String {
    format!("{}{text}", " ".repeat(pad))
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
    assert!(out.contains("The payment is registered"), "{out}");
    // The sandbox answers with the fixture's 4399 bytes, more than the example's 4 KiB stack
    // buffer: the answer comes from sx_last_response, without a second payment call.
    assert!(out.contains("read with sx_last_response"), "{out}");
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
    assert!(done.stdout.contains("Do NOT register it again: look the transaction up first."), "{}", done.output());

    let url = format!("http://127.0.0.1:{}", closed_port());
    let done = start_cash(&[&id, TOKEN, &url]);
    assert_eq!(done.code(), 10, "{}", done.output());
    assert!(done.stdout.contains("it is safe to try again"), "{}", done.output());
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
    assert!(done.stdout.contains("NOT complete"), "{}", done.output());
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

fn print_receipt(json_file: &std::path::Path) -> Run {
    let program = c_program_with("print_receipt", &["examples-c/receipt_text.c"], &[]);
    let done = run(Command::new(program).arg(json_file), RUN_LIMIT);
    assert_eq!(done.code(), 0, "{}", done.output());
    done
}

fn assert_lines(output: &str, expected: &[String]) {
    let got: Vec<&str> = output.lines().collect();
    assert_eq!(got, expected, "\n--- got ---\n{output}");
    for line in expected {
        assert!(line.chars().count() <= COLUMNS, "wider than {COLUMNS}: {line:?}");
    }
}

#[test]
fn cashless_fixture_layout_counts_characters_not_bytes() {
    let done = print_receipt(&fixture("start-cashless-response.json"));
    let kartenzahlung = "============= Kartenzahlung ==============".to_string();
    let expected = vec![
        "[customer]".to_string(),
        kartenzahlung.clone(),
        indented(11, "* * Kundenbeleg * *"),
        String::new(),
        name_value("Beleg-Nr.", "0003"),
        name_value("Betrag EUR", "5,30 €"),
        indented(13, "Karte akzeptiert"),
        "-".repeat(COLUMNS),
        "Vielen Dank für Ihren Einkauf bei Bäckerei".to_string(),
        "Müller & Söhne. Bitte bewahren Sie diesen".to_string(),
        "Beleg für Rückfragen auf.".to_string(),
        name_value("Terminal-ID", "52500123"),
        "[merchant]".to_string(),
        kartenzahlung,
        indented(11, "* * Händlerbeleg * *"),
        name_value("Betrag EUR", "5,30"),
        indented(21, "Unterschrift umseitig"),
    ];
    assert_lines(&done.stdout, &expected);
    assert_eq!(expected[1].chars().count(), COLUMNS);
    assert_eq!(expected[8].chars().count(), COLUMNS, "a full line with umlauts");
    assert_eq!(expected[5].chars().count(), COLUMNS);
    assert!(expected[5].len() > COLUMNS, "the € takes 3 bytes");
}

#[test]
fn layout_edge_cases() {
    let long_word = "W".repeat(50);
    let caption_40 = "C".repeat(40);
    let caption_38 = "D".repeat(38);
    let json = json!({
        "status": "ok",
        "receipt": [
            { "type": "textline", "value": { "text": format!("{long_word} tail"), "decoration": [] } },
            { "type": "name-value", "value": { "name": "A fairly long name for this line", "value": "and its long value" } },
            { "type": "name-value", "value": { "name": "N".repeat(20), "value": "V".repeat(21) } },
            { "type": "name-value", "value": { "name": "N".repeat(21), "value": "V".repeat(21) } },
            { "type": "separator", "value": { "caption": caption_40 } },
            { "type": "separator", "value": { "caption": caption_38 } },
            { "type": "textline", "value": { "text": "right side", "decoration": ["align-right", "important"] } },
            { "type": "textline", "value": { "text": "legacy right", "decoration": ["align_right"] } },
            { "type": "barcode", "value": { "text": "skipped" } },
            { "type": "textline", "value": { "text": "  several   spaces  collapse " } },
            { "type": "textline", "value": { "text": "   " } },
            { "type": "space" }
        ]
    });
    let path = c_build_dir().join(format!("layout-edge-cases-{}.json", std::process::id()));
    std::fs::write(&path, json.to_string()).expect("write the test receipt");
    let done = print_receipt(&path);
    let _ = std::fs::remove_file(&path);

    let expected = vec![
        "[customer]".to_string(),
        "W".repeat(42),
        "WWWWWWWW tail".to_string(),
        "A fairly long name for this line".to_string(),
        indented(42 - 18, "and its long value"),
        format!("{} {}", "N".repeat(20), "V".repeat(21)),
        "N".repeat(21),
        indented(21, &"V".repeat(21)),
        indented(1, &"C".repeat(40)),
        format!("= {} =", "D".repeat(38)),
        indented(32, "right side"),
        indented(30, "legacy right"),
        "several spaces collapse".to_string(),
        String::new(),
        String::new(),
        "[merchant]".to_string(),
    ];
    assert_lines(&done.stdout, &expected);
}
