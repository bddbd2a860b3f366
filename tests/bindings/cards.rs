//! The loyalty card through the C++ wrapper (examples-cpp/card_balance.cpp, built with -Wall -Wextra -Werror
//! -pedantic) and the Pascal unit (bindings/pascal/card_balance.dpr, built with fpc -Sew) against the sandbox:
//! one smoke per binding. The Python binding's smoke is bindings/python/tests/test_card.py, run by
//! tests/bindings/languages.rs with the package's other tests.

use std::process::Command;

use super::{compile_cpp, fpc, scratch, LIMIT};
use crate::support::{repo_dir, run, Run, Sandbox};

const TOKEN: &str = "card-bindings-token-77c1";
const EXAMPLE_CARD: &str = "9276004428481652";

fn checked(done: Run) -> Run {
    let output = done.output();
    assert!(!output.contains(TOKEN), "the token leaked:\n{output}");
    assert!(!output.contains(EXAMPLE_CARD), "the card number in full:\n{output}");
    done
}

#[test]
fn cpp_wrapper_finds_the_card_checks_its_code_prints_the_slip_and_finds_the_terminal() {
    let dir = scratch("cpp");
    let exe = dir.join("card_balance");
    compile_cpp("examples-cpp/card_balance.cpp", &exe, &["-pthread"]);
    let sandbox = Sandbox::start(&["--token", TOKEN]);
    let done = checked(run(Command::new(&exe).args([TOKEN, EXAMPLE_CARD, &sandbox.base_url]), LIMIT));
    assert_eq!(done.code(), 0, "{}", done.output());
    for line in [
        "Card: ************1652",
        "Balance: 3,52 EUR",
        "Code 4471: right",
        "Code 0000: wrong",
        "Terminal: SDV_8KQW2N5TDX7RJ3MZC6V0HP4YFA1GBE zvt online=yes",
    ] {
        assert!(done.stdout.lines().any(|l| l == line), "no line {line:?}:\n{}", done.output());
    }
    assert!(done.stdout.contains("Kartenguthaben"), "{}", done.output());
    let unknown = checked(run(Command::new(&exe).args([TOKEN, "9276000000000000", &sandbox.base_url]), LIMIT));
    assert_eq!(unknown.code(), 3, "{}", unknown.output());
    // A failure is an exception with its code: an unauthorized token exits 20.
    let strict = Sandbox::start(&["--token", "another-token"]);
    let refused = checked(run(Command::new(&exe).args([TOKEN, EXAMPLE_CARD, &strict.base_url]), LIMIT));
    assert_eq!(refused.code(), 20, "{}", refused.output());
    assert!(refused.stderr.contains("SX_ERR_UNAUTHORIZED"), "{}", refused.output());
}

#[test]
fn pascal_unit_finds_the_card_and_reads_its_cents() {
    let dir = scratch("pascal");
    let exe = fpc(&repo_dir().join("bindings/pascal/card_balance.dpr"), &repo_dir().join("bindings/pascal"), &dir);
    let sandbox = Sandbox::start(&["--token", TOKEN]);
    let done = checked(run(Command::new(&exe).args([TOKEN, EXAMPLE_CARD, &sandbox.base_url]), LIMIT));
    assert_eq!(done.code(), 0, "{}", done.output());
    for line in ["Card: ************1652", "Programme: Geschenkgutschein", "Balance: 3,52 EUR", "Bonus: 0,52 EUR"] {
        assert!(done.stdout.lines().any(|l| l == line), "no line {line:?}:\n{}", done.output());
    }
    let locked = checked(run(Command::new(&exe).args([TOKEN, "9276004400000019", &sandbox.base_url]), LIMIT));
    assert!(locked.stdout.contains("LOCKED: this card cannot pay."), "{}", locked.output());
    let unknown = checked(run(Command::new(&exe).args([TOKEN, "9276000000000000", &sandbox.base_url]), LIMIT));
    assert_eq!(unknown.code(), 3, "{}", unknown.output());
}
