//! The loyalty card and the terminal (issue 22) through the C ABI, called in-process as C calls it: the balance
//! enquiry, the card checks, the balance slip, the terminal's online flag, the payment methods; against the
//! sandbox (with its card balances, locked card and terminal that goes offline) and against servers that lie
//! (another card, several cards, amounts as floats or strings, a check without a boolean, another device, HTML).

use crate::support;

use std::ffi::{c_char, c_void, CStr, CString};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::ptr;
use std::sync::Mutex;

use serde_json::json;
use smartx::*;
use support::raw::{http_answer, read_head, RawServer};
use support::{last_error, result_name, Sandbox};

const EXAMPLE_CARD: &str = "9276004428481652";
const PAYING_CARD: &str = "9276004429942845";
const LOCKED_CARD: &str = "9276004400000019";
const REGISTER: &str = "SDV_2YJDXYESB2YBHECVB5GQGSYPNM8UA6";
const TERMINAL: &str = "SDV_8KQW2N5TDX7RJ3MZC6V0HP4YFA1GBE";
const CONTRACT: &str = "GCR_2H69XY35227V2VKP9WRA3SJ0W95RP0";

fn c(text: &str) -> CString {
    CString::new(text).unwrap()
}

fn text(p: *const c_char) -> String {
    assert!(!p.is_null(), "a string getter gave NULL");
    // SAFETY: the getters give NUL-terminated strings valid while their handle lives.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// The log lines of a client, kept by its callback.
struct Lines(Mutex<Vec<String>>);

unsafe extern "C" fn keep_line(user_data: *mut c_void, _level: u32, message: *const c_char) {
    // SAFETY: user_data is the Lines the test keeps alive for the client's life; message is a NUL-terminated
    // line valid during the call.
    let (lines, line) = unsafe { (&*(user_data as *const Lines), CStr::from_ptr(message)) };
    lines.0.lock().unwrap().push(line.to_string_lossy().into_owned());
}

struct Client {
    raw: *mut sx_client,
    lines: Box<Lines>,
}

impl Client {
    fn new(base_url: &str) -> Client {
        let mut raw = ptr::null_mut();
        // SAFETY: a NUL-terminated URL and a valid out-pointer.
        assert_eq!(unsafe { sx_client_new(c(base_url).as_ptr(), &mut raw) }, SX_OK, "{}", last_error());
        // SAFETY: a live client and a NUL-terminated token.
        assert_eq!(unsafe { sx_client_use_token(raw, c"any-token".as_ptr()) }, SX_OK);
        let lines = Box::new(Lines(Mutex::new(Vec::new())));
        let user_data = &*lines as *const Lines as *mut c_void;
        // SAFETY: the callback only pushes into `lines`, which outlives the client (dropped after it).
        assert_eq!(unsafe { sx_client_set_log(raw, Some(keep_line), user_data, SX_LOG_DEBUG) }, SX_OK);
        Client { raw, lines }
    }

    fn log(&self) -> String {
        self.lines.0.lock().unwrap().join("\n")
    }

    fn find(&self, number: &str) -> (sx_result, Card) {
        let mut card = ptr::null_mut();
        // SAFETY: a live client, a NUL-terminated number, a valid out-pointer.
        let result = unsafe { sx_card_find(self.raw, c(number).as_ptr(), &mut card) };
        (result, Card(card))
    }

    fn device(&self, id: &str) -> (sx_result, Device) {
        let mut device = ptr::null_mut();
        // SAFETY: as for find.
        let result = unsafe { sx_device_get(self.raw, c(id).as_ptr(), &mut device) };
        (result, Device(device))
    }

    fn check_csc(&self, card: &Card, csc: &str) -> (sx_result, u32) {
        let mut valid = 7u32;
        // SAFETY: a live client and card, a NUL-terminated code, a valid out-pointer.
        let result = unsafe { sx_card_check_csc(self.raw, card.0, c(csc).as_ptr(), &mut valid) };
        (result, valid)
    }

    fn check_passcode(&self, card: &Card, pin: &str) -> (sx_result, u32) {
        let mut valid = 7u32;
        // SAFETY: as for check_csc.
        let result = unsafe { sx_card_check_passcode(self.raw, card.0, c(pin).as_ptr(), &mut valid) };
        (result, valid)
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // SAFETY: the client from sx_client_new, freed once.
        unsafe { sx_client_free(self.raw) };
    }
}

struct Card(*mut sx_card);

impl Card {
    fn amount(&self, get: unsafe extern "C" fn(*const sx_card, *mut i64) -> sx_result) -> Option<i64> {
        let mut value = -1;
        // SAFETY: a live card (or NULL) and a valid out-pointer.
        (unsafe { get(self.0, &mut value) } == SX_OK).then_some(value)
    }

    fn locked(&self) -> Option<u32> {
        let mut value = 9;
        // SAFETY: as for amount.
        (unsafe { sx_card_locked(self.0, &mut value) } == SX_OK).then_some(value)
    }
}

impl Drop for Card {
    fn drop(&mut self) {
        // SAFETY: NULL or a card from sx_card_find, freed once.
        unsafe { sx_card_free(self.0) };
    }
}

struct Device(*mut sx_device);

impl Device {
    fn online(&self) -> Option<u32> {
        let mut value = 9;
        // SAFETY: a live device (or NULL) and a valid out-pointer.
        (unsafe { sx_device_online(self.0, &mut value) } == SX_OK).then_some(value)
    }
}

impl Drop for Device {
    fn drop(&mut self) {
        // SAFETY: NULL or a device from this library, freed once.
        unsafe { sx_device_free(self.0) };
    }
}

fn render(tx: *const sx_transaction) -> String {
    let mut buf = vec![0 as c_char; 8192];
    let mut len = 0;
    // SAFETY: a live transaction, NULL options (defaults), a buffer of buf.len() bytes.
    let result =
        unsafe { sx_receipt_render(tx, SX_RECEIPT_CUSTOMER, ptr::null(), buf.as_mut_ptr(), buf.len(), &mut len) };
    assert_eq!(result, SX_OK, "{}", last_error());
    // SAFETY: the call wrote len bytes and a NUL.
    unsafe { CStr::from_ptr(buf.as_ptr()) }.to_string_lossy().into_owned()
}

fn assert_masked(what: &str, number: &str) {
    assert!(!what.contains(number), "the card number in full: {what}");
}

#[test]
fn the_balance_enquiry_reads_cents_lock_and_group_and_never_logs_the_number() {
    let sandbox = Sandbox::start(&[]);
    let client = Client::new(&sandbox.base_url);
    let (result, card) = client.find(EXAMPLE_CARD);
    assert_eq!(result, SX_OK, "{}", last_error());
    // SAFETY: a live card; the strings stay valid until sx_card_free.
    unsafe {
        assert!(text(sx_card_id(card.0)).starts_with("MCD_"));
        assert_eq!(text(sx_card_number(card.0)), EXAMPLE_CARD);
        assert_eq!(text(sx_card_number_masked(card.0)), "************1652");
        assert_eq!(text(sx_card_group_name(card.0)), "Geschenkgutschein");
        assert_eq!(text(sx_card_expiry(card.0)), "", "the example card has no expiry");
    }
    assert_eq!(card.amount(sx_card_balance), Some(352));
    assert_eq!(card.amount(sx_card_cash_balance), Some(300));
    assert_eq!(card.amount(sx_card_bonus_balance), Some(52));
    assert_eq!(card.amount(sx_card_points), Some(7));
    assert_eq!(card.locked(), Some(0), "stock_status \"inactive\" is not a lock");

    let (result, unknown) = client.find("9276000000000000");
    assert_eq!(result_name(result), "SX_ERR_ABSENT");
    assert!(unknown.0.is_null());
    let message = last_error();
    assert!(message.contains("************0000"), "{message}");
    assert_masked(&message, "9276000000000000");

    // A number the generic masking of 13 to 19 digits does not know (a shop's own short or lettered cards).
    assert_eq!(result_name(client.find("KD4711X9").0), "SX_ERR_ABSENT");
    assert_masked(&last_error(), "KD4711X9");

    let log = client.log();
    assert!(log.contains("MerchantCards?q=card.cardnumber:************1652"), "{log}");
    assert!(log.contains("MerchantCards?q=card.cardnumber:****11X9"), "{log}");
    assert_masked(&log, "KD4711X9");
    assert_masked(&log, EXAMPLE_CARD);
    assert_masked(&log, "9276000000000000");
    // NULL getters: "" and SX_ERR_NULL_ARGUMENT, never a crash.
    // SAFETY: NULL is allowed for every getter.
    unsafe {
        assert_eq!(text(sx_card_id(ptr::null())), "");
        let mut out = 0;
        assert_eq!(sx_card_balance(ptr::null(), &mut out), SX_ERR_NULL_ARGUMENT);
    }
    // An argument that is no card number is refused before anything is sent.
    let before = sandbox.api_requests();
    assert_eq!(client.find("9276 0044").0, SX_ERR_INVALID_ARGUMENT);
    assert_eq!(sandbox.api_requests(), before);
}

#[test]
fn a_loyalty_payment_lowers_the_balance_the_next_enquiry_shows() {
    let sandbox = Sandbox::start(&[]);
    let client = Client::new(&sandbox.base_url);
    assert_eq!(client.find(PAYING_CARD).1.amount(sx_card_balance), Some(5000));
    let mut basket = ptr::null_mut();
    let mut tx = ptr::null_mut();
    // SAFETY: valid strings and out-pointers; the basket and transaction are freed below.
    unsafe {
        assert_eq!(sx_basket_new(c"EUR".as_ptr(), &mut basket), SX_OK);
        assert_eq!(sx_basket_add_product(basket, c"Buch".as_ptr(), ptr::null(), ptr::null(), 1, 1299, 7), SX_OK);
        assert_eq!(sx_basket_set_ident(basket, c(PAYING_CARD).as_ptr()), SX_OK);
        assert_eq!(sx_transaction_create(client.raw, basket, &mut tx), SX_OK, "{}", last_error());
        let id = CString::new(text(sx_transaction_id(tx))).unwrap();
        sx_transaction_free(tx);
        tx = ptr::null_mut();
        assert_eq!(
            sx_transaction_start(client.raw, id.as_ptr(), c"loyalty".as_ptr(), &mut tx),
            SX_OK,
            "{}",
            last_error()
        );
        sx_transaction_free(tx);
        sx_basket_free(basket);
    }
    let card = client.find(PAYING_CARD).1;
    assert_eq!(card.amount(sx_card_balance), Some(5000 - 1299));
    assert_eq!(card.amount(sx_card_cash_balance), Some(5000 - 1299));
    assert_masked(&client.log(), PAYING_CARD);
}

#[test]
fn a_locked_card_says_so_and_cannot_pay() {
    let sandbox = Sandbox::start(&[]);
    let client = Client::new(&sandbox.base_url);
    let (result, card) = client.find(LOCKED_CARD);
    assert_eq!(result, SX_OK, "{}", last_error());
    assert_eq!(card.locked(), Some(1));
    // SAFETY: a live card.
    assert_eq!(text(unsafe { sx_card_lock_status(card.0) }), "locked");
    // Its slip says it is not valid: SX_ERR_NOT_OK, nothing handed out.
    let mut slip = ptr::null_mut();
    // SAFETY: a live client and card, NULL terminal id, a valid out-pointer.
    let result = unsafe { sx_card_balance_receipt(client.raw, card.0, ptr::null(), &mut slip) };
    assert_eq!(result_name(result), "SX_ERR_NOT_OK", "{}", last_error());
    assert!(slip.is_null());
    assert_masked(&last_error(), LOCKED_CARD);
    // A loyalty payment with it is refused by the API, and its balance stays.
    let mut basket = ptr::null_mut();
    let mut tx = ptr::null_mut();
    // SAFETY: valid strings and out-pointers; each handle freed once.
    let started = unsafe {
        assert_eq!(sx_basket_new(c"EUR".as_ptr(), &mut basket), SX_OK);
        assert_eq!(sx_basket_add_product(basket, c"Buch".as_ptr(), ptr::null(), ptr::null(), 1, 500, 7), SX_OK);
        assert_eq!(sx_basket_set_ident(basket, c(LOCKED_CARD).as_ptr()), SX_OK);
        assert_eq!(sx_transaction_create(client.raw, basket, &mut tx), SX_OK, "{}", last_error());
        sx_basket_free(basket);
        let id = CString::new(text(sx_transaction_id(tx))).unwrap();
        sx_transaction_free(tx);
        tx = ptr::null_mut();
        let started = sx_transaction_start(client.raw, id.as_ptr(), c"loyalty".as_ptr(), &mut tx);
        sx_transaction_free(tx);
        started
    };
    assert_eq!(result_name(started), "SX_ERR_API", "{}", last_error());
    assert!(last_error().contains("locked"), "{}", last_error());
    assert_eq!(client.find(LOCKED_CARD).1.amount(sx_card_balance), Some(1000));
}

#[test]
fn a_wrong_code_is_a_no_not_an_error() {
    let sandbox = Sandbox::start(&[]);
    let client = Client::new(&sandbox.base_url);
    let card = client.find(EXAMPLE_CARD).1;
    assert_eq!(client.check_csc(&card, "4471"), (SX_OK, 1));
    assert_eq!(client.check_csc(&card, "0000"), (SX_OK, 0), "{}", last_error());
    assert_eq!(client.check_passcode(&card, "1234"), (SX_OK, 1));
    assert_eq!(client.check_passcode(&card, "4321"), (SX_OK, 0));
    // A PIN with a leading zero cannot survive the API's integer form: refused, nothing sent.
    let before = sandbox.api_requests();
    assert_eq!(client.check_passcode(&card, "0123").0, SX_ERR_INVALID_ARGUMENT);
    assert_eq!(client.check_csc(&card, "44a1").0, SX_ERR_INVALID_ARGUMENT);
    assert_eq!(sandbox.api_requests(), before);
    let log = client.log();
    assert_masked(&log, EXAMPLE_CARD);
    assert!(!log.contains("4471"), "the CSC in the log: {log}");
}

#[test]
fn the_balance_slip_prints_in_one_more_call() {
    let sandbox = Sandbox::start(&[]);
    let client = Client::new(&sandbox.base_url);
    let card = client.find(EXAMPLE_CARD).1;
    let mut slip = ptr::null_mut();
    // SAFETY: a live client and card, a NUL-terminated terminal id, a valid out-pointer.
    let result = unsafe { sx_card_balance_receipt(client.raw, card.0, c"52500123".as_ptr(), &mut slip) };
    assert_eq!(result, SX_OK, "{}", last_error());
    let printed = render(slip);
    for words in ["Kartenguthaben", "************1652", "Gesamt", "3,52 EUR", "0,52 EUR"] {
        assert!(printed.contains(words), "{words} missing:\n{printed}");
    }
    assert_masked(&printed, EXAMPLE_CARD);
    let mut buf = [0 as c_char; 32];
    let mut len = 0;
    // SAFETY: a live slip, a NUL-terminated pointer, a buffer of buf.len() bytes; freed once.
    let balance = unsafe {
        let result = sx_transaction_get_json(slip, c"/balance".as_ptr(), buf.as_mut_ptr(), buf.len(), &mut len);
        assert_eq!(result, SX_OK, "{}", last_error());
        assert_eq!(text(sx_transaction_id(slip)), "");
        sx_transaction_free(slip);
        text(buf.as_ptr())
    };
    assert_eq!(balance, "352");
}

#[test]
fn the_terminal_online_offline_and_how_to_find_it() {
    let sandbox = Sandbox::start(&[]);
    let client = Client::new(&sandbox.base_url);
    let (result, terminal) = client.device(TERMINAL);
    assert_eq!(result, SX_OK, "{}", last_error());
    assert_eq!(terminal.online(), Some(1));
    // SAFETY: a live device.
    unsafe {
        assert_eq!(text(sx_device_type(terminal.0)), "zvt");
        assert_eq!(text(sx_device_description(terminal.0)), "Terminal Kasse 1");
        assert_eq!(text(sx_device_tid(terminal.0)), "52500123");
    }
    let (status, _) =
        sandbox.http("PUT", &format!("/_sandbox/devices/{TERMINAL}/online"), Some(&json!({"online": false})), None);
    assert_eq!(status, 204);
    assert_eq!(client.device(TERMINAL).1.online(), Some(0));
    // The device answer holds the device's PIN and terminal passwords: never in the log.
    let log = client.log();
    assert!(!log.contains("8642") && !log.contains("s3cr3t-terminal-pw"), "{log}");

    // The guess of the SDKs: the register's own id, routing "zvt".
    let mut routed = ptr::null_mut();
    // SAFETY: a live client, NUL-terminated strings, a valid out-pointer.
    let result = unsafe { sx_device_get_routed(client.raw, c(REGISTER).as_ptr(), c"zvt".as_ptr(), &mut routed) };
    assert_eq!(result, SX_OK, "{}", last_error());
    let routed = Device(routed);
    // SAFETY: a live device.
    assert_eq!(text(unsafe { sx_device_id(routed.0) }), TERMINAL);
    // SAFETY: as above; "pos" is no routing type: refused before sending.
    let result =
        unsafe { sx_device_get_routed(client.raw, c(REGISTER).as_ptr(), c"pos".as_ptr(), &mut routed.0.clone()) };
    assert_eq!(result, SX_ERR_INVALID_ARGUMENT);

    // The way that does not guess: the terminal of an earlier card payment.
    let mut tx = ptr::null_mut();
    let mut basket = ptr::null_mut();
    // SAFETY: a live client, NUL-terminated strings, valid out-pointers; each handle freed once.
    let destination = unsafe {
        assert_eq!(sx_basket_new(c"EUR".as_ptr(), &mut basket), SX_OK);
        assert_eq!(sx_basket_add_product(basket, c"Buch".as_ptr(), ptr::null(), ptr::null(), 1, 1299, 7), SX_OK);
        assert_eq!(sx_transaction_create(client.raw, basket, &mut tx), SX_OK, "{}", last_error());
        sx_basket_free(basket);
        let id = text(sx_transaction_id(tx));
        sx_transaction_free(tx);
        tx = ptr::null_mut();
        assert_eq!(
            sx_transaction_start(client.raw, c(&id).as_ptr(), c"cashless".as_ptr(), &mut tx),
            SX_OK,
            "{}",
            last_error()
        );
        let destination = text(sx_transaction_device_destination(tx));
        sx_transaction_free(tx);
        destination
    };
    assert_eq!(client.device(&destination).0, SX_OK);
    // An unknown device is the API's error, not a device.
    assert_eq!(result_name(client.device("SDV_UNKNOWN").0), "SX_ERR_API");
}

#[test]
fn the_contract_lists_its_payment_methods() {
    let sandbox = Sandbox::start(&[]);
    let client = Client::new(&sandbox.base_url);
    let mut basket = ptr::null_mut();
    let mut methods = ptr::null_mut();
    // SAFETY: valid strings and out-pointers; the list and basket are freed once.
    let names = unsafe {
        assert_eq!(sx_basket_new(c"EUR".as_ptr(), &mut basket), SX_OK);
        let result = sx_contract_payment_methods(client.raw, c(CONTRACT).as_ptr(), basket, 0, &mut methods);
        assert_eq!(result, SX_OK, "{}", last_error());
        let names: Vec<String> = (0..sx_payment_methods_count(methods))
            .map(|i| {
                let mut name = ptr::null();
                assert_eq!(sx_payment_methods_get(methods, i, &mut name), SX_OK);
                text(name)
            })
            .collect();
        let mut name = ptr::null();
        assert_eq!(sx_payment_methods_get(methods, names.len(), &mut name), SX_ERR_OUT_OF_RANGE);
        assert_eq!(
            sx_contract_payment_methods(client.raw, c(CONTRACT).as_ptr(), basket, 4, &mut methods),
            SX_ERR_INVALID_ARGUMENT
        );
        sx_payment_methods_free(methods);
        sx_basket_free(basket);
        names
    };
    assert_eq!(names, ["cash", "cashless", "debit", "loyalty", "prepaid"]);
    let received = sandbox.log_with("POST /api/v2/General/Contracts/");
    assert!(received.contains("POST /api/v2/General/Contracts/"), "POST, not GET: {received}");
}

#[test]
fn the_sandbox_faults_reach_the_card_calls() {
    let sandbox = Sandbox::start(&[]);
    let client = Client::new(&sandbox.base_url);
    for (behaviour, code) in [
        (json!({"mode": "html", "status": 502}), "SX_ERR_HTTP"),
        (json!({"mode": "html", "status": 200}), "SX_ERR_BAD_RESPONSE"),
        (json!({"mode": "malformed"}), "SX_ERR_BAD_RESPONSE"),
        (json!({"mode": "truncate"}), "SX_ERR_OUTCOME_UNKNOWN"),
        (
            json!({"mode": "error", "status": 400, "code": 1400, "error": "ProductBadRequestException", "details": "card 9276004428481652 unknown"}),
            "SX_ERR_API",
        ),
    ] {
        sandbox.set_next_behaviour("GET", "/api/v2/Loyalty/MerchantCards", behaviour.clone());
        let (result, card) = client.find(EXAMPLE_CARD);
        assert_eq!(result_name(result), code, "{behaviour}: {}", last_error());
        assert!(card.0.is_null());
        assert_masked(&last_error(), EXAMPLE_CARD);
    }
    assert_masked(&client.log(), EXAMPLE_CARD);
}

/// What a lying server answers to a request path: status line and body.
type Answer = fn(&str) -> (&'static str, String);

/// A server that answers each request by its path (`answer(path)` gives status line and body), reading the
/// whole request first.
fn lying(answer: Answer) -> RawServer {
    RawServer::serving(move |mut stream: TcpStream, record| {
        let mut got = Vec::new();
        read_head(&mut stream, &mut got);
        let head = String::from_utf8_lossy(&got).into_owned();
        let length = head
            .lines()
            .find_map(|l| {
                l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap_or(0))
            })
            .unwrap_or(0);
        let head_end = got.windows(4).position(|w| w == b"\r\n\r\n").map_or(got.len(), |at| at + 4);
        let mut body = got[head_end..].to_vec();
        while body.len() < length {
            let mut buf = [0u8; 4096];
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => body.extend_from_slice(&buf[..n]),
            }
        }
        got.extend_from_slice(&body[got.len() - head_end..]);
        record.read(&got);
        let path = head.split_whitespace().nth(1).unwrap_or("").to_owned();
        let (status, body) = answer(&path);
        let _ = stream.write_all(&http_answer(status, "", body.as_bytes()));
    })
}

fn card_json(number: &str, balance: &str) -> String {
    format!(
        r#"{{"object":"loyalty.merchantcards","id":"MCD_1","card":{{"cardnumber":"{number}"}},"balance":{balance},"cash_balance":300,"bonus_balance":52,"points":7,"lock_status":"unlocked"}}"#
    )
}

fn search(count: usize, cards: &[String]) -> String {
    format!(r#"{{"count":{count},"data":[{}]}}"#, cards.join(","))
}

fn find_on(answer: Answer) -> (sx_result, String, String) {
    let server = lying(answer);
    let client = Client::new(&server.url("http"));
    let (result, _card) = client.find(EXAMPLE_CARD);
    (result, last_error(), client.log())
}

#[test]
fn a_lying_server_is_not_believed_about_a_card() {
    let cases: [(&str, Answer, &str, &str); 9] = [
        (
            "another card's number",
            |_| ("200 OK", search(1, &[card_json("9276004411112222", "352")])),
            "SX_ERR_BAD_RESPONSE",
            "not ************1652",
        ),
        ("count 0", |_| ("200 OK", search(0, &[])), "SX_ERR_ABSENT", "no loyalty card"),
        (
            "two cards",
            |_| ("200 OK", search(2, &[card_json(EXAMPLE_CARD, "352"), card_json(EXAMPLE_CARD, "352")])),
            "SX_ERR_BAD_RESPONSE",
            "found 2 cards",
        ),
        (
            "balance as a float",
            |_| ("200 OK", search(1, &[card_json(EXAMPLE_CARD, "3.52")])),
            "SX_ERR_BAD_RESPONSE",
            "not a whole number of cents",
        ),
        (
            "balance as 352.0",
            |_| ("200 OK", search(1, &[card_json(EXAMPLE_CARD, "352.0")])),
            "SX_ERR_BAD_RESPONSE",
            "never rounded",
        ),
        (
            "balance as a string",
            |_| ("200 OK", search(1, &[card_json(EXAMPLE_CARD, "\"352\"")])),
            "SX_ERR_BAD_RESPONSE",
            "never guessed from text",
        ),
        ("no count", |_| ("200 OK", r#"{"data":[]}"#.into()), "SX_ERR_BAD_RESPONSE", "no \"count\""),
        (
            "an HTML page with 200",
            |_| ("200 OK", "<html><body>Wartung</body></html>".into()),
            "SX_ERR_BAD_RESPONSE",
            "not JSON",
        ),
        (
            "an HTML page with 503",
            |_| ("503 Service Unavailable", "<html>down</html>".into()),
            "SX_ERR_HTTP",
            "HTTP 503",
        ),
    ];
    for (name, answer, code, words) in cases {
        let (result, message, log) = find_on(answer);
        assert_eq!(result_name(result), code, "{name}: {message}");
        assert!(message.contains(words), "{name}: {message}");
        assert_masked(&message, EXAMPLE_CARD);
        assert_masked(&message, "9276004411112222");
        assert_masked(&log, EXAMPLE_CARD);
    }
}

#[test]
fn a_check_is_believed_only_with_a_boolean_result() {
    let cases: [(Answer, sx_result, u32); 5] = [
        (
            |p| {
                if p.contains("checkCsc") {
                    ("200 OK", r#"{"result":false}"#.into())
                } else {
                    ("200 OK", search(1, &[card_json(EXAMPLE_CARD, "352")]))
                }
            },
            SX_OK,
            0,
        ),
        (
            |p| {
                if p.contains("checkCsc") {
                    ("200 OK", r#"{"result":true}"#.into())
                } else {
                    ("200 OK", search(1, &[card_json(EXAMPLE_CARD, "352")]))
                }
            },
            SX_OK,
            1,
        ),
        // The .NET SDK's trap: an answer that says nothing is never a yes.
        (
            |p| {
                if p.contains("checkCsc") {
                    ("200 OK", "{}".into())
                } else {
                    ("200 OK", search(1, &[card_json(EXAMPLE_CARD, "352")]))
                }
            },
            SX_ERR_BAD_RESPONSE,
            7,
        ),
        (
            |p| {
                if p.contains("checkCsc") {
                    ("200 OK", r#"{"result":"true"}"#.into())
                } else {
                    ("200 OK", search(1, &[card_json(EXAMPLE_CARD, "352")]))
                }
            },
            SX_ERR_BAD_RESPONSE,
            7,
        ),
        (
            |p| {
                if p.contains("checkCsc") {
                    ("200 OK", "".into())
                } else {
                    ("200 OK", search(1, &[card_json(EXAMPLE_CARD, "352")]))
                }
            },
            SX_ERR_BAD_RESPONSE,
            7,
        ),
    ];
    for (answer, code, valid) in cases {
        let server = lying(answer);
        let client = Client::new(&server.url("http"));
        let (found, card) = client.find(EXAMPLE_CARD);
        assert_eq!(found, SX_OK, "{}", last_error());
        assert_eq!(client.check_csc(&card, "4471"), (code, valid), "{}", last_error());
        let sent = String::from_utf8_lossy(&server.received().concat()).into_owned();
        assert!(sent.contains(r#""csc":"4471""#) && sent.contains("/MerchantCards/MCD_1/checkCsc"), "{sent}");
        assert_masked(&client.log(), EXAMPLE_CARD);
    }
}

#[test]
fn a_lying_server_is_not_believed_about_a_device_or_the_methods() {
    let cases: [(Answer, &str, &str); 4] = [
        (
            |_| ("200 OK", r#"{"id":"SDV_OTHER","type":"zvt","online":true}"#.to_owned()),
            "SX_ERR_BAD_RESPONSE",
            "not \"SDV_8KQW",
        ),
        (
            |_| ("200 OK", format!(r#"{{"id":"{TERMINAL}","online":"yes"}}"#)),
            "SX_ERR_BAD_RESPONSE",
            "\"online\" is a string",
        ),
        (|_| ("200 OK", r#"{"type":"zvt","online":true}"#.into()), "SX_ERR_BAD_RESPONSE", "names no device"),
        (|_| ("200 OK", format!(r#"{{"id":"{TERMINAL}","type":"zvt"}}"#)), "SX_OK", ""),
    ];
    for (answer, code, words) in cases {
        let server = lying(answer);
        let client = Client::new(&server.url("http"));
        let (result, device) = client.device(TERMINAL);
        let message = last_error();
        assert_eq!(result_name(result), code, "{message}");
        assert!(message.contains(words), "{message}");
        if result == SX_OK {
            assert_eq!(device.online(), None, "no \"online\" is not a yes");
        }
    }
    let server = lying(|_| ("200 OK", r#"{"methods":["cash"]}"#.into()));
    let client = Client::new(&server.url("http"));
    let mut basket = ptr::null_mut();
    let mut methods = ptr::null_mut();
    // SAFETY: valid strings and out-pointers; the basket is freed once.
    let result = unsafe {
        assert_eq!(sx_basket_new(c"EUR".as_ptr(), &mut basket), SX_OK);
        let result = sx_contract_payment_methods(client.raw, c(CONTRACT).as_ptr(), basket, 0, &mut methods);
        sx_basket_free(basket);
        result
    };
    assert_eq!(result_name(result), "SX_ERR_BAD_RESPONSE", "{}", last_error());
    assert!(methods.is_null());
}

#[test]
fn null_arguments_are_refused_and_null_handles_are_harmless() {
    let server = lying(|_| ("200 OK", "{}".into()));
    let client = Client::new(&server.url("http"));
    let mut card = ptr::null_mut();
    let mut device = ptr::null_mut();
    let mut slip = ptr::null_mut();
    let mut methods = ptr::null_mut();
    let mut valid = 0u32;
    let mut value = 0i64;
    // SAFETY: every pointer is NULL or valid; a NULL where one is required must be refused, not read.
    unsafe {
        assert_eq!(sx_card_find(ptr::null_mut(), c"1".as_ptr(), &mut card), SX_ERR_NULL_ARGUMENT);
        assert_eq!(sx_card_find(client.raw, ptr::null(), &mut card), SX_ERR_NULL_ARGUMENT);
        assert_eq!(sx_card_find(client.raw, c"9276004428481652".as_ptr(), ptr::null_mut()), SX_ERR_NULL_ARGUMENT);
        assert_eq!(sx_card_check_csc(client.raw, ptr::null(), c"1".as_ptr(), &mut valid), SX_ERR_NULL_ARGUMENT);
        assert_eq!(sx_card_check_passcode(client.raw, ptr::null(), c"1".as_ptr(), &mut valid), SX_ERR_NULL_ARGUMENT);
        assert_eq!(sx_card_balance_receipt(client.raw, ptr::null(), ptr::null(), &mut slip), SX_ERR_NULL_ARGUMENT);
        assert_eq!(sx_device_get(client.raw, ptr::null(), &mut device), SX_ERR_NULL_ARGUMENT);
        assert_eq!(sx_device_get(client.raw, c"me".as_ptr(), &mut device), SX_ERR_INVALID_ARGUMENT);
        assert_eq!(sx_device_get_routed(client.raw, c"SDV_1".as_ptr(), ptr::null(), &mut device), SX_ERR_NULL_ARGUMENT);
        assert_eq!(
            sx_contract_payment_methods(client.raw, c"GCR_1".as_ptr(), ptr::null(), 0, &mut methods),
            SX_ERR_NULL_ARGUMENT
        );
        assert_eq!(sx_card_points(ptr::null(), &mut value), SX_ERR_NULL_ARGUMENT);
        assert_eq!(sx_card_locked(ptr::null(), &mut valid), SX_ERR_NULL_ARGUMENT);
        assert_eq!(sx_device_online(ptr::null(), &mut valid), SX_ERR_NULL_ARGUMENT);
        assert_eq!(text(sx_device_type(ptr::null())), "");
        assert_eq!(sx_payment_methods_count(ptr::null()), 0);
        sx_card_free(ptr::null_mut());
        sx_device_free(ptr::null_mut());
        sx_payment_methods_free(ptr::null_mut());
    }
    assert!(card.is_null() && device.is_null() && slip.is_null() && methods.is_null());
    assert!(server.received().is_empty(), "a refused call sent something");
}

#[test]
fn an_offline_terminal_and_an_html_page_from_a_lying_server() {
    let server = lying(|_| ("200 OK", format!(r#"{{"id":"{TERMINAL}","type":"zvt","online":false}}"#)));
    let client = Client::new(&server.url("http"));
    let (result, device) = client.device(TERMINAL);
    assert_eq!(result, SX_OK, "{}", last_error());
    assert_eq!(device.online(), Some(0));
    let server = lying(|_| ("200 OK", "<!DOCTYPE html><html><body>Login</body></html>".into()));
    let client = Client::new(&server.url("http"));
    assert_eq!(result_name(client.device(TERMINAL).0), "SX_ERR_BAD_RESPONSE", "{}", last_error());
    let server = lying(|_| ("502 Bad Gateway", "<html>gateway</html>".into()));
    let client = Client::new(&server.url("http"));
    assert_eq!(result_name(client.device(TERMINAL).0), "SX_ERR_HTTP", "{}", last_error());
}
