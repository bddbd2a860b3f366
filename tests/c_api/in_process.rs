//! The C layer's unsafe parts called in-process, as C would call them: the pointer helpers, the buffer rule,
//! handle lifetimes and the strings handed out. No network, so the same tests run under Miri, which checks
//! every pointer use for undefined behaviour: `scripts/miri.sh` (CI runs it).

use std::ffi::{c_char, CStr};
use std::ptr;

use smartx::*;

use crate::support;

const SEED: &[u8] = include_bytes!("../../fixtures/start-cash-response.json");
const CARD: &[u8] = include_bytes!("../../fixtures/start-cashless-response.json");

fn last_error() -> String {
    let mut len = 0usize;
    // SAFETY: a size query: NULL buffer with capacity 0, a valid out_len.
    assert_eq!(unsafe { sx_last_error_message(ptr::null_mut(), 0, &mut len) }, SX_ERR_BUFFER_TOO_SMALL);
    let mut buf = vec![0 as c_char; len + 1];
    // SAFETY: buf holds len + 1 bytes.
    assert_eq!(unsafe { sx_last_error_message(buf.as_mut_ptr(), buf.len(), &mut len) }, SX_OK);
    // SAFETY: the call wrote a NUL-terminated string into buf.
    unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str().expect("UTF-8").to_owned()
}

fn parse(json: &[u8]) -> *mut sx_transaction {
    let mut tx = ptr::null_mut();
    // SAFETY: json is readable for its length; tx is a valid out-pointer.
    let result = unsafe { sx_transaction_parse(json.as_ptr().cast(), json.len(), &mut tx) };
    assert_eq!(result, SX_OK, "{}", last_error());
    assert!(!tx.is_null());
    tx
}

/// Reads every string of every line of both receipts, after the JSON they came from is gone.
fn walk(tx: *const sx_transaction) -> Vec<String> {
    let mut seen = Vec::new();
    for which in [SX_RECEIPT_CUSTOMER, SX_RECEIPT_MERCHANT] {
        // SAFETY: tx is live until the caller frees it.
        let count = unsafe { sx_receipt_count(tx, which) };
        for index in 0..count {
            let mut line = std::mem::MaybeUninit::<sx_receipt_line>::uninit();
            // SAFETY: tx is live; line is writable.
            assert_eq!(unsafe { sx_receipt_line_get(tx, which, index, line.as_mut_ptr()) }, SX_OK);
            // SAFETY: written on SX_OK.
            let line = unsafe { line.assume_init() };
            for text in [line.r#type, line.caption, line.text, line.name, line.value] {
                assert!(!text.is_null());
                // SAFETY: the contract: never NULL, NUL-terminated, valid until sx_transaction_free.
                seen.push(unsafe { CStr::from_ptr(text) }.to_string_lossy().into_owned());
            }
        }
        // SAFETY: as above; the line is not written on failure.
        let mut untouched = std::mem::MaybeUninit::<sx_receipt_line>::uninit();
        assert_eq!(unsafe { sx_receipt_line_get(tx, which, count, untouched.as_mut_ptr()) }, SX_ERR_OUT_OF_RANGE);
    }
    seen
}

#[test]
fn parsed_strings_outlive_the_json_and_die_with_the_handle() {
    for fixture in [SEED, CARD] {
        let json = fixture.to_vec();
        let tx = parse(&json);
        drop(json);
        let strings = walk(tx);
        assert!(strings.iter().any(|s| s == "Kundenkarte" || s == "Kartenzahlung"), "{strings:?}");
        // SAFETY: tx came from sx_transaction_parse and is freed once.
        unsafe { sx_transaction_free(tx) };
    }
    // SAFETY: NULL is a no-op.
    unsafe { sx_transaction_free(ptr::null_mut()) };
}

#[test]
fn null_pointers_are_refused_and_outputs_stay_untouched() {
    let mut tx = ptr::dangling_mut::<sx_transaction>();
    let before = tx;
    // SAFETY: NULL json with a valid out: refused before anything is read.
    assert_eq!(unsafe { sx_transaction_parse(ptr::null(), 10, &mut tx) }, SX_ERR_NULL_ARGUMENT);
    assert_eq!(tx, before, "*out is written only on success");
    assert!(last_error().contains("json"));
    // SAFETY: valid json, NULL out.
    assert_eq!(
        unsafe { sx_transaction_parse(SEED.as_ptr().cast(), SEED.len(), ptr::null_mut()) },
        SX_ERR_NULL_ARGUMENT
    );
    // SAFETY: broken JSON with a valid out.
    assert_eq!(unsafe { sx_transaction_parse(b"{\"a\":".as_ptr().cast(), 5, &mut tx) }, SX_ERR_INVALID_ARGUMENT);
    assert_eq!(tx, before);
    // SAFETY: NULL handle: a count of 0, and SX_ERR_NULL_ARGUMENT for a line.
    unsafe {
        assert_eq!(sx_receipt_count(ptr::null(), SX_RECEIPT_CUSTOMER), 0);
        let mut line = std::mem::MaybeUninit::<sx_receipt_line>::uninit();
        assert_eq!(sx_receipt_line_get(ptr::null(), 0, 0, line.as_mut_ptr()), SX_ERR_NULL_ARGUMENT);
    }
    let tx = parse(SEED);
    // SAFETY: a live handle with a NULL out, and an unknown `which`.
    unsafe {
        assert_eq!(sx_receipt_line_get(tx, 0, 0, ptr::null_mut()), SX_ERR_NULL_ARGUMENT);
        assert_eq!(sx_receipt_count(tx, 7), 0);
        let mut line = std::mem::MaybeUninit::<sx_receipt_line>::uninit();
        assert_eq!(sx_receipt_line_get(tx, 7, 0, line.as_mut_ptr()), SX_ERR_INVALID_ARGUMENT);
        sx_transaction_free(tx);
    }
}

#[test]
fn the_buffer_rule_writes_exactly_len_plus_nul_or_nothing() {
    // sx_start_cash is the process-wide client's call, though refused here before it reaches that client.
    let _settings = support::process_wide_settings();
    // SAFETY: a NULL out_len pointer with no other argument: refused before the network.
    let result = unsafe { sx_start_cash(c"STX_1".as_ptr(), c"t".as_ptr(), ptr::null_mut(), 0, ptr::null_mut()) };
    assert_eq!(result, SX_ERR_NULL_ARGUMENT);
    let message = last_error();
    let mut len = 0usize;
    // An exact fit, one byte short, and a size query, each into a buffer with a guard byte after it.
    for cap in [message.len() + 1, message.len(), 0] {
        let mut buf = vec![b'#' as c_char; cap + 1];
        let buf_ptr = if cap == 0 { ptr::null_mut() } else { buf.as_mut_ptr() };
        // SAFETY: buf_ptr is NULL with cap 0, or writable for cap bytes.
        let result = unsafe { sx_last_error_message(buf_ptr, cap, &mut len) };
        assert_eq!(len, message.len());
        if cap > message.len() {
            assert_eq!(result, SX_OK);
            // SAFETY: written with a NUL.
            assert_eq!(unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str().unwrap(), message);
        } else {
            assert_eq!(result, SX_ERR_BUFFER_TOO_SMALL);
            assert!(buf[..cap].iter().all(|&b| b == b'#' as c_char), "nothing written");
        }
        assert_eq!(buf[cap], b'#' as c_char, "never past cap");
    }
    // SAFETY: a buffer of capacity 8 that is NULL: refused.
    assert_eq!(unsafe { sx_last_response(ptr::null_mut(), 8, &mut len) }, SX_ERR_NULL_ARGUMENT);
}

#[test]
fn arguments_that_are_not_utf8_or_not_allowed_are_refused() {
    // sx_start_cash and sx_set_base_url are the process-wide settings' calls, though refused here before they
    // reach them.
    let _settings = support::process_wide_settings();
    let bad_id = [0xffu8 as c_char, 0];
    let mut len = 0usize;
    // SAFETY: NUL-terminated strings; a size-query output.
    let result = unsafe { sx_start_cash(bad_id.as_ptr(), c"t".as_ptr(), ptr::null_mut(), 0, &mut len) };
    assert_eq!(result, SX_ERR_INVALID_ARGUMENT);
    assert!(last_error().contains("UTF-8"));
    // SAFETY: as above.
    assert_eq!(unsafe { sx_set_base_url(c"ftp://127.0.0.1".as_ptr()) }, SX_ERR_INVALID_ARGUMENT);
    // SAFETY: a NULL string.
    assert_eq!(unsafe { sx_set_base_url(ptr::null()) }, SX_ERR_NULL_ARGUMENT);
}

fn refresh_token_of(client: *const sx_client) -> (sx_result, String) {
    let mut len = usize::MAX;
    // SAFETY: a size query on a live client.
    let query = unsafe { sx_client_refresh_token(client, ptr::null_mut(), 0, &mut len) };
    let mut buf = vec![0x5a as c_char; len + 1];
    // SAFETY: buf holds len + 1 bytes.
    let result = unsafe { sx_client_refresh_token(client, buf.as_mut_ptr(), buf.len(), &mut len) };
    assert_eq!(result, SX_OK);
    // SAFETY: written with a NUL on SX_OK.
    let text = unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str().unwrap().to_owned();
    assert_eq!(text.len(), len);
    (query, text)
}

#[test]
fn a_client_is_made_configured_and_freed_without_sending_anything() {
    let mut client = ptr::null_mut();
    // SAFETY: valid strings and out-pointers, or NULL where the test says so; the client is freed once.
    unsafe {
        assert_eq!(sx_client_new(c"http://127.0.0.1:9".as_ptr(), ptr::null_mut()), SX_ERR_NULL_ARGUMENT);
        assert_eq!(sx_client_new(c"nowhere".as_ptr(), &mut client), SX_ERR_INVALID_ARGUMENT);
        assert!(client.is_null(), "not written on failure");
        assert_eq!(sx_client_new(c"live".as_ptr(), &mut client), SX_OK);
        assert!(!client.is_null());

        assert_eq!(sx_client_set_timeouts(ptr::null_mut(), 0, 0, 0), SX_ERR_NULL_ARGUMENT);
        assert_eq!(sx_client_set_timeouts(client, 100, 200, 300), SX_OK);
        assert_eq!(sx_client_set_proxy(client, c"http://127.0.0.1:3128".as_ptr()), SX_OK);
        assert_eq!(sx_client_set_proxy(client, c"socks5://127.0.0.1:1".as_ptr()), SX_ERR_INVALID_ARGUMENT);
        assert_eq!(sx_client_set_proxy(client, ptr::null()), SX_OK);
        assert_eq!(sx_client_set_log(client, None, ptr::null_mut(), SX_LOG_DEBUG), SX_OK);
        assert_eq!(sx_client_set_log(client, None, ptr::null_mut(), 5), SX_ERR_INVALID_ARGUMENT);
        assert_eq!(sx_client_add_ca_file(client, ptr::null()), SX_ERR_NULL_ARGUMENT);

        assert_eq!(refresh_token_of(client), (SX_ERR_BUFFER_TOO_SMALL, String::new()));
        assert_eq!(sx_client_use_token(client, c"has space".as_ptr()), SX_ERR_INVALID_ARGUMENT);
        assert!(!last_error().contains("has space"), "{}", last_error());
        assert_eq!(sx_client_use_token(client, c"tok-123".as_ptr()), SX_OK);
        assert_eq!(
            sx_client_use_client_credentials(client, c"id".as_ptr(), c"bad\nsecret".as_ptr()),
            SX_ERR_INVALID_ARGUMENT
        );
        assert!(last_error().contains("`client_secret`") && !last_error().contains("bad"), "{}", last_error());
        let refresh = c"0123456789abcdef0123456789abcdef01234567";
        assert_eq!(sx_client_use_refresh_token(client, c"id".as_ptr(), c"secret".as_ptr(), refresh.as_ptr()), SX_OK);
        assert_eq!(refresh_token_of(client), (SX_ERR_BUFFER_TOO_SMALL, refresh.to_str().unwrap().to_owned()));
        assert_eq!(
            sx_client_pair(client, c"id".as_ptr(), c"secret".as_ptr(), c"/till".as_ptr(), None, ptr::null_mut()),
            SX_ERR_NULL_ARGUMENT
        );
        sx_client_cancel(client);
        sx_client_cancel(ptr::null_mut());

        let mut len = 0usize;
        assert_eq!(
            sx_client_start_cash(client, c"bad id".as_ptr(), ptr::null_mut(), 0, &mut len),
            SX_ERR_INVALID_ARGUMENT
        );
        sx_client_free(client);
        sx_client_free(ptr::null_mut());
    }
}

/// `sx_receipt_render` as C calls it: a size query, a buffer of exactly the length + 1 between guard bytes,
/// NULL options, an options struct read through its pointer, and nothing written on a refused option.
#[test]
fn receipt_render_writes_only_inside_the_buffer() {
    let tx = parse(CARD);
    let options = sx_render_options { columns: 32, format: SX_FORMAT_ESCPOS, codepage: SX_CODEPAGE_CP437, flags: 0 };
    for options in [ptr::null(), &options as *const sx_render_options] {
        let mut len = 0usize;
        // SAFETY: tx is live; a size query with a NULL buffer and capacity 0.
        let result = unsafe { sx_receipt_render(tx, SX_RECEIPT_CUSTOMER, options, ptr::null_mut(), 0, &mut len) };
        assert_eq!(result, SX_ERR_BUFFER_TOO_SMALL);
        let mut buf = vec![0x7Eu8; len + 3];
        // SAFETY: buf[1..] holds len + 2 bytes; the call is told len + 1.
        let result = unsafe {
            sx_receipt_render(tx, SX_RECEIPT_CUSTOMER, options, buf[1..].as_mut_ptr().cast(), len + 1, &mut len)
        };
        assert_eq!(result, SX_OK, "{}", last_error());
        assert_eq!((buf[0], buf[len + 1], buf[len + 2]), (0x7E, 0, 0x7E), "the guard bytes and the NUL");
    }
    let bad = sx_render_options { columns: 19, ..Default::default() };
    let mut buf = [0x7Eu8; 8];
    let mut len = 5usize;
    // SAFETY: tx is live; buf holds 8 bytes.
    let result = unsafe { sx_receipt_render(tx, SX_RECEIPT_CUSTOMER, &bad, buf.as_mut_ptr().cast(), 8, &mut len) };
    assert_eq!((result, len, buf), (SX_ERR_INVALID_ARGUMENT, 5, [0x7E; 8]));
    // SAFETY: from sx_transaction_parse, freed once.
    unsafe { sx_transaction_free(tx) };
}

fn c_str(ptr: *const c_char) -> String {
    assert!(!ptr.is_null(), "the accessors never return NULL");
    // SAFETY: not NULL; the accessors return NUL-terminated strings that live as long as their transaction.
    unsafe { CStr::from_ptr(ptr) }.to_str().expect("UTF-8").to_owned()
}

/// The accessors of `sx_transaction`: the seed's id, status and sum; "" and 0 for NULL.
#[test]
fn transaction_id_status_and_sum() {
    let tx = parse(SEED);
    // SAFETY: tx is live, or NULL where the test says so.
    unsafe {
        assert_eq!(c_str(sx_transaction_id(tx)), "STX_KJXJDUN542NR3WMRHRVU5WWM6ZQEA2");
        assert_eq!(c_str(sx_transaction_status(tx)), "ok");
        assert_eq!(sx_transaction_sum(tx), 796);
        assert_eq!(
            (c_str(sx_transaction_id(ptr::null())), c_str(sx_transaction_status(ptr::null()))),
            ("".into(), "".into())
        );
        assert_eq!(sx_transaction_sum(ptr::null()), 0);
        sx_transaction_free(tx);
    }
    let bare = parse(b"{}");
    // SAFETY: bare is live, then freed once.
    unsafe {
        assert_eq!((c_str(sx_transaction_id(bare)), sx_transaction_sum(bare)), (String::new(), 0));
        sx_transaction_free(bare);
    }
}

/// The basket and the lifecycle calls refuse NULLs and bad arguments before anything is sent, and leave `*out`
/// and `*verdict` as they were. The client points at a closed loopback port it is never asked to reach.
#[test]
fn basket_and_lifecycle_arguments_are_checked_first() {
    let mut client: *mut sx_client = ptr::null_mut();
    let mut basket: *mut sx_basket = ptr::null_mut();
    let sentinel: *mut sx_transaction = ptr::without_provenance_mut(0x5EA5);
    // SAFETY: every pointer is valid or NULL where the test says so; the handles are freed once at the end.
    unsafe {
        assert_eq!(sx_client_new(c"http://127.0.0.1:9".as_ptr(), &mut client), SX_OK, "{}", last_error());
        assert_eq!(sx_basket_new(ptr::null(), &mut basket), SX_ERR_NULL_ARGUMENT);
        assert_eq!(sx_basket_new(c"eur".as_ptr(), &mut basket), SX_ERR_INVALID_ARGUMENT);
        assert!(basket.is_null());
        assert_eq!(sx_basket_new(c"EUR".as_ptr(), &mut basket), SX_OK);
        let add = |basket, desc: *const c_char, quantity, cents| {
            sx_basket_add_product(basket, desc, ptr::null(), ptr::null(), quantity, cents, 19)
        };
        assert_eq!(add(ptr::null_mut(), c"Ware".as_ptr(), 1, 1), SX_ERR_NULL_ARGUMENT);
        assert_eq!(add(basket, ptr::null(), 1, 1), SX_ERR_NULL_ARGUMENT);
        assert_eq!(sx_basket_set_refs(basket, ptr::null(), ptr::null()), SX_OK);
        assert_eq!(sx_basket_set_refs(basket, c"a\nb".as_ptr(), ptr::null()), SX_ERR_INVALID_ARGUMENT);
        assert_eq!(add(basket, c"Ware".as_ptr(), i32::MAX, i64::MAX), SX_OK);

        let mut out = sentinel;
        assert_eq!(sx_transaction_create(client, basket, &mut out), SX_ERR_INVALID_ARGUMENT);
        assert!(last_error().contains("overflows"), "{}", last_error());
        assert_eq!(sx_transaction_create(client, ptr::null(), &mut out), SX_ERR_NULL_ARGUMENT);
        assert_eq!(sx_transaction_get(ptr::null_mut(), c"STX_1".as_ptr(), &mut out), SX_ERR_NULL_ARGUMENT);
        assert_eq!(sx_transaction_get(client, c"STX/1".as_ptr(), &mut out), SX_ERR_INVALID_ARGUMENT);
        assert_eq!(
            sx_transaction_start(client, c"STX_1".as_ptr(), c"Cash".as_ptr(), &mut out),
            SX_ERR_INVALID_ARGUMENT
        );
        assert_eq!(sx_transaction_start(client, c"STX_1".as_ptr(), ptr::null(), &mut out), SX_ERR_NULL_ARGUMENT);
        assert_eq!(sx_transaction_cancel(client, c"".as_ptr(), &mut out), SX_ERR_INVALID_ARGUMENT);
        assert_eq!(sx_transaction_abort(client, c"STX_1".as_ptr(), ptr::null_mut()), SX_ERR_NULL_ARGUMENT);
        let mut verdict = 99u32;
        assert_eq!(sx_transaction_check(client, c"STX_1".as_ptr(), ptr::null_mut(), &mut out), SX_ERR_NULL_ARGUMENT);
        assert_eq!(sx_transaction_check(client, c"STX 1".as_ptr(), &mut verdict, &mut out), SX_ERR_INVALID_ARGUMENT);
        assert_eq!((out, verdict), (sentinel, 99), "nothing written on failure");

        sx_basket_free(basket);
        sx_basket_free(ptr::null_mut());
        sx_client_free(client);
    }
}

/// The calls beyond the core refuse NULLs and bad arguments before anything is sent and leave `*out` as it was;
/// the list's accessors take NULL. The client points at a closed loopback port it is never asked to reach.
#[test]
fn the_new_lifecycle_calls_check_their_arguments_first() {
    let mut client: *mut sx_client = ptr::null_mut();
    let mut basket: *mut sx_basket = ptr::null_mut();
    let sentinel: *mut sx_transaction = ptr::without_provenance_mut(0x5EA5);
    let list_sentinel: *mut sx_transaction_list = ptr::without_provenance_mut(0x5EA6);
    // SAFETY: every pointer is valid or NULL where the test says so; the handles are freed once at the end.
    unsafe {
        assert_eq!(sx_client_new(c"http://127.0.0.1:9".as_ptr(), &mut client), SX_OK, "{}", last_error());
        assert_eq!(sx_basket_new(c"EUR".as_ptr(), &mut basket), SX_OK);
        assert_eq!(sx_basket_set_ident(ptr::null_mut(), c"9276004429942845".as_ptr()), SX_ERR_NULL_ARGUMENT);
        assert_eq!(sx_basket_set_ident(basket, c"9276 0044".as_ptr()), SX_ERR_INVALID_ARGUMENT);
        assert_eq!(sx_basket_set_ident(basket, c"9276004429942845".as_ptr()), SX_OK);
        assert_eq!(sx_basket_set_ident(basket, ptr::null()), SX_OK);

        let mut out = sentinel;
        let id = c"STX_1".as_ptr();
        assert_eq!(sx_transaction_update(client, id, ptr::null(), &mut out), SX_ERR_NULL_ARGUMENT);
        assert_eq!(sx_transaction_update(client, c"STX\r\n".as_ptr(), basket, &mut out), SX_ERR_INVALID_ARGUMENT);
        let direct = |id, tid, out| {
            sx_transaction_start_cashless_direct(client, id, tid, c"17".as_ptr(), c"girocard".as_ptr(), out)
        };
        assert_eq!(direct(id, ptr::null(), &mut out), SX_ERR_NULL_ARGUMENT);
        assert_eq!(direct(id, c"5250\n0999".as_ptr(), &mut out), SX_ERR_INVALID_ARGUMENT);
        assert_eq!(direct(id, c"52500999".as_ptr(), ptr::null_mut()), SX_ERR_NULL_ARGUMENT);
        assert_eq!(sx_transaction_cancel_by_receipt(client, c"3/x".as_ptr(), &mut out), SX_ERR_INVALID_ARGUMENT);
        assert_eq!(sx_transaction_cancel_by_receipt(ptr::null_mut(), c"3".as_ptr(), &mut out), SX_ERR_NULL_ARGUMENT);
        assert_eq!(sx_terminal_end_of_day(ptr::null_mut(), &mut out), SX_ERR_NULL_ARGUMENT);
        assert_eq!(sx_terminal_diagnosis(client, ptr::null_mut()), SX_ERR_NULL_ARGUMENT);
        assert_eq!(out, sentinel, "nothing written on failure");

        let mut list = list_sentinel;
        assert_eq!(sx_transaction_list_by_ref(client, ptr::null(), 10, 0, &mut list), SX_ERR_NULL_ARGUMENT);
        assert_eq!(sx_transaction_list_by_ref(client, c"a\rb".as_ptr(), 10, 0, &mut list), SX_ERR_INVALID_ARGUMENT);
        assert_eq!(list, list_sentinel);
        assert_eq!((sx_transaction_list_count(ptr::null()), sx_transaction_list_total(ptr::null())), (0, 0));
        assert!(sx_transaction_list_get(ptr::null(), 0).is_null());
        sx_transaction_list_free(ptr::null_mut());

        sx_basket_free(basket);
        sx_client_free(client);
    }
}

/// A C string from a getter, copied.
fn owned(s: *const c_char) -> String {
    assert!(!s.is_null(), "a getter returned NULL");
    // SAFETY: the getters return NUL-terminated strings that live as long as their handle.
    unsafe { CStr::from_ptr(s) }.to_str().expect("UTF-8").to_owned()
}

#[test]
fn accessors_hand_out_strings_that_outlive_the_json_and_write_only_on_success() {
    let json = SEED.to_vec();
    let tx = parse(&json);
    drop(json);
    // SAFETY: tx is live until the free at the end; every out-pointer is valid or NULL where the test says so.
    unsafe {
        assert_eq!(owned(sx_transaction_merchant_name(tx)), "John's Bakery");
        assert_eq!(owned(sx_transaction_trans_id(tx)), "29008411");
        assert_eq!(owned(sx_transaction_merchant_ref(tx)), "", "null is \"\"");
        assert_eq!(owned(sx_transaction_payment_method(ptr::null())), "", "NULL tx is \"\"");
        assert_eq!(sx_transaction_status_code(tx), SX_STATUS_OK);
        assert_eq!(sx_transaction_status_code(ptr::null()), SX_STATUS_UNKNOWN);

        let mut cents = -7i64;
        assert_eq!(sx_transaction_missing_sum(tx, &mut cents), SX_ERR_ABSENT);
        assert_eq!(cents, -7, "untouched when absent");
        assert_eq!(sx_transaction_missing_sum(ptr::null(), &mut cents), SX_ERR_NULL_ARGUMENT);
        assert_eq!(sx_transaction_missing_sum(tx, ptr::null_mut()), SX_ERR_NULL_ARGUMENT);
        let mut flag = 9u32;
        assert_eq!(sx_transaction_is_demo(tx, &mut flag), SX_OK);
        assert_eq!(flag, 1);

        let mut product = std::mem::MaybeUninit::<sx_product>::uninit();
        assert_eq!(sx_transaction_product_get(tx, 2, product.as_mut_ptr()), SX_OK);
        let product = product.assume_init();
        assert_eq!(
            (owned(product.desc), owned(product.ean)),
            ("Water, mildly sprinkling, 0.25 ltr.".into(), "4999012345678".into())
        );
        assert_eq!((product.quantity, product.unit_price_cents, product.vat_percent), (2, 99, 19));
        assert_eq!(product.present & SX_PRODUCT_HAS_PARENT, 0, "parent is null");
        assert_eq!((product.parent, owned(product.item_type)), (0, String::new()));
        // Guard bytes in a properly aligned sx_product: a byte array would be an unaligned out-pointer, the
        // caller's undefined behaviour (Miri says so), not the library's.
        let mut guard = std::mem::MaybeUninit::<sx_product>::uninit();
        ptr::write_bytes(guard.as_mut_ptr().cast::<u8>(), 0xA5, std::mem::size_of::<sx_product>());
        assert_eq!(sx_transaction_product_get(tx, 3, guard.as_mut_ptr()), SX_ERR_OUT_OF_RANGE);
        let bytes = std::slice::from_raw_parts(guard.as_ptr().cast::<u8>(), std::mem::size_of::<sx_product>());
        assert!(bytes.iter().all(|&b| b == 0xA5), "nothing written past the end");
        assert_eq!(sx_transaction_product_get(tx, 0, ptr::null_mut()), SX_ERR_NULL_ARGUMENT);

        let mut ident = std::mem::MaybeUninit::<sx_ident>::uninit();
        assert_eq!(sx_transaction_ident_get(tx, 0, ident.as_mut_ptr()), SX_OK);
        let ident = ident.assume_init();
        assert_eq!(owned(ident.card_group_name), "Geschenkgutschein");
        assert_eq!((ident.valid, ident.present & SX_IDENT_HAS_VALID), (1, SX_IDENT_HAS_VALID));
        let mut reference = std::mem::MaybeUninit::<sx_reference>::uninit();
        assert_eq!(sx_transaction_reference_get(tx, 0, reference.as_mut_ptr()), SX_OK);
        assert_eq!(owned(reference.assume_init().object), "loyalty.transactions");

        // The JSON pointer: the buffer rule with guard bytes, and a second call walking the tree built by the first.
        let pointer = c"/merchant/companyname";
        let mut len = 0usize;
        assert_eq!(
            sx_transaction_get_json(tx, pointer.as_ptr(), ptr::null_mut(), 0, &mut len),
            SX_ERR_BUFFER_TOO_SMALL
        );
        assert_eq!(len, "John's Bakery".len());
        let mut buf = [b'#' as c_char; 20];
        assert_eq!(
            sx_transaction_get_json(tx, pointer.as_ptr(), buf.as_mut_ptr(), len, &mut len),
            SX_ERR_BUFFER_TOO_SMALL
        );
        assert!(buf.iter().all(|&b| b == b'#' as c_char), "nothing written without room for the NUL");
        assert_eq!(sx_transaction_get_json(tx, pointer.as_ptr(), buf.as_mut_ptr(), len + 1, &mut len), SX_OK);
        assert_eq!(CStr::from_ptr(buf.as_ptr()).to_str().unwrap(), "John's Bakery");
        assert_eq!(buf[len + 1], b'#' as c_char);
        let mut untouched = 77usize;
        assert_eq!(sx_transaction_get_json(tx, c"/nope".as_ptr(), ptr::null_mut(), 0, &mut untouched), SX_ERR_ABSENT);
        assert_eq!(untouched, 77);
        assert_eq!(sx_transaction_get_json(tx, ptr::null(), ptr::null_mut(), 0, &mut len), SX_ERR_NULL_ARGUMENT);
        sx_transaction_free(tx);
    }
}
