//! The committed header is the generated one. build.rs rewrites include/smartx.h from src/ffi whenever the
//! library is built, and the library is built before this test, so any difference from the committed file
//! is a change of the C API that was not reviewed and committed.

use std::process::Command;

fn git(args: &[&str]) -> std::process::Output {
    Command::new("git")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap_or_else(|e| panic!("the header check needs git and a git checkout: {e}"))
}

#[test]
fn the_committed_header_is_the_generated_one() {
    let tracked = git(&["ls-files", "--error-unmatch", "include/smartx.h"]);
    assert!(
        tracked.status.success(),
        "include/smartx.h is not committed: {}",
        String::from_utf8_lossy(&tracked.stderr)
    );
    let diff = git(&["diff", "--exit-code", "HEAD", "--", "include/smartx.h"]);
    assert!(
        diff.status.success(),
        "regenerating include/smartx.h changed it; review the change of the C API and commit it:\n{}",
        String::from_utf8_lossy(&diff.stdout)
    );
}
