//! The book's chapter on the journal (docs/src/journal.md): its start-up routine, the `journal-start-up` block,
//! compiled as the chapter shows it and run after a register lost the answer to a payment: the payment is
//! settled and its receipt printed once, as a copy; the next start prints nothing again.

use crate::support;

use std::process::Command;
use std::time::Duration;

use serde_json::json;
use support::manual::code_block;
use support::{c_build_dir, c_program, libdir, repo_dir, run, Sandbox};

const LIMIT: Duration = Duration::from_secs(60);
const TOKEN: &str = "journal-book-token";

#[test]
fn the_start_up_routine_of_the_chapter_prints_a_lost_payment_once_as_a_copy() {
    let routine = code_block("docs/src/journal.md", "journal-start-up");
    let dir = c_build_dir().join(format!("journal-book-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let source = dir.join("start_up.c");
    std::fs::write(
        &source,
        format!(
            "#include <stdint.h>\n#include <stdio.h>\n#include \"smartx.h\"\n\n{routine}\n\
             int main(int argc, char **argv)\n{{\n    (void)argc;\n    sx_client *client = NULL;\n    \
             sx_client_new(argv[1], &client);\n    sx_client_use_token(client, argv[2]);\n    \
             printf(\"start_up=%u\\n\", (unsigned)register_start_up(client, argv[3]));\n    \
             sx_client_free(client);\n    return 0;\n}}\n"
        ),
    )
    .unwrap();
    let exe = dir.join("start_up");
    let lib = libdir();
    let mut cc = Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".into()));
    cc.args(["-std=c99", "-Wall", "-Wextra", "-Werror", "-I"])
        .arg(repo_dir().join("include"))
        .arg(&source)
        .arg("-o")
        .arg(&exe)
        .arg("-L")
        .arg(&lib)
        .arg("-lsmartx")
        .arg(format!("-Wl,-rpath,{}", lib.display()));
    let built = run(&mut cc, LIMIT);
    assert_eq!(built.code(), 0, "the chapter's block does not compile:\n{}", built.output());

    let sandbox = Sandbox::start(&["--token", TOKEN]);
    let journal = dir.join("till.journal");
    // The register before the crash: the start is executed and its answer lost.
    let lost = sandbox.create_with(json!({"mode": "reset"}));
    let mut register = Command::new(c_program("journal"));
    register.arg(&sandbox.base_url).arg(&journal).args([&format!("token={TOKEN}"), "open", &format!("start={lost}")]);
    let before = run(&mut register, LIMIT);
    assert!(before.stdout.contains("3.result=11\n"), "SX_ERR_OUTCOME_UNKNOWN:\n{}", before.output());

    let start_up = || run(Command::new(&exe).arg(&sandbox.base_url).arg(TOKEN).arg(&journal), LIMIT);
    let done = start_up();
    assert_eq!(done.code(), 0, "{}", done.output());
    assert!(done.stdout.contains("journal: 1 settled, 0 still pending (SX_OK)"), "{}", done.output());
    assert!(done.stdout.contains(&format!("paid, never printed: {lost}\n")), "{}", done.output());
    assert_eq!(done.stdout.matches("*** KOPIE ***").count(), 2, "{}", done.output());
    assert!(done.stdout.contains("Kartennummer"), "{}", done.output());
    assert!(done.stdout.contains("start_up=0"), "{}", done.output());

    let again = start_up();
    assert!(again.stdout.contains("journal: 0 settled, 0 still pending (SX_OK)"), "{}", again.output());
    assert!(!again.stdout.contains("paid, never printed"), "printed once only:\n{}", again.output());
    assert_eq!(sandbox.requests(&lost).iter().filter(|r| r["path"].as_str().unwrap().contains("/start/")).count(), 1);
    let _ = std::fs::remove_dir_all(dir);
}
