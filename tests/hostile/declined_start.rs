//! A declined start (`SX_ERR_NOT_OK`): the message read right after the call says which status came back and
//! what it means. Through the C ABI against the sandbox, whose `failed` behaviour executes a start and leaves the
//! transaction `failed` (a declined card, with a receipt), answered with HTTP 200. The README's first program
//! once printed "SX_ERR_NOT_OK (HTTP 200): " with nothing after it: it read the message after rendering the
//! receipt, whose success had cleared it (tests/docs/readme.rs checks the program).

use crate::support;

use support::last_error;

use std::ffi::{c_char, CStr, CString};
use std::ptr;

use serde_json::json;
use smartx::*;
use support::Sandbox;

const TOKEN: &str = "tok-DECLINED-SECRET-51a9";

fn assert_says_declined(call: &str, result: sx_result, message: &str) {
    assert_eq!(result, SX_ERR_NOT_OK, "{call}: {message}");
    for words in ["HTTP 200", r#"status "failed""#, "not paid"] {
        assert!(message.contains(words), "{call}: {message:?} does not say {words:?}");
    }
    assert_eq!(message.matches("HTTP 200").count(), 1, "{call}: the status said twice: {message}");
    assert!(!message.contains(TOKEN), "{call}: {message}");
}

#[test]
fn a_declined_start_says_which_status_came_back_and_what_it_means() {
    let sandbox = Sandbox::start(&["--token", TOKEN]);
    let url = CString::new(sandbox.base_url.as_str()).unwrap();
    let token = CString::new(TOKEN).unwrap();
    let mut client = ptr::null_mut();
    // SAFETY: a NUL-terminated URL and a valid out-pointer.
    assert_eq!(unsafe { sx_client_new(url.as_ptr(), &mut client) }, SX_OK, "{}", last_error());
    // SAFETY: a live client and a NUL-terminated token.
    assert_eq!(unsafe { sx_client_use_token(client, token.as_ptr()) }, SX_OK);

    let id = CString::new(sandbox.create_with(json!({"mode": "failed"}))).unwrap();
    let mut tx = ptr::null_mut();
    // SAFETY: a live client, NUL-terminated strings, a valid out-pointer.
    let result = unsafe { sx_transaction_start(client, id.as_ptr(), c"cash".as_ptr(), &mut tx) };
    assert_says_declined("sx_transaction_start", result, &last_error());
    assert!(!tx.is_null(), "a declined start writes the transaction: its receipt is printed");
    // SAFETY: a live transaction.
    let status = unsafe { CStr::from_ptr(sx_transaction_status(tx)) }.to_str().unwrap().to_owned();
    assert_eq!(status, "failed");
    // SAFETY: the transaction the call handed over, freed once.
    unsafe { sx_transaction_free(tx) };

    let id = CString::new(sandbox.create_with(json!({"mode": "failed"}))).unwrap();
    let mut answer = vec![0 as c_char; 65536];
    let mut len = 0usize;
    // SAFETY: a live client, a NUL-terminated id, a buffer of the size given, a valid out_len.
    let result = unsafe { sx_client_start_cash(client, id.as_ptr(), answer.as_mut_ptr(), answer.len(), &mut len) };
    assert_says_declined("sx_client_start_cash", result, &last_error());
    // SAFETY: the client from sx_client_new, freed once.
    unsafe { sx_client_free(client) };
}
