//! What a request is and expects, in the terms its answer is judged by ([`outcome`](super::outcome)) and its
//! failures are told in ([`failure`](super::failure)): what it does, which transaction its answer must be
//! about, and which states make it a success.

use super::validate::TransactionId;

/// What a request does, so that its messages give the advice that fits it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// A token request: when it fails, the call it was for is not sent; the caller says so.
    Token,
    /// Reads and changes nothing: safe to repeat.
    Read,
    /// Changes a transaction, or makes the terminal act, without paying (create, update, cancel, abort, the
    /// end of day): its messages speak of the request.
    Change,
    /// A start: pays. Its messages speak of the payment.
    Payment,
}

/// What a 2xx answer must be to count as the answer to its request and as the call's success. It travels with
/// the request, so that every way a call is sent (an `sx_client`, the process-wide `sx_start_cash`) has its
/// answer judged in the one place where an answer becomes a result ([`Sent::classified`](super::Sent::classified)).
#[derive(Debug, Clone, Copy, Default)]
pub struct Expect<'a> {
    pub subject: Subject<'a>,
    pub state: Wanted,
}

/// Which transaction the answer must be.
#[derive(Debug, Clone, Copy, Default)]
pub enum Subject<'a> {
    /// Anything (a list, a pre-check, a terminal's report): not checked here.
    #[default]
    Unchecked,
    /// A transaction with an id of its own: the answer of a create or of a reversal by receipt number, which
    /// name none in their request.
    Identified,
    /// The transaction the request names (`.../Transactions/{id}...`). On a kept-alive connection the id is
    /// also the only thing that ties an answer to its request: HTTP/1.1 has no request ids.
    Transaction(TransactionId<'a>),
    /// Not a transaction: a loyalty card, a device, a list of payment methods. Any 2xx JSON answer that is not
    /// the API's error body passes here; the call reads it with its own model, which checks that it is about
    /// what the request asked (the card number, the device id).
    Document,
}

/// The states of the transaction that make the call a success; another state is [`ErrorKind::NotOk`](super::ErrorKind::NotOk) with the
/// transaction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Wanted {
    /// `ok`: a payment (a start) or a terminal's report.
    #[default]
    Paid,
    /// Any status: a read, a create, an update.
    AnyState,
    /// `cancelled` or `canceled`: a cancel or a reversal by receipt number.
    Cancelled,
    /// `aborted`: an abort.
    Aborted,
}
