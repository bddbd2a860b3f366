//! The classification of a complete HTTP answer (status, redirect target, body bytes): no panic; success only
//! for a 2xx whose body `sx_transaction_parse` also accepts (a payment reported as done must have a receipt
//! that can be printed); and no message that could forge a log line or cut a C string.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smartx::http::outcome::classify;
use smartx::model::Transaction;

fuzz_target!(|input: &[u8]| {
    if input.len() < 3 {
        return;
    }
    let status = u16::from_le_bytes([input[0], input[1]]) % 1000;
    let location_len = usize::from(input[2]).min(input.len() - 3);
    let (location, body) = input[3..].split_at(location_len);
    let location = std::str::from_utf8(location).ok();
    match classify(status, body, location) {
        Ok(()) => {
            assert!((200..300).contains(&status), "success for HTTP {status}");
            assert!(Transaction::from_json(body).is_ok(), "success for an answer the parser rejects");
        }
        Err(e) => assert!(!e.message.contains(['\r', '\n', '\0']), "{:?}", e.message),
    }
});
