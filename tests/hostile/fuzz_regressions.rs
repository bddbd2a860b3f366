//! Every input the fuzzers (fuzz/, scripts/fuzz.sh) ever found a failure with, kept as a plain test with the
//! same check as its fuzz target: tests/data/regressions/<target>/<name>.

use std::path::Path;

use smartx::http::outcome::classify;
use smartx::model::Transaction;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/regressions").join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("a directory entry").path();
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (path.file_name().unwrap().to_string_lossy().into_owned(), bytes)
        })
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no inputs in {}", dir.display());
    inputs
}

/// fuzz/fuzz_targets/answer_classify.rs: success only for a 2xx whose body the parser also accepts.
#[test]
fn answer_classify() {
    for (name, input) in inputs("answer_classify") {
        let status = u16::from_le_bytes([input[0], input[1]]) % 1000;
        let location_len = usize::from(input[2]).min(input.len() - 3);
        let (location, body) = input[3..].split_at(location_len);
        let location = std::str::from_utf8(location).ok();
        match classify(status, body, location) {
            Ok(()) => {
                assert!((200..300).contains(&status), "{name}: success for HTTP {status}");
                assert!(Transaction::from_json(body).is_ok(), "{name}: success for an answer the parser rejects");
            }
            Err(e) => assert!(!e.message.contains(['\r', '\n', '\0']), "{name}: {:?}", e.message),
        }
    }
}
