//! Answers that do not belong to their request, through the C ABI against loopback servers that lie
//! (tests/support/raw.rs): a transaction with another id than the one asked for, or with none; a cancel or abort
//! that came back in another state; a list page holding near matches of the reference; a paid answer with a
//! lone UTF-16 surrogate in a text field. Each answer is read as the register would read it, and must never be
//! taken for the call's own.

use crate::support;

use support::{last_error, result_name as name};

use std::ffi::{c_char, CStr, CString};
use std::ptr;

use smartx::*;
use support::raw::{http_answer, RawServer, Reply};

const TOKEN: &str = "tok-LYING-SECRET-7c1e";

fn text(s: *const c_char) -> String {
    assert!(!s.is_null());
    // SAFETY: the accessors give NUL-terminated strings valid while the transaction lives.
    unsafe { CStr::from_ptr(s) }.to_string_lossy().into_owned()
}

/// A server that answers every request with HTTP 200 and `body`.
fn answering(body: &[u8]) -> RawServer {
    RawServer::start(Reply::AfterRequestHead(http_answer("200 OK", "", body)))
}

/// A client of `server` with a fixed token.
struct Client(*mut sx_client);

impl Client {
    fn of(server: &RawServer) -> Client {
        let url = CString::new(server.url("http")).unwrap();
        let token = CString::new(TOKEN).unwrap();
        let mut client = ptr::null_mut();
        // SAFETY: a NUL-terminated URL and a valid out-pointer.
        assert_eq!(unsafe { sx_client_new(url.as_ptr(), &mut client) }, SX_OK, "{}", last_error());
        // SAFETY: a live client and a NUL-terminated token.
        assert_eq!(unsafe { sx_client_use_token(client, token.as_ptr()) }, SX_OK, "{}", last_error());
        // SAFETY: a live client.
        assert_eq!(unsafe { sx_client_set_timeouts(client, 2000, 10_000, 10_000) }, SX_OK);
        Client(client)
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // SAFETY: the client from sx_client_new, freed once.
        unsafe { sx_client_free(self.0) };
    }
}

/// What one call on a transaction gave: its result, its message, and the transaction written to `*out`.
struct Outcome {
    result: sx_result,
    message: String,
    tx: *mut sx_transaction,
}

impl Outcome {
    fn status(&self) -> String {
        // SAFETY: a live transaction.
        text(unsafe { sx_transaction_status(self.tx) })
    }
    fn id(&self) -> String {
        // SAFETY: a live transaction.
        text(unsafe { sx_transaction_id(self.tx) })
    }
    fn describe(&self) -> String {
        format!("{} ({}): {}", name(self.result), self.result, self.message)
    }
}

impl Drop for Outcome {
    fn drop(&mut self) {
        // SAFETY: NULL or a transaction the call handed over, freed once.
        unsafe { sx_transaction_free(self.tx) };
    }
}

/// The calls that take a transaction id (or, for canceltrx, a receipt number) and write a transaction.
#[derive(Clone, Copy, Debug)]
enum Call {
    Get,
    Check,
    StartCash,
    StartCard,
    Direct,
    Update,
    Cancel,
    Abort,
    CancelByReceipt,
}

const IDENTIFIED: [Call; 8] =
    [Call::Get, Call::Check, Call::StartCash, Call::StartCard, Call::Direct, Call::Update, Call::Cancel, Call::Abort];

fn call(client: &Client, call: Call, id: &str) -> Outcome {
    let id = CString::new(id).unwrap();
    let mut tx = ptr::null_mut();
    let mut verdict = 99u32;
    // SAFETY: a live client, NUL-terminated strings, valid out-pointers.
    let result = unsafe {
        match call {
            Call::Get => sx_transaction_get(client.0, id.as_ptr(), &mut tx),
            Call::Check => sx_transaction_check(client.0, id.as_ptr(), &mut verdict, &mut tx),
            Call::StartCash => sx_transaction_start(client.0, id.as_ptr(), c"cash".as_ptr(), &mut tx),
            Call::StartCard => sx_transaction_start(client.0, id.as_ptr(), c"cashless".as_ptr(), &mut tx),
            Call::Direct => sx_transaction_start_cashless_direct(
                client.0,
                id.as_ptr(),
                c"52500999".as_ptr(),
                c"17".as_ptr(),
                c"girocard".as_ptr(),
                &mut tx,
            ),
            Call::Update => {
                let mut basket = ptr::null_mut();
                assert_eq!(sx_basket_new(c"EUR".as_ptr(), &mut basket), SX_OK);
                let added = sx_basket_add_product(basket, c"Brot".as_ptr(), ptr::null(), ptr::null(), 1, 250, 7);
                assert_eq!(added, SX_OK);
                let result = sx_transaction_update(client.0, id.as_ptr(), basket, &mut tx);
                sx_basket_free(basket);
                result
            }
            Call::Cancel => sx_transaction_cancel(client.0, id.as_ptr(), &mut tx),
            Call::Abort => sx_transaction_abort(client.0, id.as_ptr(), &mut tx),
            Call::CancelByReceipt => sx_transaction_cancel_by_receipt(client.0, id.as_ptr(), &mut tx),
        }
    };
    let message = if result == SX_OK { String::new() } else { last_error() };
    if let Call::Check = call {
        if result != SX_OK {
            assert_eq!(verdict, 99, "a failed check writes no verdict: {message}");
        }
    }
    Outcome { result, message, tx }
}

/// The state each call makes, so that only the id is wrong in the answers below.
fn made_state(call: Call) -> &'static str {
    match call {
        Call::Get | Call::Check | Call::StartCash | Call::StartCard | Call::Direct => "ok",
        Call::Update => "created",
        Call::Cancel | Call::CancelByReceipt => "cancelled",
        Call::Abort => "aborted",
    }
}

/// Issue 16.1: an answer with another id, or with none (absent, null, a number, an object), belongs to another
/// request or to none: never success, never a verdict, `*out` untouched.
#[test]
fn an_answer_for_another_id_or_none_is_a_bad_response_for_every_call() {
    let mut failures = Vec::new();
    for call_kind in IDENTIFIED {
        let state = made_state(call_kind);
        for id_field in [
            r#""id":"STX_B","#,
            "",
            r#""id":null,"#,
            r#""id":12345,"#,
            r#""id":{"x":"STX_A"},"#,
            r#""id":"stx_a","#,
            r#""id":"STX_A ","#,
        ] {
            let body = format!(r#"{{"object":"smart.transactions",{id_field}"status":"{state}","receipt":[]}}"#);
            let server = answering(body.as_bytes());
            let client = Client::of(&server);
            let got = call(&client, call_kind, "STX_A");
            if got.result != SX_ERR_BAD_RESPONSE || !got.tx.is_null() {
                failures.push(format!("{call_kind:?} answered {body}: {}", got.describe()));
                continue;
            }
            let paying = matches!(call_kind, Call::StartCash | Call::StartCard | Call::Direct);
            if paying && !(got.message.contains("read the transaction back") && got.message.contains("do not pay")) {
                failures.push(format!("{call_kind:?}: the message does not say to read back: {}", got.message));
            }
            if !got.message.contains("STX_A") {
                failures.push(format!("{call_kind:?}: the message does not name the id asked for: {}", got.message));
            }
        }
        // The answer for the id asked for is the call's own.
        let body = format!(r#"{{"object":"smart.transactions","id":"STX_A","status":"{state}","receipt":[]}}"#);
        let server = answering(body.as_bytes());
        let client = Client::of(&server);
        let got = call(&client, call_kind, "STX_A");
        if got.result != SX_OK || got.id() != "STX_A" {
            failures.push(format!("{call_kind:?} with its own answer: {}", got.describe()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The header's own check loop: a read of STX_A answered with STX_B's transaction gave a verdict (PAID for a
/// paid STX_B, NOT_PAID for a created one, on which the loop starts STX_A again).
#[test]
fn a_check_answered_with_another_transaction_gives_no_verdict() {
    for state in ["ok", "created"] {
        let body = format!(r#"{{"object":"smart.transactions","id":"STX_B","status":"{state}"}}"#);
        let server = answering(body.as_bytes());
        let client = Client::of(&server);
        let got = call(&client, Call::Check, "STX_A");
        assert_eq!(got.result, SX_ERR_BAD_RESPONSE, "STX_B {state}: {}", got.describe());
        assert!(got.tx.is_null());
    }
}

/// The process-wide `sx_start_cash` and `sx_client_start_cash` take the same rule: their answer (copied to the
/// caller's buffer either way) is not a payment of the id asked for.
#[test]
fn start_cash_of_both_kinds_refuses_another_transaction_s_answer() {
    let _settings = support::process_wide_settings();
    for (body, want) in [
        (r#"{"id":"STX_B","status":"ok","receipt":[]}"#, SX_ERR_BAD_RESPONSE),
        (r#"{"status":"ok","receipt":[]}"#, SX_ERR_BAD_RESPONSE),
        (r#"{"id":7,"status":"ok","receipt":[]}"#, SX_ERR_BAD_RESPONSE),
        (r#"{"id":"STX_A","status":"ok","receipt":[]}"#, SX_OK),
    ] {
        let server = answering(body.as_bytes());
        let url = CString::new(server.url("http")).unwrap();
        let id = c"STX_A";
        let token = CString::new(TOKEN).unwrap();
        let mut buf = vec![0 as c_char; 4096];
        let mut len = 0usize;
        // SAFETY: NUL-terminated strings; buf is writable for its length; len is writable.
        let plain = unsafe {
            assert_eq!(sx_set_base_url(url.as_ptr()), SX_OK);
            sx_start_cash(id.as_ptr(), token.as_ptr(), buf.as_mut_ptr(), buf.len(), &mut len)
        };
        let plain_message = last_error();
        assert_eq!(plain, want, "sx_start_cash answered {body}: {} {plain_message}", name(plain));
        assert_eq!(len, body.len(), "the answer is handed over either way");
        let client = Client::of(&server);
        // SAFETY: a live client; as above.
        let own = unsafe { sx_client_start_cash(client.0, id.as_ptr(), buf.as_mut_ptr(), buf.len(), &mut len) };
        let own_message = last_error();
        assert_eq!(own, want, "sx_client_start_cash answered {body}: {} {own_message}", name(own));
        if want != SX_OK {
            for message in [&plain_message, &own_message] {
                assert!(message.contains("do not pay again"), "{message}");
                assert!(!message.contains(TOKEN), "{message}");
            }
        }
    }
    // Every test of this process that uses the process-wide client holds the lock above.
    sx_shutdown();
}

/// Issue 16.2: a cancel, abort or reversal by receipt number is `SX_OK` only in the state it makes; otherwise
/// `SX_ERR_NOT_OK` with the transaction written, and a message that says in which state it came back.
#[test]
fn cancel_abort_and_reversal_succeed_only_in_the_state_they_make() {
    let mut failures = Vec::new();
    let cases: &[(Call, &str, sx_result, &[&str])] = &[
        (Call::Abort, "aborted", SX_OK, &[]),
        (Call::Abort, "ok", SX_ERR_NOT_OK, &["\"ok\"", "aborted", "paid"]),
        (Call::Abort, "created", SX_ERR_NOT_OK, &["\"created\"", "aborted"]),
        (Call::Abort, "processing", SX_ERR_NOT_OK, &["\"processing\"", "read it back later"]),
        (Call::Cancel, "cancelled", SX_OK, &[]),
        (Call::Cancel, "canceled", SX_OK, &[]),
        (Call::Cancel, "created", SX_ERR_NOT_OK, &["\"created\"", "cancelled"]),
        (Call::Cancel, "ok", SX_ERR_NOT_OK, &["\"ok\"", "cancelled", "paid"]),
        (Call::Cancel, "pending", SX_ERR_NOT_OK, &["\"pending\"", "read it back later"]),
        (Call::CancelByReceipt, "cancelled", SX_OK, &[]),
        (Call::CancelByReceipt, "canceled", SX_OK, &[]),
        (Call::CancelByReceipt, "ok", SX_ERR_NOT_OK, &["\"ok\"", "cancelled", "paid"]),
        (Call::CancelByReceipt, "failed", SX_ERR_NOT_OK, &["\"failed\"", "cancelled"]),
    ];
    for &(call_kind, state, want, words) in cases {
        let asked = if let Call::CancelByReceipt = call_kind { "0003" } else { "STX_A" };
        let id = if let Call::CancelByReceipt = call_kind { "STX_PAID_BY_CARD" } else { "STX_A" };
        let body = format!(r#"{{"object":"smart.transactions","id":"{id}","status":"{state}","receipt_number":3}}"#);
        let server = answering(body.as_bytes());
        let client = Client::of(&server);
        let got = call(&client, call_kind, asked);
        if got.result != want {
            failures.push(format!("{call_kind:?} answered {state}: {}, not {}", got.describe(), name(want)));
            continue;
        }
        if got.tx.is_null() {
            failures.push(format!("{call_kind:?} answered {state}: *out not written"));
            continue;
        }
        if got.status() != state {
            failures.push(format!("{call_kind:?} answered {state}: *out holds {}", got.status()));
        }
        for word in words {
            if !got.message.contains(word) {
                failures.push(format!("{call_kind:?} answered {state}: {word:?} missing in {}", got.message));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn list(client: &Client, reference: &CStr) -> (sx_result, Vec<String>, usize) {
    let mut list = ptr::null_mut();
    // SAFETY: a live client, a NUL-terminated reference, a valid out-pointer.
    let result = unsafe { sx_transaction_list_by_ref(client.0, reference.as_ptr(), 10, 0, &mut list) };
    if result != SX_OK {
        return (result, Vec::new(), 0);
    }
    // SAFETY: a live list until freed below; its transactions are borrowed from it.
    unsafe {
        let refs = (0..sx_transaction_list_count(list))
            .map(|i| text(sx_transaction_transaction_ref(sx_transaction_list_get(list, i))))
            .collect();
        let total = sx_transaction_list_total(list);
        sx_transaction_list_free(list);
        (result, refs, total)
    }
}

/// Issue 16.3: a search for `Beleg 1` keeps only `Beleg 1`, byte for byte, and its total counts only those.
#[test]
fn a_list_by_reference_keeps_only_exact_matches() {
    let page = br#"{"count":4,"data":[
        {"id":"STX_10","status":"ok","transactionRef":"Beleg 10"},
        {"id":"STX_1","status":"ok","transactionRef":"Beleg 1"},
        {"id":"STX_X","status":"ok","transactionRef":"beleg 1"},
        {"id":"STX_N","status":"ok"}
    ]}"#;
    let server = answering(page);
    let client = Client::of(&server);
    let (result, refs, total) = list(&client, c"Beleg 1");
    assert_eq!(result, SX_OK, "{}", last_error());
    assert_eq!(refs, ["Beleg 1"]);
    assert_eq!(total, 1, "the total counts the exact matches the page held");
}

/// A paid answer whose receipt text ends in half of a UTF-16 surrogate pair.
const LONE_SURROGATE: &str = r#"{"object":"smart.transactions","id":"STX_A","status":"ok",
    "receipt":[{"type":"textline","value":{"text":"Caf\ud83d","decoration":[]}}],"customer":{"name":"Ren\udc00e"}}"#;

fn receipt_text(tx: *const sx_transaction) -> String {
    let mut line = std::mem::MaybeUninit::<sx_receipt_line>::uninit();
    // SAFETY: a live transaction; line is writable.
    assert_eq!(unsafe { sx_receipt_line_get(tx, SX_RECEIPT_CUSTOMER, 0, line.as_mut_ptr()) }, SX_OK);
    // SAFETY: written on SX_OK.
    text(unsafe { line.assume_init() }.text)
}

fn json_at(tx: *const sx_transaction, pointer: &CStr) -> String {
    let mut buf = vec![0 as c_char; 256];
    let mut len = 0usize;
    // SAFETY: a live transaction; buf writable for its length.
    let result = unsafe { sx_transaction_get_json(tx, pointer.as_ptr(), buf.as_mut_ptr(), buf.len(), &mut len) };
    assert_eq!(result, SX_OK, "{}", last_error());
    // SAFETY: the call wrote a NUL-terminated string.
    unsafe { CStr::from_ptr(buf.as_ptr()) }.to_string_lossy().into_owned()
}

/// Issue 16.12: a lone surrogate escape in a text field reads as U+FFFD: parsed, paid and read back.
#[test]
fn a_lone_surrogate_in_a_text_field_reads_as_a_replacement_character() {
    let mut tx = ptr::null_mut();
    // SAFETY: the JSON is readable for its length; tx is a valid out-pointer.
    let parsed = unsafe { sx_transaction_parse(LONE_SURROGATE.as_ptr().cast(), LONE_SURROGATE.len(), &mut tx) };
    assert_eq!(parsed, SX_OK, "sx_transaction_parse: {}", last_error());
    assert_eq!(receipt_text(tx), "Caf\u{FFFD}");
    assert_eq!(json_at(tx, c"/customer/name"), "Ren\u{FFFD}e");
    // SAFETY: from sx_transaction_parse, freed once.
    unsafe { sx_transaction_free(tx) };

    let server = answering(LONE_SURROGATE.as_bytes());
    let client = Client::of(&server);
    for call_kind in [Call::StartCash, Call::Get] {
        let got = call(&client, call_kind, "STX_A");
        assert_eq!(got.result, SX_OK, "{call_kind:?}: {}", got.describe());
        assert_eq!((got.status(), receipt_text(got.tx)), ("ok".to_owned(), "Caf\u{FFFD}".to_owned()));
    }
}

/// Issue 16.13: `me` addresses the device's own routes (`/me/endOfDay`): never a transaction id or a receipt
/// number, in any case.
#[test]
fn me_is_neither_a_transaction_id_nor_a_receipt_number() {
    let server = answering(br#"{"object":"smart.transactions","id":"me","status":"ok"}"#);
    let client = Client::of(&server);
    for me in ["me", "ME", "Me", "mE"] {
        for call_kind in [Call::Get, Call::StartCash, Call::Cancel, Call::Abort, Call::CancelByReceipt] {
            let got = call(&client, call_kind, me);
            assert_eq!(got.result, SX_ERR_INVALID_ARGUMENT, "{call_kind:?} {me}: {}", got.describe());
        }
    }
    assert!(server.received().iter().all(Vec::is_empty), "nothing was sent");
}

/// Issue 16.13: a basket holds at most 10 000 products, as an answer's lists do.
#[test]
fn a_basket_takes_at_most_ten_thousand_products() {
    let mut basket = ptr::null_mut();
    // SAFETY: NUL-terminated strings, valid out-pointer, a live basket until freed.
    unsafe {
        assert_eq!(sx_basket_new(c"EUR".as_ptr(), &mut basket), SX_OK);
        for i in 0..10_000 {
            let added = sx_basket_add_product(basket, c"Brot".as_ptr(), ptr::null(), ptr::null(), 1, 1, 7);
            assert_eq!(added, SX_OK, "product {i}: {}", last_error());
        }
        let refused = sx_basket_add_product(basket, c"Brot".as_ptr(), ptr::null(), ptr::null(), 1, 1, 7);
        assert_eq!(refused, SX_ERR_INVALID_ARGUMENT);
        assert!(last_error().contains("10000"), "{}", last_error());
        sx_basket_free(basket);
    }
}
