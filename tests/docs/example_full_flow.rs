//! The C example examples-c/full_flow, built with its own Makefile against the library of this test run, run
//! against a sandbox told by rules what each sale meets: a cash sale paid, a card the terminal declines, and a
//! card sale whose answer is lost (after or before executing), resolved with sx_transaction_check; then the
//! cash sale reversed, a fourth sale aborted (their answers lost too, in one test) and the end of day. Also
//! under valgrind. Each run opens a journal of its own at start-up and reconciles; one test leaves a start whose
//! answer was lost in that journal (tests/data/c/journal.c), and the example settles it and prints its receipt as a
//! copy before the day's first sale.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::{json, Value};
use support::{run, Run, Sandbox};

const CLIENT: &str = "till-client:flow-SECRET-77a1";
/// The test's own reads.
const TOKEN: &str = "test-read-token";
const STARTS: &str = "/api/v2/Smart/Transactions/";

fn example() -> PathBuf {
    support::c_examples().join("full_flow")
}

/// A sandbox whose next three starts meet: an ordinary answer, a declined card, `third`.
fn sandbox(third: Value) -> Sandbox {
    sandbox_with(third, &[])
}

/// As [`sandbox`], and the POSTs under a transaction after the starts (the reversal, the abort) meet `then`.
fn sandbox_with(third: Value, then: &[Value]) -> Sandbox {
    let sandbox = Sandbox::start(&["--client", CLIENT, "--token", TOKEN, "--terminal-delay-ms", "100"]);
    set_rules(&sandbox, third, then);
    sandbox
}

fn set_rules(sandbox: &Sandbox, third: Value, then: &[Value]) {
    sandbox.set_rule(Some("POST"), STARTS, 1, json!({"mode": "normal"}));
    sandbox.set_rule(Some("POST"), STARTS, 1, json!({"mode": "terminal", "delay_ms": 0, "decline": true}));
    sandbox.set_rule(Some("POST"), STARTS, 1, third);
    for behaviour in then {
        sandbox.set_rule(Some("POST"), STARTS, 1, behaviour.clone());
    }
}

/// A journal file of its own for each run (the folder is made once per test process).
fn journal_path(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("smartx-full-flow-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.journal"));
    let _ = std::fs::remove_file(&path);
    path
}

fn assert_the_rest_of_the_day(sandbox: &Sandbox, done: &Run, ids: &[String]) {
    assert!(done.stdout.contains("end of day: ok"), "{}", done.output());
    assert!(done.stdout.contains("============= Kassenschnitt =============="), "the report:\n{}", done.output());
    assert_eq!(status(sandbox, &ids[0]), "cancelled");
    assert_eq!(status(sandbox, &ids[3]), "aborted");
    assert_eq!(starts(sandbox, &ids[3]), 0);
}

fn full_flow(wrapper: Option<Command>, sandbox: &Sandbox, journal: &Path) -> Run {
    let limit = Duration::from_secs(if wrapper.is_some() { 300 } else { 60 });
    let mut command = match wrapper {
        Some(mut wrapper) => {
            wrapper.arg(example());
            wrapper
        }
        None => Command::new(example()),
    };
    command.args(["till-client", "flow-SECRET-77a1", &sandbox.base_url]).arg(journal);
    let done = run(&mut command, limit);
    let output = done.output();
    let printed: Vec<&str> = output.lines().filter(|l| !(l.starts_with("==") && l.contains("Command:"))).collect();
    assert!(!printed.join("\n").contains("flow-SECRET-77a1"), "the secret leaked:\n{output}");
    done
}

/// The ids the example created, in sale order.
fn ids(done: &Run) -> Vec<String> {
    done.stdout
        .lines()
        .filter_map(|line| line.split_once(": STX_"))
        .map(|(_, rest)| format!("STX_{}", rest.split(' ').next().unwrap()))
        .collect()
}

fn status(sandbox: &Sandbox, id: &str) -> String {
    sandbox.read_back(id, TOKEN)["status"].as_str().unwrap().to_string()
}

fn starts(sandbox: &Sandbox, id: &str) -> usize {
    sandbox.requests(id).iter().filter(|r| r["path"].as_str().is_some_and(|p| p.contains("/start/"))).count()
}

#[test]
fn cash_paid_card_declined_and_a_lost_answer_resolved_as_paid() {
    let sandbox = sandbox(json!({"mode": "reset"}));
    let done = full_flow(None, &sandbox, &journal_path("paid"));
    assert_eq!(done.code(), 0, "{}", done.output());
    assert!(done.stdout.contains("journal: 0 settled, 0 still pending"), "a new journal:\n{}", done.output());
    let ids = ids(&done);
    assert_eq!(ids.len(), 4, "{}", done.output());
    for line in [
        "sale 1: paid",
        "sale 2: not paid (failed)",
        "sale 3: the answer was lost; checking",
        "sale 3: checked: paid (ok), 4.70 EUR",
    ] {
        assert!(done.stdout.contains(line), "{line} missing:\n{}", done.output());
    }
    // Every sale printed its receipt: the cash one, the declined card's, and the one read back.
    for line in ["=============== Barzahlung ===============", "Karte abgelehnt", "Karte akzeptiert"] {
        assert!(done.stdout.contains(line), "receipt line {line} missing:\n{}", done.output());
    }
    assert_eq!([status(&sandbox, &ids[1]), status(&sandbox, &ids[2])], ["failed", "ok"].map(String::from));
    for id in &ids[..3] {
        assert_eq!(starts(&sandbox, id), 1, "{id} was started once");
    }
    for line in ["sale 1: reversal: cancelled", "sale 4: abort: aborted"] {
        assert!(done.stdout.contains(line), "{line} missing:\n{}", done.output());
    }
    assert_the_rest_of_the_day(&sandbox, &done, &ids);
}

#[test]
fn lost_answers_to_the_reversal_and_the_abort_are_read_back() {
    // The reversal is executed and its answer lost; the abort's connection breaks before it is executed.
    let sandbox = sandbox_with(json!({"mode": "normal"}), &[json!({"mode": "reset"}), json!({"mode": "reset_before"})]);
    let done = full_flow(None, &sandbox, &journal_path("reversal"));
    assert_eq!(done.code(), 0, "{}", done.output());
    let ids = ids(&done);
    for line in [
        "sale 1: the answer to the reversal was lost; reading it back",
        "sale 1: read back: cancelled",
        "sale 4: the answer to the abort was lost; reading it back",
        "sale 4: read back: created",
    ] {
        assert!(done.stdout.contains(line), "{line} missing:\n{}", done.output());
    }
    let posts = |id: &str, action: &str| {
        sandbox.requests(id).iter().filter(|r| r["path"].as_str().is_some_and(|p| p.ends_with(action))).count()
    };
    assert_eq!(posts(&ids[0], "/cancel"), 1, "an executed reversal is not sent again");
    assert_eq!(posts(&ids[3], "/abort"), 2, "an abort that never ran is sent once more, by the register");
    assert_eq!(done.stdout.matches("sale 4: abort: aborted").count(), 1);
    assert_the_rest_of_the_day(&sandbox, &done, &ids);
}

#[test]
fn a_lost_answer_before_executing_is_started_again_once() {
    let sandbox = sandbox(json!({"mode": "reset_before"}));
    let done = full_flow(None, &sandbox, &journal_path("again"));
    assert_eq!(done.code(), 0, "{}", done.output());
    let ids = ids(&done);
    assert!(done.stdout.contains("sale 3: checked: the start never ran"), "{}", done.output());
    assert!(done.stdout.contains("sale 3: started again: SX_OK"), "{}", done.output());
    assert_eq!(status(&sandbox, &ids[2]), "ok");
    assert_eq!(starts(&sandbox, &ids[2]), 2, "the lost start and the one started again");
}

#[test]
fn valgrind_finds_no_errors_and_no_leaks() {
    let Some(valgrind) = support::valgrind() else { return };
    let sandbox = sandbox(json!({"mode": "reset"}));
    let done = full_flow(Some(valgrind), &sandbox, &journal_path("valgrind"));
    assert_eq!(done.code(), 0, "{}", done.output());
    assert!(done.stderr.contains("ERROR SUMMARY: 0 errors"), "{}", done.output());
    assert!(done.stdout.contains("sale 3: checked: paid"), "{}", done.output());
}

#[test]
fn a_payment_whose_answer_a_crash_lost_is_settled_at_start_up_and_its_receipt_printed_as_a_copy() {
    let sandbox = Sandbox::start(&["--client", CLIENT, "--token", TOKEN, "--terminal-delay-ms", "100"]);
    let journal = journal_path("start-up");
    // Yesterday's register: the start is executed, and the answer lost (the connection reset).
    let lost = sandbox.create_with(json!({"mode": "reset"}));
    let mut register = Command::new(support::c_program("journal"));
    register.arg(&sandbox.base_url).arg(&journal).args([&format!("token={TOKEN}"), "open", &format!("start={lost}")]);
    let before = run(&mut register, Duration::from_secs(60));
    assert!(before.stdout.contains("3.result=11\n"), "SX_ERR_OUTCOME_UNKNOWN:\n{}", before.output());

    set_rules(&sandbox, json!({"mode": "normal"}), &[]);
    let done = full_flow(None, &sandbox, &journal);
    assert_eq!(done.code(), 0, "{}", done.output());
    let out = &done.stdout;
    assert!(out.contains("journal: 1 settled, 0 still pending"), "{}", done.output());
    let announced = format!("journal: entry 1: {lost} paid and never printed; the receipt again:");
    let copy_at = out.find(&announced).unwrap_or_else(|| panic!("{announced} missing:\n{}", done.output()));
    let first_sale = out.find("sale 1:").expect("the day went on");
    assert!(copy_at < first_sale, "printed at start-up, before the first sale:\n{}", done.output());
    assert_eq!(out[copy_at..first_sale].matches("*** KOPIE ***").count(), 2, "{}", done.output());
    assert!(out[copy_at..first_sale].contains("Kartennummer"), "{}", done.output());
    assert_eq!(starts(&sandbox, &lost), 1, "never started again");
    let ids = ids(&done);
    assert_eq!((ids.len(), ids[0].as_str()), (5, lost.as_str()), "the copy's id, then the day's four sales");
}
