//! The transaction lifecycle through the C ABI against the sandbox: tests/data/c/lifecycle.c runs a script of
//! steps (basket, create, start, cancel, abort, check) on one client and prints what each returned; these
//! tests assert it, and what the sandbox saw. Each test has its own sandbox, so its counters are exact.

use crate::support;

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

// ---- The calls beyond the core: ident, update, list, cashless_direct, canceltrx, end of day, diagnosis ----

/// The paths the sandbox saw for `id`, with their methods ("PUT /api/...").
fn seen(sandbox: &Sandbox, id: &str) -> Vec<String> {
    sandbox
        .requests(id)
        .iter()
        .map(|r| format!("{} {}", r["method"].as_str().unwrap(), r["path"].as_str().unwrap()))
        .collect()
}

fn receipt_number(sandbox: &Sandbox, id: &str) -> String {
    let read = sandbox.read_back(id, TOKEN);
    read["receipt_number"].as_u64().unwrap_or_else(|| panic!("no receipt_number in {read}")).to_string()
}

#[test]
fn the_new_functions_check_their_arguments_and_send_nothing() {
    let sandbox = Sandbox::start(&[]);
    let done = run(Command::new(c_program("call_args")).arg(&sandbox.base_url), RUN_LIMIT);
    assert_eq!(done.code(), 0, "{}", done.output());
    assert!(done.stdout.contains(" passed, 0 failed"), "{}", done.output());
    assert_eq!(sandbox.api_requests(), 0, "a refused call sent something: {}", sandbox.log());
}

#[test]
fn the_new_functions_under_valgrind() {
    let Some(mut command) = support::valgrind() else { return };
    let sandbox = Sandbox::start(&["--terminal-delay-ms", "100"]);
    let done = run(command.arg(c_program("call_args")).arg(&sandbox.base_url), Duration::from_secs(300));
    assert_eq!(done.code(), 0, "{}", done.output());
    assert!(done.stderr.contains("ERROR SUMMARY: 0 errors"), "{}", done.output());

    // Every new call once, with what it hands out freed, through the script.
    let Some(mut command) = support::valgrind() else { return };
    let steps = [
        CC,
        "basket=EUR",
        "product=Brot,1,250,7",
        "ident=9276004429942845",
        "refs=till-7,Beleg 7",
        "create",
        "update",
        "list=10,0,Beleg 7",
        "start=cashless",
        "diagnosis",
        "eod",
        "create",
        "direct=52500999,17,girocard",
        "canceltrx=999999",
    ];
    let done = run(command.arg(c_program("lifecycle")).arg(&sandbox.base_url).args(steps), Duration::from_secs(300));
    assert_eq!(done.code(), 0, "{}", done.output());
    assert!(done.stderr.contains("ERROR SUMMARY: 0 errors"), "{}", done.output());
    let v = done.values();
    for step in [6, 7, 8, 9, 10, 11, 12, 13] {
        assert_eq!(result(&v, step), SX_OK, "step {step}: {}", v.output);
    }
    assert_eq!((result(&v, 14), num(&v, 14, "http")), (SX_ERR_API, 404), "{}", v.output);
}

#[test]
fn the_ident_is_sent_in_the_apis_shape_and_never_shown_in_full() {
    let sandbox = Sandbox::start(&[]);
    // Ten digits: too short for the general card-number masking, so only the ident's own masking hides it.
    const CARD: &str = "4711081500";
    sandbox.set_next_behaviour(
        "POST",
        "/api/v2/Smart/Transactions",
        json!({"mode": "error", "status": 400, "code": 1400, "error": "ProductBadRequestException",
               "details": format!("Card {CARD} is locked")}),
    );
    let ident = format!("ident={CARD}");
    let v = lifecycle(
        &sandbox,
        &[
            "log=4",
            "basket=EUR",
            "product=Brot,1,250,7",
            &ident,
            "create",
            "create",
            "start=loyalty",
            "ident=@NULL",
            "create",
        ],
    );
    assert_eq!(result(&v, 6), SX_ERR_API, "{}", v.output);
    let message = text(&v, 6, "message");
    assert!(message.contains("******1500 is locked"), "the echo is masked: {message}");
    assert!(!v.output.contains(CARD), "the card number shows in full (log or message): {}", v.output);
    assert!(v.output.contains("log=3 POST /api/v2/Smart/Transactions -> HTTP 400"), "{}", v.output);

    assert_eq!(result(&v, 7), SX_OK, "{}", v.output);
    let with_card = sandbox.read_back(&text(&v, 7, "id"), TOKEN);
    assert_eq!(with_card["idents"][0]["type"], "card");
    assert_eq!(with_card["idents"][0]["value"], CARD);
    assert_eq!((result(&v, 8), text(&v, 8, "status")), (SX_OK, "ok".to_string()), "loyalty pays with the card");
    assert_eq!(result(&v, 10), SX_OK);
    assert_eq!(sandbox.read_back(&text(&v, 10, "id"), TOKEN)["idents"], json!([]), "NULL clears the card");
}

#[test]
fn update_replaces_the_basket_before_the_start_only() {
    let sandbox = Sandbox::start(&[]);
    let mut steps = BASKET.to_vec();
    steps.extend([
        "refs=till-7,Beleg 9",
        "create",                  // 6
        "basket=EUR",              // 7
        "product=Kaffee,2,250,19", // 8
        "update",                  // 9: the new basket, references kept
        "basket=EUR",              // 10
        "product=Gratis,1,0,7",    // 11
        "update",                  // 12: a total of 0
        "basket=EUR",
        "product=Kaugummi,1,1,7",
        "update", // 15: one cent
        "basket=EUR",
        "product=Schrauben,2147483647,100000,19",
        "update", // 18: a large quantity
        "basket=EUR",
        "product=Zuviel,2147483647,9223372036854775807,19",
        "update", // 21: overflow, nothing sent
        "basket=EUR",
        "product=Kaffee,2,250,19",
        "update",     // 24
        "start=cash", // 25
        "update",     // 26: refused after the start
        "abort",      // 27: refused after the start
        "use=STX_NOSUCHTRANSACTION0000000000",
        "update",                      // 29: unknown id
        "direct=52500999,17,girocard", // 30: unknown id
    ]);
    let v = lifecycle(&sandbox, &steps);
    let id = text(&v, 6, "id");
    assert_eq!((result(&v, 9), v.int("9.sum")), (SX_OK, 500), "{}", v.output);
    assert_eq!((result(&v, 12), v.int("12.sum")), (SX_OK, 0), "{}", v.output);
    assert_eq!((result(&v, 15), v.int("15.sum")), (SX_OK, 1), "{}", v.output);
    assert_eq!((result(&v, 18), v.int("18.sum")), (SX_OK, 214_748_364_700_000), "{}", v.output);
    assert_eq!((result(&v, 21), num(&v, 21, "http")), (SX_ERR_INVALID_ARGUMENT, 0), "{}", v.output);
    assert!(text(&v, 21, "message").contains("overflows"));
    assert_eq!((result(&v, 24), v.int("24.sum")), (SX_OK, 500), "{}", v.output);
    assert_eq!((result(&v, 25), text(&v, 25, "status")), (SX_OK, "ok".to_string()), "{}", v.output);
    assert_eq!((result(&v, 26), num(&v, 26, "http"), num(&v, 26, "written")), (SX_ERR_API, 400, 0), "{}", v.output);
    assert!(text(&v, 26, "message").contains("not started"), "the API's error: {}", v.output);
    assert_eq!((result(&v, 27), num(&v, 27, "http")), (SX_ERR_API, 400), "{}", v.output);
    assert_eq!((result(&v, 29), num(&v, 29, "http")), (SX_ERR_API, 404), "{}", v.output);
    assert_eq!((result(&v, 30), num(&v, 30, "http")), (SX_ERR_API, 404), "{}", v.output);

    // create, six PUTs, the start, the abort, the unknown id's PUT and start.
    assert_eq!(sandbox.api_requests(), 11);
    let read = sandbox.read_back(&id, TOKEN);
    assert_eq!(read["basket"]["products"][0]["desc"], "Kaffee", "the basket was sent, not removed: {read}");
    assert_eq!(read["basket_info"]["sum"], 500);
    assert_eq!(read["transactionRef"], "Beleg 9", "a basket without references keeps the transaction's");
    let puts = seen(&sandbox, &id).iter().filter(|r| r.starts_with("PUT ")).count();
    assert_eq!(puts, 6, "five updates before the start and one after; the overflow sent nothing");
}

#[test]
fn list_by_reference_matches_it_whole_and_pages() {
    let sandbox = Sandbox::start(&[]);
    const REFERENCE: &str = r#"Beleg "55", 50% & Ä\ü"#;
    let refs = format!("refs=till-7,{REFERENCE}");
    let mut steps = vec!["basket=EUR", "product=Brot,1,250,7", &refs, "create", "create", "create"]; // 5..7
    steps.extend(["refs=till-7,Beleg \"55\"", "create"]); // 9: a prefix of the reference, not a match
    let page1 = format!("list=2,0,{REFERENCE}");
    let page2 = format!("list=2,2,{REFERENCE}");
    steps.extend([page1.as_str(), page2.as_str(), "list=0,0,Beleg \"55\"", "list=5,0,Beleg 404", "start=cash"]);
    steps.extend(["list=10,0,Beleg \"55\""]); // 15: the list shows the paid status
    let v = lifecycle(&sandbox, &steps);
    let ids: Vec<String> = [5, 6, 7].iter().map(|&step| text(&v, step, "id")).collect();
    assert_eq!(result(&v, 10), SX_OK, "{}", v.output);
    assert_eq!((num(&v, 10, "count"), num(&v, 10, "total")), (2, 3), "{}", v.output);
    assert_eq!(text(&v, 10, "ids"), ids[..2].join(";"), "creation order: {}", v.output);
    assert_eq!(num(&v, 10, "past_end"), 1);
    assert_eq!((num(&v, 11, "count"), num(&v, 11, "total")), (1, 3), "{}", v.output);
    assert_eq!(text(&v, 11, "ids"), ids[2]);
    assert_eq!((result(&v, 12), num(&v, 12, "total")), (SX_OK, 1), "{}", v.output);
    assert_eq!(text(&v, 12, "ids"), text(&v, 9, "id"), "count 0 lets the API choose the page: {}", v.output);
    assert_eq!((result(&v, 13), num(&v, 13, "count"), num(&v, 13, "total")), (SX_OK, 0, 0));
    assert_eq!(num(&v, 13, "written"), 1, "an empty page is a list too");
    assert_eq!(text(&v, 15, "statuses"), "ok", "{}", v.output);
    assert!(num(&v, 15, "response_len") > 0);
}

#[test]
fn every_start_method_pays_and_the_terminal_ones_wait_under_the_terminal_timeout() {
    // The terminal takes 1.2 s; the total timeout is 0.3 s: only a call that waits under the terminal timeout
    // can get the answer of a terminal method.
    let sandbox = Sandbox::start(&["--terminal-delay-ms", "1200"]);
    let methods = ["cash", "cashless", "debit", "invoice", "loyalty", "prepaid", "ccload"];
    let mut steps = vec!["timeouts=0,300,10000", "basket=EUR", "product=Brot,2,150,7", "ident=9276004429942845"];
    let starts_at: Vec<String> = methods.iter().map(|m| format!("start={m}")).collect();
    for start in &starts_at {
        steps.extend(["create", start.as_str()]);
    }
    steps.extend(["create", "direct=52500999,0017,girocard", "direct=52500999,0017,girocard"]);
    let v = lifecycle(&sandbox, &steps);
    for (i, method) in methods.iter().enumerate() {
        let (create, start) = (6 + 2 * i as u32, 7 + 2 * i as u32);
        assert_eq!(result(&v, start), SX_OK, "start/{method}: {}", v.output);
        assert_eq!(text(&v, start, "status"), "ok", "start/{method}");
        let id = text(&v, create, "id");
        assert_eq!(sandbox.read_back(&id, TOKEN)["payment_method"], *method);
        assert_eq!(starts(&sandbox, &id), 1, "start/{method} sent once");
    }
    let direct = 6 + 2 * methods.len() as u32;
    assert_eq!(result(&v, direct + 1), SX_OK, "cashless_direct: {}", v.output);
    assert!(num(&v, direct + 1, "receipt") > 0, "a card receipt: {}", v.output);
    assert_eq!((result(&v, direct + 2), num(&v, direct + 2, "http")), (SX_ERR_API, 400), "a second start");
    assert!(text(&v, direct + 2, "message").contains("already started"), "{}", v.output);
    let id = text(&v, direct, "id");
    let read = sandbox.read_back(&id, TOKEN);
    assert_eq!(read["payment_method"], "cashless_direct");
    assert!(read["receipt"].to_string().contains("52500999"), "the tid reached the API: {read}");
    assert_eq!(starts(&sandbox, &id), 2);

    // The other way round: a terminal timeout shorter than the terminal ends a terminal method, not cash.
    let v = lifecycle(
        &sandbox,
        &[
            "timeouts=0,10000,300",
            "basket=EUR",
            "product=Brot,1,150,7",
            "create",
            "start=cashless",
            "create",
            "start=cash",
        ],
    );
    assert_eq!(result(&v, 6), SX_ERR_OUTCOME_UNKNOWN, "{}", v.output);
    assert_eq!(result(&v, 8), SX_OK, "{}", v.output);
}

#[test]
fn canceltrx_reverses_by_receipt_number_until_the_end_of_day() {
    let sandbox = Sandbox::start(&["--terminal-delay-ms", "300"]);
    let v = lifecycle(
        &sandbox,
        &[
            "basket=EUR",
            "product=Brot,1,250,7",
            "create",
            "start=cashless",
            "create",
            "start=cashless",
            "create",
            "start=cash",
        ],
    );
    let (first, second) = (text(&v, 4, "id"), text(&v, 6, "id"));
    assert_eq!((result(&v, 5), result(&v, 7), result(&v, 9)), (SX_OK, SX_OK, SX_OK), "{}", v.output);
    let (first_number, second_number) = (receipt_number(&sandbox, &first), receipt_number(&sandbox, &second));
    let before = sandbox.api_requests();

    let reverse_first = format!("canceltrx={first_number}");
    let padded_second = format!("canceltrx=000{second_number}");
    let v = lifecycle(
        &sandbox,
        &[
            "timeouts=0,100,5000",
            &reverse_first,
            &reverse_first,
            "canceltrx=987654",
            "eod",
            &padded_second,
            "diagnosis",
        ],
    );
    assert_eq!(result(&v, 3), SX_OK, "the total timeout does not cut it short: {}", v.output);
    assert_eq!((text(&v, 3, "id"), text(&v, 3, "status")), (first.clone(), "cancelled".to_string()));
    assert_eq!((result(&v, 4), num(&v, 4, "http")), (SX_ERR_API, 400), "not twice: {}", v.output);
    assert_eq!((result(&v, 5), num(&v, 5, "http")), (SX_ERR_API, 404), "an unknown number: {}", v.output);
    assert_eq!((result(&v, 6), text(&v, 6, "first_line")), (SX_OK, "Kassenschnitt".to_string()), "{}", v.output);
    assert!(num(&v, 6, "receipt") > 0);
    assert_eq!((result(&v, 7), num(&v, 7, "http")), (SX_ERR_API, 400), "settled by the end of day: {}", v.output);
    assert!(text(&v, 7, "message").contains("end of day"), "{}", v.output);
    assert_eq!((result(&v, 8), text(&v, 8, "status")), (SX_OK, "ok".to_string()), "{}", v.output);
    assert!(num(&v, 8, "receipt") > 0, "a report to print: {}", v.output);
    assert_eq!(sandbox.status_after(&first, TOKEN), "cancelled");
    assert_eq!(sandbox.status_after(&second, TOKEN), "ok");
    assert_eq!(sandbox.api_requests() - before, 6 + 2, "each call once (and the two reads here)");
}

#[test]
fn end_of_day_and_diagnosis_wait_for_the_terminal_timeout_not_the_total_one() {
    let sandbox = Sandbox::start(&["--terminal-delay-ms", "1500"]);
    let v =
        lifecycle(&sandbox, &["timeouts=0,300,10000", "eod", "diagnosis", "timeouts=0,10000,500", "eod", "diagnosis"]);
    assert_eq!(result(&v, 3), SX_OK, "a short total timeout does not cut the end of day short: {}", v.output);
    assert_eq!(text(&v, 3, "status"), "ok");
    assert_eq!(result(&v, 4), SX_OK, "{}", v.output);
    assert_eq!(text(&v, 4, "first_line"), "Diagnose");
    assert_eq!((result(&v, 6), num(&v, 6, "written")), (SX_ERR_OUTCOME_UNKNOWN, 0), "{}", v.output);
    assert_eq!((result(&v, 7), num(&v, 7, "written")), (SX_ERR_OUTCOME_UNKNOWN, 0), "{}", v.output);
    assert_eq!(sandbox.api_requests(), 4, "never repeated");
}

#[test]
fn lost_slow_and_reset_answers_of_the_new_calls_are_unknown_outcomes_never_repeated() {
    let sandbox = Sandbox::start(&[]);
    // A paid card transaction for canceltrx, and a reference for the list.
    let v =
        lifecycle(&sandbox, &["basket=EUR", "product=Brot,1,250,7", "refs=till-7,Beleg F", "create", "start=cashless"]);
    let number = receipt_number(&sandbox, &text(&v, 5, "id"));
    let modes = [
        ("lost after executing", json!({"mode": "reset"})),
        ("lost before executing", json!({"mode": "reset_before"})),
        ("slow", json!({"mode": "late", "delay_ms": 1500})),
        ("truncated", json!({"mode": "truncate"})),
    ];
    let a_created_one = ["basket=EUR", "product=Kaffee,1,250,19", "create"];
    // (call, method, path prefix of the faulted request only, steps: the faulted call last)
    let canceltrx = format!("canceltrx={number}");
    let calls: [(&str, &str, String, Vec<&str>); 6] = [
        ("update", "PUT", "/api/v2/Smart/Transactions/".into(), [&a_created_one[..], &["update"]].concat()),
        // The create's path has no trailing slash, the start's has: the rule skips the create.
        (
            "cashless_direct",
            "POST",
            "/api/v2/Smart/Transactions/".into(),
            [&a_created_one[..], &["direct=52500999,17,girocard"]].concat(),
        ),
        ("canceltrx", "POST", format!("/api/v2/Smart/Transactions/{number}/canceltrx"), vec![canceltrx.as_str()]),
        ("endOfDay", "POST", "/api/v2/Smart/Transactions/me/endOfDay".into(), vec!["eod"]),
        ("diagnosis", "POST", "/api/v2/Smart/Transactions/me/diagnosis".into(), vec!["diagnosis"]),
        ("list", "GET", "/api/v2/Smart/Transactions".into(), vec!["list=5,0,Beleg F"]),
    ];
    for (call, method, prefix, steps) in &calls {
        for (mode, behaviour) in &modes {
            sandbox.clear_rules();
            sandbox.set_rule(Some(method), prefix, 1, behaviour.clone());
            let before = sandbox.api_requests();
            // Total and terminal timeouts below the slow answer's delay.
            let script = [&["timeouts=0,700,700"][..], steps].concat();
            let step = script.len() as u32 + 1;
            let v = lifecycle(&sandbox, &script);
            let what = format!("{call}, {mode}: {}", v.output);
            assert_eq!(result(&v, step), SX_ERR_OUTCOME_UNKNOWN, "{what}");
            assert_eq!(num(&v, step, "written"), 0, "{what}");
            let creates = steps.iter().filter(|s| **s == "create").count() as u64;
            assert_eq!(sandbox.api_requests() - before, creates + 1, "sent once, never repeated: {what}");
            if *mode == "slow" {
                // The late answer goes out after the client has gone; let it, before the next count.
                std::thread::sleep(Duration::from_millis(1000));
            }
        }
    }
}

#[test]
fn a_lost_create_is_found_by_its_reference_and_never_made_twice() {
    let sandbox = Sandbox::start(&[]);
    // Lost after executing: the transaction exists; the register finds it by the reference it gave.
    sandbox.set_rule(Some("POST"), "/api/v2/Smart/Transactions", 1, json!({"mode": "reset"}));
    let v = lifecycle(
        &sandbox,
        &["basket=EUR", "product=Brot,1,250,7", "refs=till-7,Beleg L1", "create", "list=5,0,Beleg L1"],
    );
    assert_eq!(result(&v, 5), SX_ERR_OUTCOME_UNKNOWN, "{}", v.output);
    assert_eq!((result(&v, 6), num(&v, 6, "total")), (SX_OK, 1), "{}", v.output);
    assert_eq!(text(&v, 6, "statuses"), "created", "{}", v.output);
    // Lost before executing: nothing was made, so the list is empty and creating again makes the only one.
    sandbox.clear_rules();
    sandbox.set_rule(Some("POST"), "/api/v2/Smart/Transactions", 1, json!({"mode": "reset_before"}));
    let steps = ["basket=EUR", "product=Brot,1,250,7", "refs=till-7,Beleg L2", "create", "list=5,0,Beleg L2"];
    let v = lifecycle(&sandbox, &[&steps[..], &["create", "list=5,0,Beleg L2"]].concat());
    assert_eq!(result(&v, 5), SX_ERR_OUTCOME_UNKNOWN, "{}", v.output);
    assert_eq!((result(&v, 6), num(&v, 6, "total")), (SX_OK, 0), "{}", v.output);
    assert_eq!(result(&v, 7), SX_OK, "{}", v.output);
    assert_eq!((num(&v, 8, "total"), text(&v, 8, "ids")), (1, text(&v, 7, "id")), "{}", v.output);
}
