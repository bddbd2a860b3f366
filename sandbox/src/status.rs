//! The state of a sandbox transaction, and which calls each state allows: the one place that knows the API's
//! state rules (before, status strings were checked in transaction.rs and store.rs).
//!
//! ```text
//! created ──start (a terminal method)──> processing ──the terminal ends──> ok | failed
//! created ──start (any other method)──────────────────────────────────────> ok | failed
//! created ──abort──> aborted          ok ──cancel (or canceltrx)──> cancelled
//! update and preTransaction: only while created
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

/// The `status` of a transaction, as the API writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum Status {
    Created,
    /// A start by a method that waits for the card terminal, until the terminal ends it.
    Processing,
    Ok,
    /// Declined.
    Failed,
    Cancelled,
    Aborted,
    /// A status the sandbox never gives but a state file may hold (a test's "deleted"): kept as it is, and
    /// refused by every call as one not started and not paid.
    Other(String),
}

/// The calls that a state may refuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    Update,
    Start,
    PreTransaction,
    Cancel,
    Abort,
}

/// Why a state refuses a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotAllowed {
    /// A start of a transaction started before: the API's own error.
    AlreadyStarted,
    /// Any other refusal; the text is the error's details.
    Invalid(String),
}

impl Status {
    pub fn as_str(&self) -> &str {
        match self {
            Status::Created => "created",
            Status::Processing => "processing",
            Status::Ok => "ok",
            Status::Failed => "failed",
            Status::Cancelled => "cancelled",
            Status::Aborted => "aborted",
            Status::Other(text) => text,
        }
    }

    /// Whether `call` may run on a transaction in this state.
    pub fn allows(&self, call: Call) -> Result<(), NotAllowed> {
        let refused = |text: String| Err(NotAllowed::Invalid(text));
        match (call, self) {
            (Call::Update | Call::Start | Call::PreTransaction | Call::Abort, Status::Created) => Ok(()),
            (Call::Cancel, Status::Ok) => Ok(()),
            (Call::Update, other) => {
                refused(format!("Only a transaction that was not started can be updated, not {other}"))
            }
            (Call::Start, Status::Aborted) => refused("The transaction was aborted".into()),
            (Call::Start, _) => Err(NotAllowed::AlreadyStarted),
            (Call::PreTransaction, other) => {
                refused(format!("preTransaction needs a transaction not started, not {other}"))
            }
            (Call::Cancel, other) => {
                refused(format!("Only a transaction with status ok can be cancelled, not {other}"))
            }
            (Call::Abort, other) => {
                refused(format!("Only a transaction that was not started can be aborted, not {other}"))
            }
        }
    }

    /// The state a start ends in.
    pub fn of_finished_start(declined: bool) -> Status {
        if declined {
            Status::Failed
        } else {
            Status::Ok
        }
    }
}

impl From<String> for Status {
    fn from(text: String) -> Status {
        match text.as_str() {
            "created" => Status::Created,
            "processing" => Status::Processing,
            "ok" => Status::Ok,
            "failed" => Status::Failed,
            "cancelled" => Status::Cancelled,
            "aborted" => Status::Aborted,
            _ => Status::Other(text),
        }
    }
}

impl From<Status> for String {
    fn from(status: Status) -> String {
        status.as_str().to_owned()
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// So that a test reads `assert_eq!(tx.status, "ok")`, as the API's text.
impl PartialEq<&str> for Status {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_created_transaction_starts_and_only_a_paid_one_is_cancelled() {
        assert_eq!(Status::Created.allows(Call::Start), Ok(()));
        assert_eq!(Status::Ok.allows(Call::Start), Err(NotAllowed::AlreadyStarted));
        assert_eq!(Status::Processing.allows(Call::Start), Err(NotAllowed::AlreadyStarted));
        assert!(matches!(Status::Aborted.allows(Call::Start), Err(NotAllowed::Invalid(_))));
        assert_eq!(Status::Ok.allows(Call::Cancel), Ok(()));
        for status in [Status::Created, Status::Processing, Status::Failed, Status::Cancelled, Status::Aborted] {
            assert!(status.allows(Call::Cancel).is_err(), "{status}");
            assert_eq!(status.allows(Call::Abort).is_ok(), status == Status::Created, "{status}");
        }
        let read: Status = serde_json::from_str("\"cancelled\"").unwrap();
        assert_eq!(read, Status::Cancelled);
        let kept: Status = serde_json::from_str("\"deleted\"").unwrap();
        assert_eq!(
            (serde_json::to_string(&kept).unwrap().as_str(), kept.allows(Call::Start)),
            ("\"deleted\"", Err(NotAllowed::AlreadyStarted))
        );
    }
}
