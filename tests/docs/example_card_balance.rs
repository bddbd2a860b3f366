//! examples-c/card_balance (built by its Makefile with -Wall -Wextra -Werror, as every C example) against the
//! sandbox: the balance enquiry and the slip of the API's example card, an unknown card (exit 3), a locked card
//! (exit 4), and the card number never in full in anything it prints, nor the token.

use crate::support;

use std::process::Command;
use std::time::Duration;

use support::{run, Run, Sandbox};

const TOKEN: &str = "tok-CARD-EXAMPLE-5d1e";
const RUN_LIMIT: Duration = Duration::from_secs(60);

fn card_balance(sandbox: &Sandbox, number: &str) -> Run {
    let example = support::c_examples().join("card_balance");
    let done = run(Command::new(example).args([TOKEN, number, &sandbox.base_url, "52500123"]), RUN_LIMIT);
    let output = done.output();
    assert!(!output.contains(TOKEN), "the token leaked:\n{output}");
    assert!(!output.contains(number), "the card number in full:\n{output}");
    done
}

#[test]
fn the_example_prints_the_balance_and_the_slip() {
    let sandbox = Sandbox::start(&["--token", TOKEN]);
    let done = card_balance(&sandbox, "9276004428481652");
    assert_eq!(done.code(), 0, "{}", done.output());
    let out = &done.stdout;
    for line in [
        "Card:          ************1652",
        "Programme:     Geschenkgutschein",
        "Balance:       3,52 EUR",
        "  loaded:      3,00 EUR",
        "  bonus:       0,52 EUR",
        "Points:        7",
        "Expires:       never",
    ] {
        assert!(out.lines().any(|l| l == line), "no line {line:?} in:\n{out}");
    }
    // The slip, laid out at 42 columns by sx_receipt_render.
    let gesamt = format!("Gesamt{}3,52 EUR", " ".repeat(42 - 6 - 8));
    assert!(out.lines().any(|l| l == gesamt), "no line {gesamt:?} in:\n{out}");
    assert!(out.lines().all(|l| l.chars().count() <= 42), "{out}");
    let received = sandbox.log_with("getCardBalanceReceipt");
    assert!(received.contains("getCardBalanceReceipt"), "{received}");
}

#[test]
fn an_unknown_card_and_a_locked_card() {
    let sandbox = Sandbox::start(&["--token", TOKEN]);
    let unknown = card_balance(&sandbox, "9276000000000000");
    assert_eq!(unknown.code(), 3, "{}", unknown.output());
    assert!(unknown.stdout.contains("No card has this number."), "{}", unknown.output());
    let locked = card_balance(&sandbox, "9276004400000019");
    assert_eq!(locked.code(), 4, "{}", locked.output());
    assert!(locked.stdout.contains("LOCKED: this card cannot pay."), "{}", locked.output());
    assert!(locked.stdout.contains("Balance:       10,00 EUR"), "{}", locked.output());
}
