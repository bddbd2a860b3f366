//! examples/register_day.rs, the Rust API's whole day, run against a sandbox told to decline the card sale and
//! to lose the answer of the fourth sale's start after executing it; asserts what the example printed and what
//! the sandbox saw.

use crate::support;

use std::process::Command;
use std::time::Duration;

use serde_json::json;
use support::{run, rust_example, Sandbox};

const STARTS: &str = "/api/v2/Smart/Transactions/";

#[test]
fn the_day_declines_the_card_reverses_aborts_settles_the_lost_answer_and_closes() {
    let sandbox = Sandbox::start(&["--terminal-delay-ms", "200"]);
    // The POSTs under a transaction, in the example's order: the cash start, the card start (declined), the
    // cancel, the abort, the fourth start (executed, answer lost), the end of day.
    sandbox.set_rule(Some("POST"), STARTS, 1, json!({"mode": "normal"}));
    sandbox.set_rule(Some("POST"), STARTS, 1, json!({"mode": "terminal", "delay_ms": 200, "decline": true}));
    sandbox.set_rule(Some("POST"), STARTS, 2, json!({"mode": "normal"}));
    sandbox.set_rule(Some("POST"), STARTS, 1, json!({"mode": "reset"}));

    let done = run(Command::new(rust_example("register_day")).arg(&sandbox.base_url), Duration::from_secs(120));
    assert_eq!(done.code(), 0, "{}", done.output());
    let out = &done.stdout;
    for expected in [
        "status created, sum 1,35 EUR",
        "sale 1: updated, sum 3,85 EUR",
        "sale 1: ok\n",
        "|============== Kundenkarte ===============|",
        "sale 1: found by its reference: 1 transaction(s)",
        "sale 2: card declined: failed",
        "|             Karte abgelehnt              |",
        "sale 1: reversed, cancelled",
        "sale 3: aborted, aborted",
        "sale 4: the answer was lost",
        "sale 4: verdict Paid (ok)",
        "|=============== Barzahlung ===============|",
        "end of day: ok",
        "|============= Kassenschnitt ==============|",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{}", done.output());
    }
    assert!(!out.contains("started again"), "a start whose answer was lost is never sent again:\n{out}");
    // The sandbox logs each start it received: the cash sale, the card sale and the fourth sale, once each.
    let log = sandbox.log();
    let starts: Vec<&str> = log.lines().filter(|l| l.contains("/start/")).collect();
    assert_eq!(starts.len(), 3, "three starts, none repeated: {starts:?}");
}
