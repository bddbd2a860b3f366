//! The transaction lifecycle through the C ABI against the sandbox: tests/c/lifecycle.c runs a script of
//! steps (basket, create, start, cancel, abort, check) on one client and prints what each returned; these
//! tests assert it, and what the sandbox saw. Each test has its own sandbox, so its counters are exact.

mod support;

use std::process::Command;
use std::time::Duration;

use serde_json::{json, Value};
use support::{c_build_dir, c_program, run, Run, Sandbox, Values};

const RUN_LIMIT: Duration = Duration::from_secs(90);
const CC: &str = "cc=sandbox-client,sandbox-secret";
const TOKEN: &str = "any-token";

const SX_OK: u64 = 0;
const SX_ERR_INVALID_ARGUMENT: u64 = 2;
const SX_ERR_OUTCOME_UNKNOWN: u64 = 11;
const SX_ERR_API: u64 = 21;
const SX_ERR_NOT_OK: u64 = 31;

const SX_VERDICT_UNKNOWN: u64 = 0;
const SX_VERDICT_PAID: u64 = 1;
const SX_VERDICT_NOT_PAID: u64 = 2;
const SX_VERDICT_IN_PROGRESS: u64 = 3;

/// Runs the script (the client's credentials first) and returns its key=value lines.
fn lifecycle(sandbox: &Sandbox, steps: &[&str]) -> Values {
    let program = c_program("lifecycle");
    let run: Run = run(Command::new(program).arg(&sandbox.base_url).arg(CC).args(steps), RUN_LIMIT);
    assert_eq!(run.code(), 0, "{}", run.output());
    let values = run.values();
    assert_eq!(values.num("new"), 0, "{}", values.output);
    assert_eq!(values.num("1.result"), SX_OK, "{}", values.output);
    values
}

/// Step `n` of the script (counting the credentials as step 1).
fn result(values: &Values, step: u32) -> u64 {
    values.num(&format!("{step}.result"))
}

fn text(values: &Values, step: u32, key: &str) -> String {
    values.text(&format!("{step}.{key}"))
}

fn num(values: &Values, step: u32, key: &str) -> u64 {
    values.num(&format!("{step}.{key}"))
}

/// The starts the sandbox received for `id` (method and path of each).
fn starts(sandbox: &Sandbox, id: &str) -> usize {
    sandbox.requests(id).iter().filter(|r| r["path"].as_str().is_some_and(|p| p.contains("/start/"))).count()
}

const BASKET: [&str; 3] = ["basket=EUR", "item=Brötchen,30037,4006381333931,3,45,7", "product=Kaffee,1,250,19"];

#[test]
fn money_edge_cases_and_refusals_that_send_nothing() {
    let sandbox = Sandbox::start(&[]);
    let v = lifecycle(
        &sandbox,
        &[
            "basket=EUR",
            "product=Gratisprobe,1,0,7",
            "create", // 4: a total of 0
            "basket=EUR",
            "product=Kaugummi,1,1,7",
            "create", // 7: one cent
            "basket=EUR",
            "product=Schrauben,2147483647,100000,19",
            "create", // 10: a large quantity: 214748364700000 cents
            "basket=EUR",
            "product=Zuviel,2147483647,9223372036854775807,19",
            "create", // 13: overflow
            "basket=EUR",
            "product=Ware,1,100,19",
            "product=Gutschein,1,-101,19",
            "create", // 17: negative total
        ],
    );
    assert_eq!(result(&v, 4), SX_OK, "{}", v.output);
    assert_eq!((text(&v, 4, "status"), v.int("4.sum")), ("created".to_string(), 0));
    assert_eq!(result(&v, 7), SX_OK);
    assert_eq!(v.int("7.sum"), 1);
    assert_eq!(result(&v, 10), SX_OK, "{}", v.output);
    assert_eq!(v.int("10.sum"), 214_748_364_700_000);
    for (step, word) in [(13, "overflows"), (17, "negative")] {
        assert_eq!(result(&v, step), SX_ERR_INVALID_ARGUMENT, "{}", v.output);
        assert!(text(&v, step, "message").contains(word), "{}", v.output);
        assert_eq!((num(&v, step, "written"), num(&v, step, "http")), (0, 0));
    }
    // Three creates reached the API; the two refused baskets sent nothing.
    assert_eq!(sandbox.api_requests(), 3);
    let id = text(&v, 10, "id");
    let read = sandbox.read_back(&id, TOKEN);
    assert_eq!(read["basket"]["products"][0]["quantity"], 2_147_483_647i64);
    assert_eq!(read["basket_info"]["sum"], 214_748_364_700_000i64);
}

#[test]
fn create_then_start_cash_is_paid_with_its_receipt() {
    let sandbox = Sandbox::start(&[]);
    let mut steps = BASKET.to_vec();
    steps.extend(["refs=till-7,Belegnr. 55501", "create", "start=cash", "get"]);
    let v = lifecycle(&sandbox, &steps);
    assert_eq!(result(&v, 6), SX_OK, "{}", v.output);
    let id = text(&v, 6, "id");
    assert!(id.starts_with("STX_"), "{}", v.output);
    assert_eq!((text(&v, 6, "status"), v.int("6.sum")), ("created".to_string(), 385));
    assert_eq!(result(&v, 7), SX_OK, "{}", v.output);
    assert_eq!((text(&v, 7, "id"), text(&v, 7, "status")), (id.clone(), "ok".to_string()));
    assert!(num(&v, 7, "receipt") > 0, "a paid transaction has a receipt to print: {}", v.output);
    assert_eq!(num(&v, 7, "http"), 200);
    assert!(num(&v, 7, "response_len") > 0);
    assert_eq!((result(&v, 8), text(&v, 8, "status")), (SX_OK, "ok".to_string()));
    let read = sandbox.read_back(&id, TOKEN);
    assert_eq!(
        (read["merchantRef"].as_str(), read["transactionRef"].as_str()),
        (Some("till-7"), Some("Belegnr. 55501"))
    );
    assert_eq!(read["basket"]["products"][0]["articleNumber"], "30037");
    assert_eq!(read["basket"]["products"][0]["ean"], "4006381333931");
    assert_eq!(starts(&sandbox, &id), 1);
}

#[test]
fn a_declined_card_is_not_ok_with_the_transaction_and_its_receipt() {
    let sandbox = Sandbox::start(&[]);
    // The next POST under a transaction (the start; the create's path has no trailing slash) is declined.
    sandbox.set_rule(
        Some("POST"),
        "/api/v2/Smart/Transactions/",
        1,
        json!({"mode": "terminal", "delay_ms": 0, "decline": true}),
    );
    let mut steps = BASKET.to_vec();
    steps.extend(["create", "start=cashless", "check"]);
    let v = lifecycle(&sandbox, &steps);
    assert_eq!(result(&v, 5), SX_OK, "{}", v.output);
    assert_eq!(result(&v, 6), SX_ERR_NOT_OK, "{}", v.output);
    assert_eq!(num(&v, 6, "written"), 1, "the declined transaction is written: {}", v.output);
    assert_eq!(text(&v, 6, "status"), "failed");
    assert!(num(&v, 6, "receipt") > 0, "its receipt must print: {}", v.output);
    assert_eq!((result(&v, 7), num(&v, 7, "verdict")), (SX_OK, SX_VERDICT_NOT_PAID));
    assert_eq!(starts(&sandbox, &text(&v, 5, "id")), 1);
}

#[test]
fn a_second_start_is_refused_and_the_first_stands() {
    let sandbox = Sandbox::start(&[]);
    let mut steps = BASKET.to_vec();
    steps.extend(["create", "start=cash", "start=cash", "check"]);
    let v = lifecycle(&sandbox, &steps);
    assert_eq!(result(&v, 6), SX_OK, "{}", v.output);
    assert_eq!(result(&v, 7), SX_ERR_API, "{}", v.output);
    assert_eq!(num(&v, 7, "written"), 0);
    assert_eq!(num(&v, 7, "http"), 400);
    assert!(text(&v, 7, "message").contains("already started"), "{}", v.output);
    assert_eq!((result(&v, 8), num(&v, 8, "verdict")), (SX_OK, SX_VERDICT_PAID), "{}", v.output);
    // Each call sent its start once; nothing was repeated.
    assert_eq!(starts(&sandbox, &text(&v, 5, "id")), 2);
}

#[test]
fn abort_before_start_cancel_after_ok_and_the_state_rules() {
    let sandbox = Sandbox::start(&[]);
    let mut steps = BASKET.to_vec();
    steps.extend([
        "create",     // 5
        "cancel",     // 6: not before ok
        "abort",      // 7: aborted
        "start=cash", // 8: not after abort
        "check",      // 9: not paid
    ]);
    steps.extend(["create", "start=cash", "abort", "cancel", "cancel", "check"]); // 10..15
    steps.extend(["use=STX_NOSUCHTRANSACTION0000000000", "get"]); // 16, 17
    let v = lifecycle(&sandbox, &steps);
    assert_eq!(result(&v, 5), SX_OK, "{}", v.output);
    assert_eq!((result(&v, 6), num(&v, 6, "written")), (SX_ERR_API, 0), "{}", v.output);
    assert_eq!((result(&v, 7), text(&v, 7, "status")), (SX_OK, "aborted".to_string()), "{}", v.output);
    assert_eq!(result(&v, 8), SX_ERR_API, "{}", v.output);
    assert_eq!((result(&v, 9), num(&v, 9, "verdict")), (SX_OK, SX_VERDICT_NOT_PAID));
    assert_eq!(text(&v, 9, "status"), "aborted");

    assert_eq!(result(&v, 11), SX_OK, "{}", v.output);
    assert_eq!(result(&v, 12), SX_ERR_API, "no abort after the start: {}", v.output);
    assert_eq!((result(&v, 13), text(&v, 13, "status")), (SX_OK, "cancelled".to_string()), "{}", v.output);
    assert_eq!(result(&v, 14), SX_ERR_API, "a second cancel is refused: {}", v.output);
    assert_eq!((num(&v, 15, "verdict"), text(&v, 15, "status")), (SX_VERDICT_NOT_PAID, "cancelled".to_string()));

    assert_eq!((result(&v, 17), num(&v, 17, "http")), (SX_ERR_API, 404), "{}", v.output);
    assert_eq!(num(&v, 17, "written"), 0);
}

#[test]
fn a_lost_answer_after_executing_is_resolved_as_paid() {
    let sandbox = Sandbox::start(&[]);
    sandbox.set_rule(Some("POST"), "/api/v2/Smart/Transactions/", 1, json!({"mode": "reset"}));
    let mut steps = BASKET.to_vec();
    steps.extend(["create", "start=cash", "check"]);
    let v = lifecycle(&sandbox, &steps);
    assert_eq!(result(&v, 6), SX_ERR_OUTCOME_UNKNOWN, "{}", v.output);
    assert_eq!(num(&v, 6, "written"), 0);
    assert_eq!(result(&v, 7), SX_OK, "{}", v.output);
    assert_eq!((num(&v, 7, "verdict"), text(&v, 7, "status")), (SX_VERDICT_PAID, "ok".to_string()));
    assert!(num(&v, 7, "receipt") > 0, "the receipt comes with the read: {}", v.output);
    assert_eq!(starts(&sandbox, &text(&v, 5, "id")), 1, "the library never repeats a start");
}

#[test]
fn a_lost_answer_before_executing_is_resolved_as_not_paid_and_may_start_again() {
    let sandbox = Sandbox::start(&[]);
    sandbox.set_rule(Some("POST"), "/api/v2/Smart/Transactions/", 1, json!({"mode": "reset_before"}));
    let mut steps = BASKET.to_vec();
    steps.extend(["create", "start=cash", "check", "start=cash", "check"]);
    let v = lifecycle(&sandbox, &steps);
    assert_eq!(result(&v, 6), SX_ERR_OUTCOME_UNKNOWN, "{}", v.output);
    assert_eq!((num(&v, 7, "verdict"), text(&v, 7, "status")), (SX_VERDICT_NOT_PAID, "created".to_string()));
    assert_eq!(result(&v, 8), SX_OK, "{}", v.output);
    assert_eq!(num(&v, 9, "verdict"), SX_VERDICT_PAID);
}

#[test]
fn a_start_still_at_the_terminal_is_in_progress_then_paid() {
    let sandbox = Sandbox::start(&[]);
    sandbox.set_rule(Some("POST"), "/api/v2/Smart/Transactions/", 1, json!({"mode": "terminal", "delay_ms": 2500}));
    let mut steps = vec!["timeouts=0,0,500"];
    steps.extend(BASKET);
    steps.extend(["create", "start=cashless", "check", "sleep=3500", "check"]);
    let v = lifecycle(&sandbox, &steps);
    assert_eq!(result(&v, 7), SX_ERR_OUTCOME_UNKNOWN, "the terminal timeout ends the wait: {}", v.output);
    assert_eq!(result(&v, 8), SX_OK, "{}", v.output);
    assert_eq!((num(&v, 8, "verdict"), text(&v, 8, "status")), (SX_VERDICT_IN_PROGRESS, "processing".to_string()));
    assert_eq!((num(&v, 10, "verdict"), text(&v, 10, "status")), (SX_VERDICT_PAID, "ok".to_string()), "{}", v.output);
}

#[test]
fn a_status_the_library_does_not_know_is_unknown_and_a_failed_read_leaves_the_verdict() {
    // A transaction whose status only a state file can give: "deleted".
    let state = c_build_dir().join(format!("lifecycle-state-{}.json", std::process::id()));
    let _ = std::fs::remove_file(&state);
    let state_arg = state.to_str().unwrap();
    let id = {
        let sandbox = Sandbox::start(&["--state", state_arg]);
        sandbox.create_one()
    };
    let mut saved: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    let entry = saved["transactions"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|t| t["transaction"]["id"] == id.as_str())
        .unwrap_or_else(|| panic!("{id} not in the state file"));
    entry["transaction"]["status"] = json!("deleted");
    std::fs::write(&state, serde_json::to_vec(&saved).unwrap()).unwrap();

    let sandbox = Sandbox::start(&["--state", state_arg]);
    sandbox.set_rule(Some("GET"), "/api/v2/Smart/Transactions/", 1, json!({"mode": "html", "status": 500}));
    let use_id = format!("use={id}");
    let v = lifecycle(&sandbox, &[&use_id, "check", "check"]);
    assert_ne!(result(&v, 3), SX_OK, "{}", v.output);
    assert_eq!((num(&v, 3, "verdict"), num(&v, 3, "written")), (99, 0), "a failed read leaves both untouched");
    assert_eq!(result(&v, 4), SX_OK, "{}", v.output);
    assert_eq!((num(&v, 4, "verdict"), text(&v, 4, "status")), (SX_VERDICT_UNKNOWN, "deleted".to_string()));
    let _ = std::fs::remove_file(&state);
}
