//! Classification of a complete HTTP answer into success or one failure kind.
//!
//! Success is decided with the same reading that `sx_transaction_parse` uses ([`Transaction::from_json`]): a
//! payment is never reported as done with an answer that then cannot be parsed. Failures are described from
//! `Envelope`, the API error's fields, read just as leniently.

use super::error::{sanitize, Error, ErrorKind};
use super::expect::{Effect, Expect, Subject, Wanted};
use super::log::Secrets;
use crate::model::lenient::{self, Text};
use crate::model::{Status, TextRef, Texts, Transaction};

/// The advice after a 5xx that is not the API's own error.
const SERVER_FAILED: &str =
    "The request was received and may have been executed: read the transaction back before trying again";

/// What a 2xx answer that cannot be used means for a payment.
pub const PROBABLY_REGISTERED: &str = "A 2xx answer came back, so the payment was probably registered: \
                                       read the transaction back, do not pay again";

/// The advice after a start refused because the transaction was started before.
pub const ALREADY_STARTED: &str = "The transaction was already started, possibly paid by an earlier call: read it \
                                   back before paying again";

/// What a 2xx answer that cannot be used means, by what the call does: only a start speaks of a payment.
fn probably_done(effect: Effect) -> &'static str {
    match effect {
        Effect::Payment => PROBABLY_REGISTERED,
        Effect::Token | Effect::Change => {
            "A 2xx answer came back, so the request was probably executed: read the transaction back before \
             sending it again"
        }
        Effect::Read => "A read changes nothing: it is safe to try again",
    }
}

/// What an answer that was not read means, by what the call does.
fn not_known(effect: Effect) -> &'static str {
    match effect {
        Effect::Payment => {
            "Whether the payment was registered is not known: read the transaction back before trying again"
        }
        Effect::Token | Effect::Change => {
            "Whether the request was executed is not known: read the transaction back before trying again"
        }
        Effect::Read => "A read changes nothing: it is safe to try again",
    }
}

/// What the classification of an answer needs to know of its call.
#[derive(Clone, Copy)]
pub struct Asked<'a> {
    pub effect: Effect,
    /// What a 2xx answer must be to be this call's own and its success.
    pub expect: Expect<'a>,
    /// Scrubbed from the server's texts before they are shortened into the message, so that a cut cannot
    /// leave a piece of one.
    pub secrets: &'a Secrets,
}

/// The fields that say how a call went: the transaction's `status`, or the API error's fields.
#[derive(Default)]
struct Envelope {
    status: Option<TextRef>,
    error: Option<TextRef>,
    error_details: Option<TextRef>,
    code: Option<TextRef>,
    support_id: Option<TextRef>,
    texts: Texts,
}

crate::lenient_fields!(Envelope {
    "status" => status: Text,
    "error" => error: Text,
    "error_details" => error_details: Text,
    "code" => code: Text,
    "supportId" => support_id: Text,
});

impl Envelope {
    /// `None` when the body is not a JSON object.
    fn read(body: &[u8]) -> Option<Envelope> {
        let (envelope, texts) = lenient::from_json(body).ok()?;
        Some(Envelope { texts, ..envelope })
    }

    fn text(&self, field: Option<TextRef>) -> Option<&str> {
        self.texts.get_opt(field)
    }

    fn is_api_error(&self) -> bool {
        self.text(self.status) == Some("error") || self.error.is_some()
    }

    /// `ProductNotAllowedException: Valid auth token required (code 2003, supportId f8e0...)`.
    fn describe(&self, secrets: &Secrets) -> String {
        let shown = |text: &str, max| sanitize(&secrets.scrub(text), max);
        let mut text = shown(self.text(self.error).unwrap_or("API error"), 120);
        if let Some(details) = self.text(self.error_details) {
            text.push_str(": ");
            text.push_str(&shown(details, 300));
        }
        let extras: Vec<String> = [("code", self.code), ("supportId", self.support_id)]
            .into_iter()
            .filter_map(|(name, value)| self.text(value).map(|v| format!("{name} {}", shown(v, 64))))
            .collect();
        if !extras.is_empty() {
            text.push_str(&format!(" ({})", extras.join(", ")));
        }
        text
    }

    /// The API's refusal of a start on a transaction started before, in its English or German words.
    fn says_already_started(&self) -> bool {
        [self.error, self.error_details].into_iter().filter_map(|field| self.text(field)).any(|text| {
            let text = text.to_lowercase();
            text.contains("already started") || text.contains("bereits gestartet")
        })
    }

    /// The message of an API error: for a start refused as already started, that an earlier start (one whose
    /// answer was lost, say) may have paid it.
    fn api_error(&self, asked: Asked) -> String {
        let mut text = self.describe(asked.secrets);
        if asked.effect == Effect::Payment && self.says_already_started() {
            text.push_str(". ");
            text.push_str(ALREADY_STARTED);
        }
        text
    }

    /// Codes 2xxx are authentication errors; an expired token was seen as 403 with code 2003.
    fn is_auth_code(&self) -> bool {
        self.text(self.code)
            .is_some_and(|c| c.len() == 4 && c.starts_with('2') && c.bytes().all(|b| b.is_ascii_digit()))
    }
}

/// Whether the server refused the token and did not execute the call: HTTP 401, or 403 with the API's code 2003
/// (its answer to an expired token), read from the envelope as every other API error is.
pub fn refuses_the_token(http_status: Option<u16>, body: &[u8]) -> bool {
    match http_status {
        Some(401) => true,
        Some(403) => Envelope::read(body).is_some_and(|env| env.text(env.code) == Some("2003")),
        _ => false,
    }
}

/// Decides the outcome of a complete answer with HTTP `status` and `body` to a payment that names no
/// transaction: success on `ok`. `location` is the redirect target of a 3xx, named in the message because it is
/// not followed.
pub fn classify(status: u16, body: &[u8], location: Option<&str>) -> Result<(), Error> {
    let asked = Asked { effect: Effect::Payment, expect: Expect::default(), secrets: &Secrets::default() };
    judge(status, body, location, asked).0
}

/// The outcome of a complete answer to the call `asked`, and the transaction a
/// 2xx answer was read as to decide it (`None` for any other status or a body that is not one), so that the
/// caller need not read the answer again.
///
/// A 2xx answer is the request's own only when it is about the transaction the request names (`asked.expect`):
/// an answer about another id, or about none, belongs to another request (a stray answer on a kept-alive
/// connection) or to none, and is [`ErrorKind::BadResponse`], never a success. Only then does its status count:
/// a state the call makes (`asked.expect.state`) is success, another state [`ErrorKind::NotOk`].
pub fn judge(
    status: u16,
    body: &[u8],
    location: Option<&str>,
    asked: Asked,
) -> (Result<(), Error>, Option<Transaction>) {
    let fail = |kind, text: String| Err(Error::new(kind, format!("HTTP {status}: {text}")));
    if !(200..=299).contains(&status) {
        return (classify_failure(status, body, location, asked), None);
    }
    if let Subject::Document = asked.expect.subject {
        // Not a transaction: only the API's error body is judged here; the call's own model reads the rest.
        return match Envelope::read(body).filter(Envelope::is_api_error) {
            Some(env) => (fail(ErrorKind::Api, env.api_error(asked)), None),
            None => (Ok(()), None),
        };
    }
    let transaction = match Transaction::from_json(body) {
        Ok(transaction) => transaction,
        Err(e) => {
            let why =
                if body.is_empty() { "the answer is empty".to_owned() } else { format!("{e} ({} bytes)", body.len()) };
            return (fail(ErrorKind::BadResponse, format!("{why}. {}", probably_done(asked.effect))), None);
        }
    };
    let state = transaction.text(transaction.status);
    if state != Some("ok") {
        if let Some(env) = Envelope::read(body).filter(Envelope::is_api_error) {
            return (fail(ErrorKind::Api, env.api_error(asked)), Some(transaction));
        }
    }
    if let Some(why) = not_about(asked.expect.subject, &transaction) {
        let advice = match asked.effect {
            Effect::Read => READ_AGAIN,
            Effect::Payment => PAYMENT_MAY_HAVE_BEEN_MADE,
            Effect::Token | Effect::Change => CHANGE_MAY_HAVE_BEEN_MADE,
        };
        return (fail(ErrorKind::BadResponse, format!("{why}. {advice}")), Some(transaction));
    }
    let result = match state {
        Some(s) if accepts(asked.expect.state, s) => Ok(()),
        Some(s) => fail(ErrorKind::NotOk, came_back(s, asked.expect.state)),
        None => fail(ErrorKind::BadResponse, format!("the answer has no \"status\". {}", probably_done(asked.effect))),
    };
    (result, Some(transaction))
}

/// After an answer that is not about what a read asked for.
const READ_AGAIN: &str = "A read changes nothing: read the transaction again";

/// After an answer that is not about what a payment asked for: the request's own answer is lost.
const PAYMENT_MAY_HAVE_BEEN_MADE: &str = "The request was received and may have been executed (a payment made): \
                                          read the transaction back, do not pay again";

/// After an answer that is not about what a change asked for: the request's own answer is lost.
const CHANGE_MAY_HAVE_BEEN_MADE: &str = "The request was received and may have been executed: read the \
                                         transaction back before sending it again";

/// Why `transaction` is not the answer about `subject`; `None` when it is. The id must be a string (see
/// [`Transaction::id`]) equal to the one asked for byte for byte.
fn not_about(subject: Subject, transaction: &Transaction) -> Option<String> {
    let id = transaction.text(transaction.id).filter(|id| !id.is_empty());
    match (subject, id) {
        (Subject::Unchecked | Subject::Document, _) | (Subject::Identified, Some(_)) => None,
        (Subject::Transaction(asked), Some(id)) if id == asked.as_str() => None,
        (Subject::Transaction(asked), Some(id)) => Some(format!(
            "the answer is about transaction \"{}\", not \"{}\" that was asked for: it is the answer to another \
             request",
            sanitize(id, 64),
            asked.as_str()
        )),
        (Subject::Transaction(asked), None) => Some(format!(
            "the answer names no transaction (its \"id\" is missing, null or not a string), so it is not the \
             answer about \"{}\"",
            asked.as_str()
        )),
        (Subject::Identified, None) => {
            Some("the answer names no transaction (its \"id\" is missing, null or not a string)".to_owned())
        }
    }
}

fn accepts(wanted: Wanted, state: &str) -> bool {
    match wanted {
        Wanted::Paid => state == "ok",
        Wanted::AnyState => true,
        Wanted::Cancelled => matches!(state, "cancelled" | "canceled"),
        Wanted::Aborted => state == "aborted",
    }
}

/// The message of a transaction that came back in `state` instead of the one the call makes: which it is, and
/// what that means for the register.
fn came_back(state: &str, wanted: Wanted) -> String {
    let want = match wanted {
        Wanted::Paid | Wanted::AnyState => "ok",
        Wanted::Cancelled => "cancelled",
        Wanted::Aborted => "aborted",
    };
    let meaning = match Status::of(Some(state)) {
        Status::Ok | Status::Received | Status::Shipped | Status::Collection | Status::Collected | Status::Finished => {
            "it stands paid"
        }
        Status::Processing | Status::Pending | Status::Approved => {
            "it is still in progress: read it back later (sx_transaction_get) before anything else"
        }
        Status::Created => "it is not paid and still open",
        Status::Aborted | Status::Failed | Status::Cancelled | Status::Timeout => "it is not paid and over",
        Status::Deleted | Status::Unknown => "its state is not one the library knows: a person decides",
    };
    format!("the transaction came back with status \"{}\", not \"{want}\": {meaning}", sanitize(state, 40))
}

/// The outcome of an answer that is not a 2xx.
fn classify_failure(status: u16, body: &[u8], location: Option<&str>, asked: Asked) -> Result<(), Error> {
    let describe = |env: &Envelope| env.describe(asked.secrets);
    let fail = |kind, text: String| Err(Error::new(kind, format!("HTTP {status}: {text}")));
    let envelope = Envelope::read(body);
    match (status, &envelope) {
        (401, env) => fail(
            ErrorKind::Unauthorized,
            env.as_ref().filter(|e| e.is_api_error()).map_or("the token was refused".into(), describe),
        ),
        (403, Some(env)) if env.is_auth_code() => fail(ErrorKind::Unauthorized, describe(env)),
        (304, _) => fail(
            ErrorKind::Http,
            "\"not modified\", an answer to a cached request, which no call of this library is; the request \
             was received: read the transaction back before trying again"
                .into(),
        ),
        // Interim answers are dropped as they come (`transport.rs`); what reaches here is a final 1xx, e.g. a
        // switch of protocols the request never asked for.
        (100..=199, _) => fail(
            ErrorKind::Http,
            "an interim answer where the final one belongs (e.g. a switch of protocols nobody asked for); the \
             request was received: read the transaction back before trying again"
                .into(),
        ),
        (300..=399, _) => fail(
            ErrorKind::Http,
            match location {
                Some(l) => format!(
                    "a redirect to {:?}, not followed (it would carry the token elsewhere)",
                    sanitize(&asked.secrets.scrub(l), 200)
                ),
                None => "a redirect without a target (no Location header), not followed".into(),
            },
        ),
        (_, Some(env)) if env.is_api_error() => fail(ErrorKind::Api, env.api_error(asked)),
        (_, _) => {
            let what = if body.is_empty() {
                "an empty answer".to_owned()
            } else {
                format!("an answer that is not an API error ({} bytes, e.g. an HTML page)", body.len())
            };
            // A gateway's or a failing server's 5xx says nothing of what the API behind it did with the request.
            let advice = if status >= 500 { format!(". {SERVER_FAILED}") } else { String::new() };
            fail(ErrorKind::Http, format!("{what}{advice}"))
        }
    }
}

/// The outcome of an answer whose body is larger than `limit_mib` MiB and was not read: `BadResponse`, as the
/// contract says of every body over the limit, worded by its status and call: only a 2xx says the request was
/// probably executed; after any other status nothing is known of it.
pub fn unread(status: u16, limit_mib: u64, effect: Effect) -> Error {
    let advice = if (200..=299).contains(&status) { probably_done(effect) } else { not_known(effect) };
    Error::new(
        ErrorKind::BadResponse,
        format!("HTTP {status}: the answer is larger than {limit_mib} MiB and was not read. {advice}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &[u8] = include_bytes!("../../fixtures/start-cash-response.json");
    const ERROR: &[u8] = include_bytes!("../../fixtures/error-response.json");

    fn kind(status: u16, body: &[u8]) -> Option<ErrorKind> {
        classify(status, body, None).err().map(|e| e.kind)
    }

    #[test]
    fn the_table() {
        assert_eq!(kind(200, SEED), None);
        assert_eq!(kind(200, br#"{"status":"failed"}"#), Some(ErrorKind::NotOk));
        assert_eq!(kind(200, ERROR), Some(ErrorKind::Api));
        assert_eq!(kind(200, br#"{"object":"smart.transactions"}"#), Some(ErrorKind::BadResponse));
        assert_eq!(kind(200, b""), Some(ErrorKind::BadResponse));
        assert_eq!(kind(200, b"<html>"), Some(ErrorKind::BadResponse));
        assert_eq!(kind(200, br#"{"status":"ok""#), Some(ErrorKind::BadResponse));
        assert_eq!(kind(200, b"{\"status\":\"ok\",\"x\":\"\xff\"}"), Some(ErrorKind::BadResponse));
        assert_eq!(kind(401, ERROR), Some(ErrorKind::Unauthorized));
        assert_eq!(kind(401, b"<html>"), Some(ErrorKind::Unauthorized));
        assert_eq!(kind(403, ERROR), Some(ErrorKind::Unauthorized));
        assert_eq!(kind(403, br#"{"status":"error","error":"X","code":1001}"#), Some(ErrorKind::Api));
        assert_eq!(kind(400, br#"{"status":"error","error":"X","code":"1001"}"#), Some(ErrorKind::Api));
        assert_eq!(kind(500, b"<html><body>Bad Gateway</body></html>"), Some(ErrorKind::Http));
        assert_eq!(kind(502, b""), Some(ErrorKind::Http));
        assert_eq!(kind(307, b""), Some(ErrorKind::Http));
        assert_eq!(kind(404, br#"{"status":"ok"}"#), Some(ErrorKind::Http));
        assert_eq!(kind(200, br#"{"status":"ok"}"#), None);
        assert_eq!(kind(200, b"\xEF\xBB\xBF{\"status\":\"ok\"}"), None);
        assert_eq!(kind(200, br#"{"status":"failed","status":"ok","x":1e999}"#), None);
        assert_eq!(kind(304, b""), Some(ErrorKind::Http));
    }

    /// The one reading: whatever `classify` calls a success, `Transaction::from_json` reads.
    #[test]
    fn success_only_for_what_parses() {
        for body in [
            &br#"{"status":"ok"}"#[..],
            br#"{"status":"ok","receipt":[1e999,{"type":"space","type":1}]}"#,
            br#"{"status":"ok","status":"ok"}"#,
            br#"{"status":"ok","a":"\ud800"}"#,
            br#"{"status":"ok"} trailing"#,
            b"{\"status\":\"ok\",\"x\":\"\xff\"}",
        ] {
            let ok = classify(200, body, None).is_ok();
            assert_eq!(
                ok,
                Transaction::from_json(body).is_ok_and(|t| t.text(t.status) == Some("ok")),
                "{:?}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn bad_response_says_the_payment_was_probably_registered() {
        for body in [&b""[..], b"<html>", br#"{"object":"x"}"#, br#"{"status":"ok""#] {
            let e = classify(200, body, None).unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadResponse);
            assert!(e.message.contains("probably registered"), "{}", e.message);
        }
        let e = classify(304, b"", None).unwrap_err();
        assert!(e.message.contains("not modified") && !e.message.contains("unnamed"), "{}", e.message);
        let e = classify(307, b"", None).unwrap_err();
        assert!(e.message.contains("no Location"), "{}", e.message);
        for status in [500, 502, 503, 504] {
            let e = classify(status, b"<html>Bad Gateway</html>", None).unwrap_err();
            assert_eq!(e.kind, ErrorKind::Http);
            assert!(e.message.contains("read the transaction back"), "{}", e.message);
        }
        for status in [400, 404, 405] {
            let e = classify(status, b"", None).unwrap_err();
            assert!(e.message.contains("empty answer") && !e.message.contains("read the"), "{}", e.message);
        }
        // A final 1xx (the transport drops interim ones) was received: nothing says it was not executed.
        let e = classify(101, b"", None).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Http);
        assert!(e.message.contains("read the transaction back") && !e.message.contains("empty"), "{}", e.message);
    }

    /// Only a 2xx says the payment was probably registered; a 500 too large to read does not.
    #[test]
    fn an_unread_answer_is_worded_by_its_status() {
        let e = unread(200, 16, Effect::Payment);
        assert_eq!(e.kind, ErrorKind::BadResponse);
        assert!(e.message.contains("larger than 16 MiB") && e.message.contains("probably registered"), "{}", e.message);
        for status in [500, 502, 404, 401, 302] {
            let e = unread(status, 16, Effect::Payment);
            assert_eq!(e.kind, ErrorKind::BadResponse, "{status}");
            assert!(e.message.contains(&format!("HTTP {status}")) && e.message.contains("larger than 16 MiB"));
            assert!(!e.message.contains("2xx") && !e.message.contains("probably registered"), "{}", e.message);
            assert!(e.message.contains("read the transaction back"), "{}", e.message);
        }
    }

    /// Every builder, for every kind of call: only a start speaks of the payment; a read never says it may have
    /// been executed; "already started" is read back only after a start.
    #[test]
    fn each_message_fits_its_call() {
        let secrets = Secrets::default();
        let started = br#"{"status":"error","error":"ProductBadRequestException","error_details":"Transaction was already started"}"#;
        for effect in [Effect::Read, Effect::Change, Effect::Payment] {
            let asked = Asked { effect, expect: Expect::default(), secrets: &secrets };
            let messages: Vec<Error> = [
                judge(200, b"<html>", None, asked).0,
                judge(200, br#"{"object":"x"}"#, None, asked).0,
                judge(400, started, None, asked).0,
                Err(unread(200, 16, effect)),
                Err(unread(502, 16, effect)),
            ]
            .into_iter()
            .map(Result::unwrap_err)
            .collect();
            for e in &messages {
                let payment = e.message.contains("payment") || e.message.contains("pay again");
                assert_eq!(payment, effect == Effect::Payment && e.kind != ErrorKind::Api, "{effect:?}: {}", e.message);
                assert_eq!(
                    e.message.contains("executed"),
                    effect == Effect::Change && e.kind != ErrorKind::Api,
                    "{effect:?}: {}",
                    e.message
                );
            }
            let already = &messages[2].message;
            assert_eq!(already.contains("read it back"), effect == Effect::Payment, "{effect:?}: {already}");
        }
    }

    /// A document that is not a transaction (a card, a device, a list) passes unless it is the API's error; its
    /// own model reads it.
    #[test]
    fn a_document_is_judged_only_for_the_api_error() {
        let secrets = Secrets::default();
        let asked = Asked {
            effect: Effect::Read,
            expect: Expect { subject: Subject::Document, state: Wanted::AnyState },
            secrets: &secrets,
        };
        for body in [&br#"{"count":0,"data":[]}"#[..], br#"["cash"]"#, b"<html>", b""] {
            assert!(judge(200, body, None, asked).0.is_ok(), "{:?}", String::from_utf8_lossy(body));
        }
        assert_eq!(judge(200, ERROR, None, asked).0.unwrap_err().kind, ErrorKind::Api);
        assert_eq!(judge(502, b"<html>", None, asked).0.unwrap_err().kind, ErrorKind::Http);
        assert!(judge(200, br#"{"result":true}"#, None, asked).1.is_none(), "no transaction is read");
    }

    #[test]
    fn messages_name_status_error_details_and_support_id() {
        let e = classify(403, ERROR, None).unwrap_err();
        for part in [
            "HTTP 403",
            "ProductNotAllowedException",
            "Valid auth token required",
            "2003",
            "f8e0173c15b92750819a91ac8d5cc878",
        ] {
            assert!(e.message.contains(part), "{part} missing in {}", e.message);
        }
        let e = classify(302, b"", Some("http://127.0.0.1:9/x")).unwrap_err();
        assert!(e.message.contains("http://127.0.0.1:9/x") && e.message.contains("not followed"));
    }

    #[test]
    fn hostile_error_fields_cannot_forge_lines() {
        let e = classify(400, b"{\"status\":\"error\",\"error\":\"A\\r\\nB\\u0000C\"}", None).unwrap_err();
        assert!(!e.message.contains(['\r', '\n', '\0']), "{:?}", e.message);
    }
}
