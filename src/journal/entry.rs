//! What an entry records: which call, its outcome, what it returned; and the outcome of a call from its end.

use crate::http::{Answer, Error, ErrorKind};
use crate::model::{Status, Transaction, Verdict};

/// The calls that change a transaction. The numbers are those stored in the file and given to C: fixed forever.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    Create = 1,
    /// Any method, `cashless_direct` and the client's `start_cash` too.
    Start = 2,
    Cancel = 3,
    Abort = 4,
    CancelByReceipt = 5,
}

impl Call {
    pub fn from_code(code: i64) -> Option<Call> {
        Some(match code {
            1 => Call::Create,
            2 => Call::Start,
            3 => Call::Cancel,
            4 => Call::Abort,
            5 => Call::CancelByReceipt,
            _ => return None,
        })
    }
}

/// What became of a call. The numbers are those stored in the file and given to C: fixed forever.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Sent or perhaps sent; the result is not known yet.
    Pending = 0,
    /// The API did it (created, paid, cancelled, aborted).
    Done = 1,
    /// It did not happen (not sent, refused, declined, or read back as not done).
    NotDone = 2,
}

impl Outcome {
    pub fn from_code(code: i64) -> Option<Outcome> {
        Some(match code {
            0 => Outcome::Pending,
            1 => Outcome::Done,
            2 => Outcome::NotDone,
            _ => return None,
        })
    }
}

/// A journaled call as it begins, after its arguments were checked and before anything of it is sent.
#[derive(Debug, Clone, Copy)]
pub struct Intent<'a> {
    pub call: Call,
    /// The transaction it concerns; "" for a create.
    pub transaction_id: &'a str,
    /// A start's method; "" for the other calls.
    pub method: &'a str,
    /// A create's `transactionRef`; a cancel by receipt's receipt number; "" otherwise.
    pub reference: &'a str,
}

impl<'a> Intent<'a> {
    pub fn new(call: Call, transaction_id: &'a str) -> Intent<'a> {
        Intent { call, transaction_id, method: "", reference: "" }
    }
}

/// How a journaled call ended, as the journal reads it.
#[derive(Debug, Clone, Copy)]
pub struct Ending<'a> {
    pub result: &'a Result<(), Error>,
    pub http_status: Option<u16>,
    /// The answer's body, kept with the entry when `transaction` is some.
    pub body: &'a [u8],
    /// The transaction the answer held, when the call hands one to its caller.
    pub transaction: Option<&'a Transaction>,
}

/// What a journaled call returns: its ending can be read, and a refusal before sending can be made.
pub trait Ended {
    fn ending(&self) -> Ending<'_>;
    /// The call's value when the journal refused it and nothing was sent.
    fn not_sent(e: Error) -> Self;
}

impl Ended for Answer {
    fn ending(&self) -> Ending<'_> {
        Ending {
            result: &self.result,
            http_status: self.http_status,
            body: &self.body,
            transaction: self.transaction.as_ref(),
        }
    }

    fn not_sent(e: Error) -> Answer {
        Answer::refused(e)
    }
}

/// One entry of the journal, as read from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub seq: i64,
    pub call: Call,
    pub outcome: Outcome,
    /// The C result code the call returned ([`result_code`]); 0 while it runs or when a crash ended it.
    pub result: u32,
    /// Of the call's answer; 0 if none.
    pub http_status: i32,
    pub began_ms: i64,
    pub settled_ms: i64,
    pub transaction_id: String,
    pub method: String,
    pub reference: String,
    /// The raw JSON of the transaction the answer (or a read-back) held.
    pub answer: Option<Vec<u8>>,
    pub(super) owner: super::owner::Owner,
}

/// The C result code of a call's result, as the entry keeps it. The values are the C ABI's `sx_result` codes,
/// fixed forever (the C glue maps the same kinds to the same values; a test in `ffi::journal` checks it).
pub fn result_code(result: &Result<(), Error>) -> u32 {
    let Err(e) = result else { return 0 };
    match e.kind {
        ErrorKind::InvalidArgument => 2,
        ErrorKind::Connect => 10,
        ErrorKind::OutcomeUnknown => 11,
        ErrorKind::Tls => 12,
        ErrorKind::Unauthorized => 20,
        ErrorKind::Api => 21,
        ErrorKind::Http => 22,
        ErrorKind::BadResponse => 30,
        ErrorKind::NotOk => 31,
        ErrorKind::Cancelled => 40,
        ErrorKind::Expired => 41,
        ErrorKind::Journal => 50,
    }
}

/// The contract's outcome of a call from its result.
pub fn outcome_of(call: Call, ending: &Ending) -> Outcome {
    let Err(e) = ending.result else { return Outcome::Done };
    match e.kind {
        ErrorKind::NotOk => match ending.transaction {
            Some(transaction) => outcome_of_state(call, transaction.text(transaction.status)),
            None => Outcome::Pending,
        },
        ErrorKind::Connect
        | ErrorKind::Tls
        | ErrorKind::Unauthorized
        | ErrorKind::Api
        | ErrorKind::Cancelled
        | ErrorKind::Expired => Outcome::NotDone,
        // The request was received (a 5xx, 1xx, 101 or 304): it may have been executed.
        ErrorKind::Http => match ending.http_status {
            Some(status) if status >= 500 || (100..200).contains(&status) || status == 304 => Outcome::Pending,
            _ => Outcome::NotDone,
        },
        _ => Outcome::Pending,
    }
}

/// What a transaction in `status` says about a call of kind `call`: for a start the verdict (paid: done; not
/// paid: not done; in progress or unknown: pending); for a cancel or abort the state the call makes (done), an
/// in-progress one (pending) or any other (not done). A create is done once a transaction exists.
pub fn outcome_of_state(call: Call, status: Option<&str>) -> Outcome {
    match call {
        Call::Start => match Verdict::of(status) {
            Verdict::Paid => Outcome::Done,
            Verdict::NotPaid => Outcome::NotDone,
            Verdict::InProgress | Verdict::Unknown => Outcome::Pending,
        },
        Call::Cancel | Call::CancelByReceipt | Call::Abort => {
            let made = if call == Call::Abort { Status::Aborted } else { Status::Cancelled };
            match Status::of(status) {
                s if s == made => Outcome::Done,
                Status::Processing | Status::Pending | Status::Approved => Outcome::Pending,
                _ => Outcome::NotDone,
            }
        }
        Call::Create => Outcome::Done,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ending_of<'a>(result: &'a Result<(), Error>, status: Option<u16>, tx: Option<&'a Transaction>) -> Ending<'a> {
        Ending { result, http_status: status, body: b"", transaction: tx }
    }

    #[test]
    fn the_contracts_outcome_table() {
        let ok = Ok(());
        assert_eq!(outcome_of(Call::Start, &ending_of(&ok, Some(200), None)), Outcome::Done);
        let err = |kind| Err(Error::new(kind, "x"));
        for kind in [
            ErrorKind::Connect,
            ErrorKind::Tls,
            ErrorKind::Unauthorized,
            ErrorKind::Api,
            ErrorKind::Cancelled,
            ErrorKind::Expired,
        ] {
            assert_eq!(outcome_of(Call::Start, &ending_of(&err(kind), None, None)), Outcome::NotDone, "{kind:?}");
        }
        for kind in [ErrorKind::OutcomeUnknown, ErrorKind::BadResponse, ErrorKind::NotOk] {
            assert_eq!(outcome_of(Call::Start, &ending_of(&err(kind), Some(200), None)), Outcome::Pending, "{kind:?}");
        }
        for (status, outcome) in [
            (500, Outcome::Pending),
            (503, Outcome::Pending),
            (101, Outcome::Pending),
            (100, Outcome::Pending),
            (304, Outcome::Pending),
            (302, Outcome::NotDone),
            (404, Outcome::NotDone),
            (418, Outcome::NotDone),
        ] {
            let http = err(ErrorKind::Http);
            assert_eq!(outcome_of(Call::Start, &ending_of(&http, Some(status), None)), outcome, "{status}");
        }
        let tx = |status: &str| Transaction::from_json(format!(r#"{{"status":"{status}"}}"#).as_bytes()).unwrap();
        let not_ok = err(ErrorKind::NotOk);
        for (status, outcome) in
            [("failed", Outcome::NotDone), ("processing", Outcome::Pending), ("odd", Outcome::Pending)]
        {
            let declined = tx(status);
            assert_eq!(outcome_of(Call::Start, &ending_of(&not_ok, Some(200), Some(&declined))), outcome, "{status}");
        }
    }

    #[test]
    fn cancel_and_abort_by_the_state_they_make() {
        assert_eq!(outcome_of_state(Call::Cancel, Some("canceled")), Outcome::Done);
        assert_eq!(outcome_of_state(Call::Cancel, Some("cancelled")), Outcome::Done);
        assert_eq!(outcome_of_state(Call::Cancel, Some("ok")), Outcome::NotDone);
        assert_eq!(outcome_of_state(Call::Abort, Some("aborted")), Outcome::Done);
        assert_eq!(outcome_of_state(Call::Abort, Some("created")), Outcome::NotDone);
        assert_eq!(outcome_of_state(Call::Abort, Some("pending")), Outcome::Pending);
        assert_eq!(outcome_of_state(Call::Start, Some("created")), Outcome::NotDone);
        assert_eq!(outcome_of_state(Call::Start, Some("ok")), Outcome::Done);
        assert_eq!(outcome_of_state(Call::Start, Some("approved")), Outcome::Pending);
    }
}
