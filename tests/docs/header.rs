//! The committed header is the generated one. build.rs generates the header from src/ffi into OUT_DIR on every
//! build; any difference from include/smartx.h is a change of the C API that was not reviewed and committed.
//! `SMARTX_UPDATE_HEADER=1 cargo test --test docs header` rewrites include/smartx.h with the generated header.

use std::path::Path;

const GENERATED: &str = env!("SMARTX_GENERATED_HEADER");

#[test]
fn the_committed_header_is_the_generated_one() {
    let generated = std::fs::read_to_string(GENERATED).expect("build.rs wrote the header to OUT_DIR");
    let committed_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("include/smartx.h");
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    if generated == committed {
        return;
    }
    if std::env::var_os("SMARTX_UPDATE_HEADER").is_some_and(|v| v == "1") {
        std::fs::write(&committed_path, &generated).expect("include/smartx.h is writable");
        eprintln!("include/smartx.h rewritten from {GENERATED}; review and commit it");
        return;
    }
    let first_difference = generated
        .lines()
        .zip(committed.lines())
        .position(|(g, c)| g != c)
        .unwrap_or_else(|| generated.lines().count().min(committed.lines().count()));
    panic!(
        "include/smartx.h differs from the header generated from src/ffi ({GENERATED}), first at line {}.\n\
         Review the change of the C API, then run SMARTX_UPDATE_HEADER=1 cargo test --test docs header and commit it.",
        first_difference + 1
    );
}
