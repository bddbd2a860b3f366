//! The C example examples-c/pair_device, built with its own Makefile against the library of this test run,
//! run against a sandbox that confirms the device code by itself: the code shown, the payment, the exit
//! status, a log without secrets, and a clean valgrind run.

use crate::support;

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use support::{run, Run, Sandbox};

const CLIENT: &str = "till-client:pair-SECRET-0c4e";
const RUN_LIMIT: Duration = Duration::from_secs(60);

fn example() -> PathBuf {
    support::c_examples().join("pair_device")
}

fn sandbox() -> Sandbox {
    Sandbox::start(&["--client", CLIENT, "--device-interval-ms", "200", "--device-auto-confirm", "2"])
}

/// Runs the example, under `wrapper` (valgrind) when given.
fn pair_device(wrapper: Option<Command>, sandbox: &Sandbox, id: &str) -> Run {
    let limit = if wrapper.is_some() { Duration::from_secs(300) } else { RUN_LIMIT };
    let mut command = match wrapper {
        Some(mut wrapper) => {
            wrapper.arg(example());
            wrapper
        }
        None => Command::new(example()),
    };
    command.args(["till-client", "pair-SECRET-0c4e", "/vendor/acme/cashier/till-7", id, &sandbox.base_url]);
    let done = run(&mut command, limit);
    // valgrind echoes the command line, which holds the secret; everything else must not.
    let output = done.output();
    let printed: Vec<&str> = output.lines().filter(|l| !(l.starts_with("==") && l.contains("Command:"))).collect();
    assert!(!printed.join("\n").contains("pair-SECRET-0c4e"), "the secret leaked:\n{output}");
    done
}

#[test]
fn pairs_shows_the_code_and_pays() {
    let sandbox = sandbox();
    let id = sandbox.create_one();
    let done = pair_device(None, &sandbox, &id);
    assert_eq!(done.code(), 0, "{}", done.output());
    assert!(done.stdout.contains("please open http://www.secuoffice.com and confirm the code "), "{}", done.output());
    assert!(done.stdout.contains("Paired.") && done.stdout.contains("Refresh token to store: 40 characters."));
    assert!(done.stdout.contains(&format!("The cash payment for {id} is registered")), "{}", done.output());
    assert!(done.stderr.contains("smartx info: POST /oauth/token -> HTTP 200 after "), "{}", done.output());
    assert_eq!(sandbox.requests(&id).len(), 1);
    assert_eq!(sandbox.token_requests("device_code"), 1);
}

#[test]
fn an_unconfirmed_code_expires_with_its_exit_status() {
    let sandbox = Sandbox::start(&["--client", CLIENT, "--device-interval-ms", "200", "--device-expires-ms", "800"]);
    let id = sandbox.create_one();
    let done = pair_device(None, &sandbox, &id);
    assert_eq!(done.code(), 41, "SX_ERR_EXPIRED\n{}", done.output());
    assert!(done.stderr.contains("Pairing failed: SX_ERR_EXPIRED"), "{}", done.output());
    assert_eq!(sandbox.api_requests(), 0);
}

#[test]
fn valgrind_finds_no_errors_and_no_leaks() {
    let Some(valgrind) = support::valgrind() else { return };
    let sandbox = sandbox();
    let id = sandbox.create_one();
    let done = pair_device(Some(valgrind), &sandbox, &id);
    assert_eq!(done.code(), 0, "{}", done.output());
    assert!(done.stderr.contains("ERROR SUMMARY: 0 errors"), "{}", done.output());
    assert!(done.stdout.contains("is registered"), "{}", done.output());
}
