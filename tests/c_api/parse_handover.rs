//! `sx_transaction_parse` of the answer `sx_start_cash` just gave takes the reading the call made to decide its
//! outcome, instead of reading the answer again. Whatever bytes it is given, it gives what they say: the same
//! transaction as a fresh reading, and never the call's reading for other bytes.

use crate::support;

use std::ffi::{c_char, CStr, CString};
use std::ptr;

use smartx::*;
use support::Sandbox;

const TOKEN: &str = "tok-handover-7d2c41";

fn start_cash(id: &str) -> (sx_result, Vec<u8>) {
    let id = CString::new(id).unwrap();
    let token = CString::new(TOKEN).unwrap();
    let mut buf = vec![0u8; 64 * 1024];
    let mut len = 0usize;
    // SAFETY: id and token are NUL-terminated; buf is writable for its length; len is writable.
    let rc = unsafe { sx_start_cash(id.as_ptr(), token.as_ptr(), buf.as_mut_ptr().cast(), buf.len(), &mut len) };
    buf.truncate(len);
    (rc, buf)
}

/// What a register reads of a parsed transaction: id, status and every string of every receipt line.
fn parse_and_read(json: &[u8]) -> Vec<String> {
    let mut tx = ptr::null_mut();
    // SAFETY: json is readable for its length; tx is a valid out-pointer.
    assert_eq!(unsafe { sx_transaction_parse(json.as_ptr().cast(), json.len(), &mut tx) }, SX_OK);
    let text = |s: *const c_char| {
        // SAFETY: the contract: never NULL, NUL-terminated, valid until sx_transaction_free.
        unsafe { CStr::from_ptr(s) }.to_string_lossy().into_owned()
    };
    // SAFETY: tx is live until sx_transaction_free below.
    let mut seen = vec![text(unsafe { sx_transaction_id(tx) }), text(unsafe { sx_transaction_status(tx) })];
    for which in [SX_RECEIPT_CUSTOMER, SX_RECEIPT_MERCHANT] {
        // SAFETY: tx is live.
        for index in 0..unsafe { sx_receipt_count(tx, which) } {
            let mut line = std::mem::MaybeUninit::<sx_receipt_line>::uninit();
            // SAFETY: tx is live; line is writable.
            assert_eq!(unsafe { sx_receipt_line_get(tx, which, index, line.as_mut_ptr()) }, SX_OK);
            // SAFETY: written on SX_OK.
            let line = unsafe { line.assume_init() };
            seen.extend([line.r#type, line.caption, line.text, line.name, line.value].map(text));
        }
    }
    // SAFETY: tx came from sx_transaction_parse and is freed once.
    unsafe { sx_transaction_free(tx) };
    seen
}

#[test]
fn the_answer_of_a_payment_parses_as_itself_and_other_bytes_as_themselves() {
    let _settings = support::process_wide_settings();
    let sandbox = Sandbox::start(&["--token", TOKEN]);
    let base = CString::new(sandbox.base_url.as_str()).unwrap();
    // SAFETY: base is NUL-terminated.
    assert_eq!(unsafe { sx_set_base_url(base.as_ptr()) }, SX_OK);
    let ids = sandbox.create_batch("STX_HANDOVER", 2);

    let (rc, answer) = start_cash(&ids[0]);
    assert_eq!(rc, SX_OK, "{}", String::from_utf8_lossy(&answer));
    // Other bytes than the answer, of the same length: read as they are, not as the answer.
    let other = String::from_utf8(answer.clone()).unwrap().replacen(&ids[0], &ids[1], 1).into_bytes();
    assert_eq!(other.len(), answer.len());
    assert_eq!(parse_and_read(&other)[0], ids[1]);
    let fresh = {
        let mut copy = answer.clone();
        copy.push(b' ');
        parse_and_read(&copy)
    };
    assert_eq!(fresh[..2], [ids[0].clone(), "ok".to_owned()]);
    assert!(fresh.len() > 2, "the answer has receipt lines");
    // The answer itself, the first time (the call's reading) and again (read anew): what a fresh reading gives.
    assert_eq!(parse_and_read(&answer), fresh);
    assert_eq!(parse_and_read(&answer), fresh);

    // A later call forgets the reading; the answer of the earlier one still parses as itself.
    let (rc, _) = start_cash("");
    assert_eq!(rc, SX_ERR_INVALID_ARGUMENT);
    assert_eq!(parse_and_read(&answer), fresh);
    let (rc, second) = start_cash(&ids[1]);
    assert_eq!(rc, SX_OK);
    assert_eq!(parse_and_read(&answer), fresh);
    assert_eq!(parse_and_read(&second)[..2], [ids[1].clone(), "ok".to_owned()]);
}
