//! The calls of the lifecycle: one request each, never repeated (the client's token renewal aside, which
//! repeats only a call the server refused unexecuted).

use serde_json::json;

use super::basket::{NewBasket, MAX_TEXT_BYTES};
use super::Client;
use crate::http::validate::addresses_the_device;
use crate::http::{Answer, Body, Error, ErrorKind, Request, Subject, TransactionId, Wanted};
use crate::journal::{Call, Intent};
use crate::model::{PreTransaction, Transaction, TransactionList, Verdict};

const TRANSACTIONS: &str = "/api/v2/Smart/Transactions";

/// The messages of a call that sent the basket's card number: a server may echo it, and it must reach neither a
/// log nor the last error in full.
impl Answer {
    fn masking_the_card(mut self, basket: &NewBasket) -> Answer {
        if let (Some(card), Err(e)) = (basket.ident(), &mut self.result) {
            e.message = card.mask_in(&e.message);
        }
        self
    }
}

/// What [`check`] learnt: the read's answer and, when the read succeeded, the verdict on its status.
#[derive(Debug)]
pub struct Checked {
    pub answer: Answer,
    pub verdict: Option<Verdict>,
}

impl Checked {
    pub fn into_result(self) -> Result<(Verdict, Transaction), Error> {
        let verdict = self.verdict.unwrap_or(Verdict::Unknown);
        self.answer.into_result().map(|transaction| (verdict, transaction))
    }
}

/// A payment method: 1 to 32 of `a-z _` (`cash`, `cashless`, `debit`, `invoice`, `loyalty`, `prepaid`,
/// `ccload`, ...), so that it is safe in a URL path as it is.
#[derive(Debug, Clone, Copy)]
pub struct PaymentMethod<'a>(&'a str);

impl PaymentMethod<'static> {
    /// Money the register took itself (cash, its own card terminal): `sx_start_cash`, `sx_client_start_cash`.
    pub const CASH: PaymentMethod<'static> = PaymentMethod("cash");
}

impl<'a> PaymentMethod<'a> {
    pub const MAX_LEN: usize = 32;

    pub fn parse(method: &'a str) -> Result<PaymentMethod<'a>, Error> {
        if method.is_empty() || method.len() > Self::MAX_LEN {
            return Err(Error::invalid(format!(
                "the payment method must be 1 to {} characters long, not {}",
                Self::MAX_LEN,
                method.len()
            )));
        }
        if let Some(at) = method.bytes().position(|b| !(b.is_ascii_lowercase() || b == b'_')) {
            return Err(Error::invalid(format!("the payment method has a character other than a-z _ at byte {at}")));
        }
        Ok(PaymentMethod(method))
    }

    pub fn as_str(&self) -> &'a str {
        self.0
    }

    /// The methods that block until a card terminal is done (PIN entry, authorisation): the client's terminal
    /// timeout applies to them instead of the total one.
    pub fn waits_for_terminal(&self) -> bool {
        matches!(self.0, "cashless" | "cashless_direct" | "debit" | "ccload" | "auto")
    }
}

/// `POST /Smart/Transactions` with the basket (status `created`). A basket whose sum overflows or is
/// negative is refused with [`ErrorKind::InvalidArgument`] and nothing is sent. The request names no
/// transaction, so its answer cannot be matched to it by id; it must name one (a string `id`), else it is
/// [`ErrorKind::BadResponse`]: a transaction without an id can be neither started nor read back.
pub fn create(client: &Client, basket: &NewBasket) -> Answer {
    let body = match basket.to_json() {
        Ok(body) => body,
        Err(e) => return Answer::refused(e),
    };
    let reference = basket.transaction_ref().unwrap_or_default();
    if client.journal().is_some() && reference.is_empty() {
        return Answer::refused(Error::invalid(
            "with a journal open, a basket needs its transactionRef (sx_basket_set_refs): a create whose answer \
             is lost is found again by it only",
        ));
    }
    let request = Request::post(TRANSACTIONS, Body::Json(body)).expecting(Subject::Identified, Wanted::AnyState);
    let intent = Intent { reference, ..Intent::new(Call::Create, "") };
    client.journaled(&intent, || client.call(request)).masking_the_card(basket)
}

/// `PUT /Smart/Transactions/{id}`: replaces the basket of a transaction not started yet (the API refuses it
/// after the start with [`ErrorKind::Api`]). The body always holds `basket` and `basket_info`: a PUT without
/// them would remove the basket. The references and the ident are sent when the basket has them; a basket
/// without them leaves the transaction's as they are. Checked as for [`create`] before anything is sent.
/// Succeeds on transaction `id` in any state; an answer about another is [`ErrorKind::BadResponse`].
pub fn update(client: &Client, id: TransactionId, basket: &NewBasket) -> Answer {
    let body = match basket.to_json() {
        Ok(body) => body,
        Err(e) => return Answer::refused(e),
    };
    let path = format!("{TRANSACTIONS}/{}", id.as_str());
    let request = Request::put(&path, Body::Json(body)).expecting(Subject::Transaction(id), Wanted::AnyState);
    client.call(request).masking_the_card(basket)
}

/// `GET /Smart/Transactions/{id}`: the truth about a transaction. Succeeds on transaction `id` in any state; an
/// answer about another transaction, or about none, is [`ErrorKind::BadResponse`].
pub fn get(client: &Client, id: TransactionId) -> Answer {
    let path = format!("{TRANSACTIONS}/{}", id.as_str());
    client.call(Request::get(&path).expecting(Subject::Transaction(id), Wanted::AnyState))
}

/// `POST /Smart/Transactions/{id}/start/{method}`: succeeds with transaction `id` in status `ok` only. A
/// transaction that came back otherwise (a declined card) is [`ErrorKind::NotOk`] with the transaction in the
/// answer; an answer about another transaction, or none, is [`ErrorKind::BadResponse`]. Never repeated:
/// after [`ErrorKind::OutcomeUnknown`], [`check`] says whether to start again. The methods that wait for a
/// card terminal ([`PaymentMethod::waits_for_terminal`]) run under the client's terminal timeout.
/// `cashless_direct` needs its details: use [`start_cashless_direct`].
pub fn start(client: &Client, id: TransactionId, method: PaymentMethod) -> Answer {
    if method.as_str() == "cashless_direct" {
        // Without its body the API refuses it: say so before anything is sent.
        return Answer::refused(Error::invalid(
            "start/cashless_direct needs the terminal's tid, trace and card type: use the cashless_direct call \
             (sx_transaction_start_cashless_direct)",
        ));
    }
    let path = format!("{TRANSACTIONS}/{}/start/{}", id.as_str(), method.as_str());
    let request =
        Request { waits_for_terminal: method.waits_for_terminal(), ..Request::post(&path, Body::Empty).paying() };
    let request = request.expecting(Subject::Transaction(id), Wanted::Paid);
    let intent = Intent { method: method.as_str(), ..Intent::new(Call::Start, id.as_str()) };
    client.journaled(&intent, || client.call(request))
}

/// What the register's own card terminal reported for a payment it made itself: the terminal id, the trace
/// number and the card type (e.g. "girocard"). Each 1 to 64 bytes of UTF-8 without control characters.
#[derive(Debug, Clone, Copy)]
pub struct DirectPayment<'a> {
    tid: &'a str,
    trace: &'a str,
    card_type: &'a str,
}

impl<'a> DirectPayment<'a> {
    pub const MAX_LEN: usize = 64;

    pub fn new(tid: &'a str, trace: &'a str, card_type: &'a str) -> Result<DirectPayment<'a>, Error> {
        for (value, what) in [(tid, "the terminal id (tid)"), (trace, "the trace number"), (card_type, "the card type")]
        {
            if value.trim().is_empty() || value.len() > Self::MAX_LEN {
                return Err(Error::invalid(format!(
                    "{what} must be 1 to {} bytes long and not blank, not {}",
                    Self::MAX_LEN,
                    value.len()
                )));
            }
            if let Some(at) = value.chars().position(char::is_control) {
                return Err(Error::invalid(format!("{what} has a control character at character {at}")));
            }
        }
        Ok(DirectPayment { tid, trace, card_type })
    }

    fn to_json(self) -> Vec<u8> {
        json!({ "tid": self.tid, "trace": self.trace, "cardtype": self.card_type }).to_string().into_bytes()
    }
}

/// `POST /Smart/Transactions/{id}/start/cashless_direct` with `{tid, trace, cardtype}`: reports a card payment
/// the register's own terminal made. Succeeds as [`start`] does, under the client's terminal timeout.
pub fn start_cashless_direct(client: &Client, id: TransactionId, payment: DirectPayment) -> Answer {
    let path = format!("{TRANSACTIONS}/{}/start/cashless_direct", id.as_str());
    let request = Request::post(&path, Body::Json(payment.to_json()))
        .paying()
        .waiting_for_terminal()
        .expecting(Subject::Transaction(id), Wanted::Paid);
    let intent = Intent { method: "cashless_direct", ..Intent::new(Call::Start, id.as_str()) };
    client.journaled(&intent, || client.call(request))
}

/// `POST /Smart/Transactions/{id}/cancel`: reverses a paid (`ok`) transaction; it becomes `cancelled`.
/// Succeeds only on transaction `id` come back `cancelled` (or `canceled`); in another state it is
/// [`ErrorKind::NotOk`] with the transaction (the payment was not reversed).
pub fn cancel(client: &Client, id: TransactionId) -> Answer {
    let path = format!("{TRANSACTIONS}/{}/cancel", id.as_str());
    let request = Request::post(&path, Body::Empty).expecting(Subject::Transaction(id), Wanted::Cancelled);
    let intent = Intent::new(Call::Cancel, id.as_str());
    client.journaled(&intent, || client.call(request))
}

/// `POST /Smart/Transactions/{id}/abort`: drops a transaction never started; it becomes `aborted`. Succeeds
/// only on transaction `id` come back `aborted`; in another state it is [`ErrorKind::NotOk`] with the
/// transaction (an abort answered `ok` left the sale paid).
pub fn abort(client: &Client, id: TransactionId) -> Answer {
    let path = format!("{TRANSACTIONS}/{}/abort", id.as_str());
    let request = Request::post(&path, Body::Empty).expecting(Subject::Transaction(id), Wanted::Aborted);
    let intent = Intent::new(Call::Abort, id.as_str());
    client.journaled(&intent, || client.call(request))
}

/// After [`ErrorKind::OutcomeUnknown`]: reads the transaction back and gives the [`Verdict`] on its status.
/// `Paid`: done, print the receipt. `InProgress`: wait and check again. `NotPaid`: starting again is safe.
/// `Unknown`: ask a person; never start again on it.
pub fn check(client: &Client, id: TransactionId) -> Checked {
    let answer = get(client, id);
    let verdict = match (&answer.result, &answer.transaction) {
        (Ok(()), Some(transaction)) => Some(Verdict::of(transaction.text(transaction.status))),
        _ => None,
    };
    Checked { answer, verdict }
}

/// A receipt number of a card payment, as printed on its receipt: 1 to 64 of `A-Z a-z 0-9 _ -`, so that it is
/// safe in a URL path as it is, and not `me` in any case (it would address the device's own routes).
#[derive(Debug, Clone, Copy)]
pub struct ReceiptNumber<'a>(&'a str);

impl<'a> ReceiptNumber<'a> {
    pub const MAX_LEN: usize = 64;

    pub fn parse(number: &'a str) -> Result<ReceiptNumber<'a>, Error> {
        if number.is_empty() || number.len() > Self::MAX_LEN {
            return Err(Error::invalid(format!(
                "the receipt number must be 1 to {} characters long, not {}",
                Self::MAX_LEN,
                number.len()
            )));
        }
        if let Some(at) = number.bytes().position(|b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-')) {
            return Err(Error::invalid(format!(
                "the receipt number has a character other than A-Z a-z 0-9 _ - at byte {at}"
            )));
        }
        if addresses_the_device(number) {
            return Err(Error::invalid("the receipt number is \"me\", which addresses this device, not a receipt"));
        }
        Ok(ReceiptNumber(number))
    }

    pub fn as_str(&self) -> &'a str {
        self.0
    }
}

/// `POST /Smart/Transactions/{receipt_number}/canceltrx`: reverses a card payment at the terminal by its
/// receipt number, before the end of day settles it. Blocks at the terminal: the client's terminal timeout
/// applies. Succeeds on the reversed transaction come back `cancelled` (or `canceled`) with an id of its own
/// (the request names none to compare); in another state it is [`ErrorKind::NotOk`] with the transaction.
/// Never repeated: after [`ErrorKind::OutcomeUnknown`] read the transaction back ([`get`]) before reversing
/// again.
pub fn cancel_by_receipt(client: &Client, receipt_number: ReceiptNumber) -> Answer {
    let path = format!("{TRANSACTIONS}/{}/canceltrx", receipt_number.as_str());
    let request =
        Request::post(&path, Body::Empty).waiting_for_terminal().expecting(Subject::Identified, Wanted::Cancelled);
    let intent = Intent { reference: receipt_number.as_str(), ..Intent::new(Call::CancelByReceipt, "") };
    client.journaled(&intent, || client.call(request))
}

/// `POST /Smart/Transactions/me/endOfDay`: the card terminal of this device settles the day's card payments
/// and answers with a report to print (`receipt`). Blocks at the terminal: the client's terminal timeout
/// applies. Succeeds as a start does, on status `ok`; another status is [`ErrorKind::NotOk`] with the answer's
/// object (its receipt says why). Never repeated: after [`ErrorKind::OutcomeUnknown`] the terminal may have
/// settled; running it again settles what came since, which is harmless, but its report is then lost.
pub fn end_of_day(client: &Client) -> Answer {
    device_call(client, "endOfDay")
}

/// `POST /Smart/Transactions/me/diagnosis`: the card terminal of this device checks itself and answers with a
/// report to print. As [`end_of_day`]: terminal timeout, status `ok`, never repeated.
pub fn diagnosis(client: &Client) -> Answer {
    device_call(client, "diagnosis")
}

fn device_call(client: &Client, action: &str) -> Answer {
    let path = format!("{TRANSACTIONS}/me/{action}");
    client.call(Request::post(&path, Body::Empty).waiting_for_terminal())
}

/// A search by the register's own reference (`transactionRef`, e.g. its receipt number): the `q` of a list,
/// `transactionRef:"..."` with `\` and `"` escaped by a backslash inside the quotes. The reference is 1 to 1024
/// bytes of UTF-8 without control characters, as [`NewBasket::set_refs`] takes it.
#[derive(Debug, Clone)]
pub struct RefQuery {
    q: String,
    reference: String,
}

impl RefQuery {
    pub fn transaction_ref(reference: &str) -> Result<RefQuery, Error> {
        if reference.is_empty() || reference.len() > MAX_TEXT_BYTES {
            return Err(Error::invalid(format!(
                "the transactionRef to search for must be 1 to {MAX_TEXT_BYTES} bytes long, not {}",
                reference.len()
            )));
        }
        if let Some(at) = reference.chars().position(char::is_control) {
            return Err(Error::invalid(format!(
                "the transactionRef to search for has a control character at character {at}; no reference \
                 can hold one"
            )));
        }
        let mut q = String::with_capacity(reference.len() + 20);
        q.push_str("transactionRef:\"");
        for c in reference.chars() {
            if c == '"' || c == '\\' {
                q.push('\\');
            }
            q.push(c);
        }
        q.push('"');
        Ok(RefQuery { q, reference: reference.to_owned() })
    }

    /// The query as the API reads it, before percent-encoding.
    pub fn as_str(&self) -> &str {
        &self.q
    }

    /// Whether `transaction` has the reference searched for, byte for byte. The API's search also finds near
    /// matches (`Beleg 10` for `Beleg 1`, another case): they are not the register's sale.
    pub fn matches(&self, transaction: &Transaction) -> bool {
        transaction.text(transaction.transaction_ref) == Some(self.reference.as_str())
    }
}

/// What a list call brought back: as [`Answer`], with a page instead of a transaction.
#[derive(Debug)]
pub struct ListAnswer {
    pub http_status: Option<u16>,
    pub body: Vec<u8>,
    pub list: Option<TransactionList>,
    pub result: Result<(), Error>,
}

impl ListAnswer {
    pub fn into_result(self) -> Result<TransactionList, Error> {
        self.result?;
        self.list.ok_or_else(|| Error::new(ErrorKind::BadResponse, "the answer held no list"))
    }
}

/// `GET /Smart/Transactions?q=transactionRef:"..."&count=&offset=`: the transactions with the register's
/// reference, `count` from `offset` (in creation order as the API keeps it); `count` 0 lets the API choose the
/// page size. Succeeds on HTTP 2xx with `{count, data[]}`. The page keeps only the exact matches of the
/// reference ([`RefQuery::matches`]); its `count`, the API's number of matches over all pages, loses the near
/// matches this page held, so that a page that holds every match counts exactly what it kept. `offset` counts
/// the API's matches, near ones included. A read: safe to repeat.
pub fn list(client: &Client, query: &RefQuery, count: u32, offset: u32) -> ListAnswer {
    let q: String = url::form_urlencoded::byte_serialize(query.as_str().as_bytes()).collect();
    let mut path = format!("{TRANSACTIONS}?q={q}&offset={offset}");
    if count > 0 {
        path.push_str(&format!("&count={count}"));
    }
    let Answer { http_status, body, result, .. } = client.call(Request::get(&path));
    let answered = matches!(http_status, Some(200..=299));
    let (list, result) = match result {
        // A 2xx answer classified as no transaction (a list has no "status") is read as a list.
        Ok(()) | Err(Error { kind: ErrorKind::BadResponse | ErrorKind::NotOk, .. }) if answered => {
            match TransactionList::from_json(&body) {
                Ok(mut list) if list.count.is_some() => {
                    let held = list.data.len();
                    list.data.retain(|transaction| query.matches(transaction));
                    let near = i64::try_from(held - list.data.len()).unwrap_or(i64::MAX);
                    let kept = i64::try_from(list.data.len()).unwrap_or(i64::MAX);
                    list.count = list.count.map(|count| count.saturating_sub(near).max(kept));
                    (Some(list), Ok(()))
                }
                Ok(_) => {
                    (None, Err(Error::new(ErrorKind::BadResponse, "the answer is not a list: it has no \"count\"")))
                }
                Err(e) => (None, Err(Error::new(ErrorKind::BadResponse, format!("the answer is not a list: {e}")))),
            }
        }
        other => (None, other),
    };
    ListAnswer { http_status, body, list, result }
}

/// What [`pre_transaction`] brought back: as [`Answer`], with the pre-check instead of a transaction.
#[derive(Debug)]
pub struct PreTransactionAnswer {
    pub http_status: Option<u16>,
    pub body: Vec<u8>,
    pub pre_transaction: Option<PreTransaction>,
    pub result: Result<(), Error>,
}

impl PreTransactionAnswer {
    /// The pre-check on success; the error otherwise.
    pub fn into_result(self) -> Result<PreTransaction, Error> {
        self.result?;
        self.pre_transaction.ok_or_else(|| Error::new(ErrorKind::BadResponse, "the answer held no pre-check"))
    }
}

/// `POST /Smart/Transactions/{id}/preTransaction`: before the start, what remains to pay (`missing_sum`) and the
/// bonus products a customer card brings (negative `priceOne`). Changes nothing at the API; only before start.
pub fn pre_transaction(client: &Client, id: TransactionId) -> PreTransactionAnswer {
    let path = format!("{TRANSACTIONS}/{}/preTransaction", id.as_str());
    let Answer { http_status, body, result, .. } = client.call(Request::post(&path, Body::Empty));
    // The answer is not a transaction: having no `status`, it is classified a bad response (or "not ok" if it
    // had another one). Any 2xx JSON object that is not an API error is the pre-check.
    let answered_2xx = http_status.is_some_and(|status| (200..=299).contains(&status));
    let (pre_transaction, result) = match result {
        Ok(()) => match PreTransaction::from_json(&body) {
            Ok(pre) => (Some(pre), Ok(())),
            Err(e) => (None, Err(Error::new(ErrorKind::BadResponse, format!("not a pre-check: {e}")))),
        },
        Err(e) if answered_2xx && matches!(e.kind, ErrorKind::BadResponse | ErrorKind::NotOk) => {
            match PreTransaction::from_json(&body) {
                Ok(pre) => (Some(pre), Ok(())),
                Err(_) => (None, Err(e)),
            }
        }
        Err(e) => (None, Err(e)),
    };
    PreTransactionAnswer { http_status, body, pre_transaction, result }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payment_methods() {
        for good in ["cash", "cashless_direct", "a", &"z".repeat(32)] {
            assert!(PaymentMethod::parse(good).is_ok(), "{good}");
        }
        for bad in ["", "Cash", "cash/../x", "cash ", "cash1", "käse", &"z".repeat(33)] {
            assert_eq!(PaymentMethod::parse(bad).unwrap_err().kind, ErrorKind::InvalidArgument, "{bad}");
        }
        assert!(PaymentMethod::parse("cashless").unwrap().waits_for_terminal());
        assert!(!PaymentMethod::parse("cash").unwrap().waits_for_terminal());
    }

    #[test]
    fn a_reference_is_quoted_with_quotes_and_backslashes_escaped() {
        let q = RefQuery::transaction_ref(r#"Beleg "55" & Ä\x 50%"#).unwrap();
        assert_eq!(q.as_str(), r#"transactionRef:"Beleg \"55\" & Ä\\x 50%""#);
        let encoded: String = url::form_urlencoded::byte_serialize(q.as_str().as_bytes()).collect();
        assert!(encoded.contains("%22") && encoded.contains("%26") && encoded.contains("%C3%84"), "{encoded}");
        assert!(!encoded.contains(['"', '&', ' ']), "{encoded}");
        for bad in ["", "a\r\nb", "tab\there", &"x".repeat(MAX_TEXT_BYTES + 1)] {
            assert_eq!(RefQuery::transaction_ref(bad).unwrap_err().kind, ErrorKind::InvalidArgument, "{bad:?}");
        }
    }

    #[test]
    fn direct_payment_details_and_receipt_numbers() {
        let body: serde_json::Value =
            serde_json::from_slice(&DirectPayment::new("52500999", "17", "V PAY").unwrap().to_json()).unwrap();
        assert_eq!(body, json!({"tid": "52500999", "trace": "17", "cardtype": "V PAY"}));
        for (tid, trace, card_type) in
            [("", "1", "x"), ("1", " ", "x"), ("1", "2", "a\nb"), ("1", "2", &*"x".repeat(65))]
        {
            assert!(DirectPayment::new(tid, trace, card_type).is_err(), "{tid:?} {trace:?} {card_type:?}");
        }
        assert!(ReceiptNumber::parse("0003").is_ok());
        for bad in ["", "3/../x", "3 ", "3?", &"1".repeat(65), "me", "ME", "Me", "mE"] {
            assert!(ReceiptNumber::parse(bad).is_err(), "{bad:?}");
        }
        assert!(ReceiptNumber::parse("mee").is_ok() && ReceiptNumber::parse("me1").is_ok());
    }

    fn exchange(status: u16, body: &str) -> Answer {
        let body = body.as_bytes().to_vec();
        let secrets = crate::http::Secrets::default();
        let expect = Default::default();
        let asked = crate::http::outcome::Asked { effect: crate::http::Effect::Read, expect, secrets: &secrets };
        let (result, transaction) = crate::http::outcome::judge(status, &body, None, asked);
        Answer::judged(status, body, result, transaction)
    }

    #[test]
    fn a_declined_start_keeps_its_transaction_an_api_error_none() {
        let declined = exchange(200, r#"{"id":"STX_1","status":"failed"}"#);
        assert_eq!(declined.result.as_ref().unwrap_err().kind, ErrorKind::NotOk);
        let declined = declined.transaction.unwrap();
        assert_eq!(declined.text(declined.status), Some("failed"));
        let refused = exchange(400, r#"{"status":"error","error":"X","code":1400}"#);
        assert!(refused.transaction.is_none());
        assert_eq!(refused.result.unwrap_err().kind, ErrorKind::Api);
    }

    #[test]
    fn a_pre_check_is_any_2xx_object_that_is_not_an_api_error() {
        let pre = |status, body: &str| {
            let Answer { http_status, body, result, .. } = exchange(status, body);
            assert_eq!(http_status, Some(status));
            (body, result)
        };
        // The classification of a transaction calls it a bad response: it has no status.
        let (body, result) = pre(200, r#"{"missing_sum":"500","bonus_products":[{"priceOne":-26}]}"#);
        assert_eq!(result.unwrap_err().kind, ErrorKind::BadResponse);
        let read = PreTransaction::from_json(&body).unwrap();
        assert_eq!((read.missing_sum, read.bonus_products[0].price_one), (Some(500), Some(-26)));
    }
}
