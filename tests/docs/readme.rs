//! The README's first program (`<!-- first-sale -->`), compiled with the README's own line
//! (`<!-- first-sale-build -->`) and run against the sandbox as the register's sale: paid at once; paid with the
//! answer lost after the payment (the check loop finds it paid and nothing is started twice); not executed with
//! the answer lost before it (started once more); declined (its receipt printed all the same). Every receipt
//! is the register's own itemised lines first, then the API's lines.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use serde_json::json;
use support::manual::code_block;
use support::{c_build_dir, libdir, repo_dir, run, Sandbox};

const TOKEN: &str = "readme-token-SECRET-77d1";
const LIMIT: Duration = Duration::from_secs(120);
/// A start's path; the create's has no trailing slash.
const STARTS: &str = "/api/v2/Smart/Transactions/";

/// The program built (once) by the README's `cc` line, with this test run's library in place of target/release.
fn first_sale() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(build_first_sale)
}

fn build_first_sale() -> PathBuf {
    let dir = c_build_dir().join(format!("readme-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    std::fs::write(dir.join("sale.c"), code_block("README.md", "first-sale")).expect("write sale.c");
    std::os::unix::fs::symlink(repo_dir().join("include"), dir.join("include")).expect("link include/");
    let lines = code_block("README.md", "first-sale-build");
    let cc = lines.lines().find(|line| line.starts_with("cc ")).expect("a cc line in <!-- first-sale-build -->");
    let lib = libdir().display().to_string();
    let cc = cc.replace("$PWD/target/release", &lib).replace("target/release", &lib);
    let done = run(Command::new("bash").arg("-c").arg(&cc).current_dir(&dir), LIMIT);
    assert_eq!(done.code(), 0, "the README's line {cc:?} failed:\n{}", done.output());
    dir.join("sale")
}

fn starts(sandbox: &Sandbox, id: &str) -> usize {
    sandbox.requests(id).iter().filter(|r| r["path"].as_str().is_some_and(|p| p.contains("/start/"))).count()
}

#[test]
fn the_first_program_sells_prints_both_receipts_and_resolves_a_lost_answer() {
    let sale = first_sale();
    let sandbox = Sandbox::start(&["--token", TOKEN]);
    // (behaviour of the first start, exit code, status, starts the sandbox saw, a line of the API's receipt)
    let cases = [
        (json!({"mode": "normal"}), 0, "ok", 1, "Barzahlung"),
        (json!({"mode": "reset"}), 0, "ok", 1, "Barzahlung"),
        (json!({"mode": "reset_before"}), 0, "ok", 2, "Barzahlung"),
        (json!({"mode": "failed"}), 31, "failed", 1, "Zahlung fehlgeschlagen"),
    ];
    for (number, (behaviour, code, status, started, api_line)) in cases.into_iter().enumerate() {
        sandbox.set_rule(Some("POST"), STARTS, 1, behaviour.clone());
        let receipt_number = format!("Beleg {}", 4711 + number);
        let done = run(Command::new(sale).args([sandbox.base_url.as_str(), TOKEN, &receipt_number]), LIMIT);
        let out = &done.stdout;
        assert_eq!(done.code(), code, "{behaviour}: {}", done.output());
        assert!(!done.output().contains(TOKEN), "{behaviour}: the token was printed: {}", done.output());

        let last = out.lines().last().unwrap_or_default();
        let (id, last_status) = last.split_once(": ").unwrap_or_else(|| panic!("{behaviour}: no 'id: status' {out}"));
        assert_eq!(last_status, status, "{behaviour}: {out}");
        assert_eq!(starts(&sandbox, id), started, "{behaviour}: {out}");
        assert_eq!(sandbox.read_back(id, TOKEN)["transactionRef"], receipt_number.as_str());

        // The register's own lines, its total, then the API's lines (rendered at 42 columns).
        let own = out.find("4 x Brötchen").unwrap_or_else(|| panic!("{behaviour}: no own lines: {out}"));
        let total = out.find("Summe EUR 4,70").unwrap_or_else(|| panic!("{behaviour}: no total: {out}"));
        let api = out.find(api_line).unwrap_or_else(|| panic!("{behaviour}: no {api_line:?}: {out}"));
        let amount = out.find("Betrag EUR").unwrap_or_else(|| panic!("{behaviour}: no 'Betrag EUR': {out}"));
        assert!(own < total && total < api.min(amount), "{behaviour}: not in the order own, total, API: {out}");
        assert!(out.lines().any(|l| l.starts_with("Betrag EUR") && l.ends_with("4,70 €") && l.chars().count() == 42));
        assert!(out.contains("Kaffee to go"), "{behaviour}: {out}");
        if code != 0 {
            // A declined start's line says which status came back and what it means, not an empty message.
            let said = done.stderr.lines().find(|l| l.starts_with("SX_ERR_NOT_OK (HTTP 200): ")).unwrap_or_default();
            assert!(
                said.contains(r#"status "failed""#) && said.contains("not paid"),
                "{behaviour}: the declined start's message says nothing: {said:?}\n{}",
                done.output()
            );
        }
    }
}

/// The lost answer's path (the check loop, a transaction freed and read again) leaks nothing and touches no
/// freed memory.
#[test]
fn the_first_program_is_clean_under_valgrind() {
    let Some(mut valgrind) = support::valgrind() else { return };
    let sandbox = Sandbox::start(&["--token", TOKEN]);
    sandbox.set_rule(Some("POST"), STARTS, 1, json!({"mode": "reset"}));
    valgrind.arg(first_sale()).args([sandbox.base_url.as_str(), TOKEN, "Beleg 4800"]);
    let done = run(&mut valgrind, Duration::from_secs(300));
    assert_eq!(done.code(), 0, "{}", done.output());
    assert!(done.stderr.contains("ERROR SUMMARY: 0 errors"), "{}", done.output());
    assert!(done.stdout.contains("Barzahlung"), "{}", done.output());
}
