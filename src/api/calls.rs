//! The calls of the lifecycle: one request each, never repeated (the client's token renewal aside, which
//! repeats only a call the server refused unexecuted).

use super::basket::Basket;
use super::verdict::Verdict;
use crate::auth::ApiClient;
use crate::client::{Body, Error, ErrorKind, Exchange, Request, TransactionId};
use crate::model::{PreTransaction, Transaction};

const TRANSACTIONS: &str = "/api/v2/Smart/Transactions";

/// What a call brought back. `body` and `http_status` are those of the last request sent (empty and `None`
/// when no answer came); `transaction` is the transaction the answer held, also when `result` is an error
/// (a start declined by the card terminal: [`ErrorKind::NotOk`], whose receipt must be printed too).
#[derive(Debug)]
pub struct Answer {
    pub http_status: Option<u16>,
    pub body: Vec<u8>,
    pub transaction: Option<Transaction>,
    pub result: Result<(), Error>,
}

impl Answer {
    /// The transaction on success; the error otherwise (dropping a declined start's transaction).
    pub fn into_result(self) -> Result<Transaction, Error> {
        self.result?;
        self.transaction.ok_or_else(|| Error::new(ErrorKind::BadResponse, "the answer held no transaction"))
    }

    /// `must_be_ok`: a start succeeds only with status `ok`; the other calls with any transaction.
    fn from_exchange(exchange: Exchange, must_be_ok: bool) -> Answer {
        let Exchange { http_status, body, result } = exchange;
        let transaction = match &result {
            Ok(()) => Transaction::from_json(&body).ok(),
            Err(e) if e.kind == ErrorKind::NotOk => Transaction::from_json(&body).ok(),
            Err(_) => None,
        };
        let result = match result {
            Err(e) if e.kind == ErrorKind::NotOk && !must_be_ok => Ok(()),
            other => other,
        };
        Answer { http_status, body, transaction, result }
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
/// negative is refused with [`ErrorKind::InvalidArgument`] and nothing is sent.
pub fn create(client: &ApiClient, basket: &Basket) -> Answer {
    let body = match basket.to_json() {
        Ok(body) => body,
        Err(e) => return Answer { http_status: None, body: Vec::new(), transaction: None, result: Err(e) },
    };
    Answer::from_exchange(client.call(Request::post(TRANSACTIONS, Body::Json(body))), false)
}

/// `GET /Smart/Transactions/{id}`: the truth about a transaction.
pub fn get(client: &ApiClient, id: TransactionId) -> Answer {
    let path = format!("{TRANSACTIONS}/{}", id.as_str());
    Answer::from_exchange(client.call(Request::get(&path)), false)
}

/// `POST /Smart/Transactions/{id}/start/{method}`: succeeds with status `ok` only. A transaction that came back
/// otherwise (a declined card) is [`ErrorKind::NotOk`] with the transaction in the answer. Never repeated:
/// after [`ErrorKind::OutcomeUnknown`], [`check`] says whether to start again.
pub fn start(client: &ApiClient, id: TransactionId, method: PaymentMethod) -> Answer {
    let path = format!("{TRANSACTIONS}/{}/start/{}", id.as_str(), method.as_str());
    let request = Request { waits_for_terminal: method.waits_for_terminal(), ..Request::post(&path, Body::Empty) };
    Answer::from_exchange(client.call(request), true)
}

/// `POST /Smart/Transactions/{id}/cancel`: reverses a paid (`ok`) transaction; it becomes `cancelled`.
pub fn cancel(client: &ApiClient, id: TransactionId) -> Answer {
    let path = format!("{TRANSACTIONS}/{}/cancel", id.as_str());
    Answer::from_exchange(client.call(Request::post(&path, Body::Empty)), false)
}

/// `POST /Smart/Transactions/{id}/abort`: drops a transaction never started; it becomes `aborted`.
pub fn abort(client: &ApiClient, id: TransactionId) -> Answer {
    let path = format!("{TRANSACTIONS}/{}/abort", id.as_str());
    Answer::from_exchange(client.call(Request::post(&path, Body::Empty)), false)
}

/// After [`ErrorKind::OutcomeUnknown`]: reads the transaction back and gives the [`Verdict`] on its status.
/// `Paid`: done, print the receipt. `InProgress`: wait and check again. `NotPaid`: starting again is safe.
/// `Unknown`: ask a person; never start again on it.
pub fn check(client: &ApiClient, id: TransactionId) -> Checked {
    let answer = get(client, id);
    let verdict = match (&answer.result, &answer.transaction) {
        (Ok(()), Some(transaction)) => Some(Verdict::of(transaction.status.as_deref())),
        _ => None,
    };
    Checked { answer, verdict }
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
pub fn pre_transaction(client: &ApiClient, id: TransactionId) -> PreTransactionAnswer {
    let path = format!("{TRANSACTIONS}/{}/preTransaction", id.as_str());
    let Exchange { http_status, body, result, .. } = client.call(Request::post(&path, Body::Empty));
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

    fn exchange(status: u16, body: &str) -> Exchange {
        let body = body.as_bytes().to_vec();
        let result = crate::client::outcome::classify(status, &body, None);
        Exchange { http_status: Some(status), body, result }
    }

    #[test]
    fn a_start_needs_ok_the_other_calls_any_transaction() {
        let created = r#"{"id":"STX_1","status":"created"}"#;
        assert!(Answer::from_exchange(exchange(200, created), false).into_result().is_ok());
        let declined = Answer::from_exchange(exchange(200, r#"{"id":"STX_1","status":"failed"}"#), true);
        assert_eq!(declined.result.as_ref().unwrap_err().kind, ErrorKind::NotOk);
        assert_eq!(declined.transaction.unwrap().status.as_deref(), Some("failed"));
        let refused = Answer::from_exchange(exchange(400, r#"{"status":"error","error":"X","code":1400}"#), false);
        assert!(refused.transaction.is_none());
        assert_eq!(refused.result.unwrap_err().kind, ErrorKind::Api);
    }

    #[test]
    fn a_pre_check_is_any_2xx_object_that_is_not_an_api_error() {
        let pre = |status, body: &str| {
            let Exchange { http_status, body, result, .. } = exchange(status, body);
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
