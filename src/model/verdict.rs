//! What a transaction's status means for the register after a lost answer.

use super::status::Status;

/// The contract's table. `Paid`: `ok` or a state only a paid transaction reaches. `NotPaid`: `created` (the
/// start never ran: starting again is safe) or a dead end (`aborted`, `failed`, `cancelled`/`canceled`,
/// `timeout`). `InProgress`: the terminal is still at it; read again later. `Unknown`: anything else, to be
/// settled by a person, never by starting again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Unknown,
    Paid,
    NotPaid,
    InProgress,
}

impl Verdict {
    /// The verdict for a status as the API wrote it (`None`: the answer had none).
    pub fn of(status: Option<&str>) -> Verdict {
        match Status::of(status) {
            Status::Ok
            | Status::Received
            | Status::Shipped
            | Status::Collection
            | Status::Collected
            | Status::Finished => Verdict::Paid,
            Status::Created | Status::Aborted | Status::Failed | Status::Cancelled | Status::Timeout => {
                Verdict::NotPaid
            }
            Status::Processing | Status::Pending | Status::Approved => Verdict::InProgress,
            Status::Deleted | Status::Unknown => Verdict::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Verdict::{self, *};

    #[test]
    fn the_contract_table() {
        let table: &[(Option<&str>, Verdict)] = &[
            (Some("ok"), Paid),
            (Some("received"), Paid),
            (Some("shipped"), Paid),
            (Some("collection"), Paid),
            (Some("collected"), Paid),
            (Some("finished"), Paid),
            (Some("created"), NotPaid),
            (Some("aborted"), NotPaid),
            (Some("failed"), NotPaid),
            (Some("cancelled"), NotPaid),
            (Some("canceled"), NotPaid),
            (Some("timeout"), NotPaid),
            (Some("processing"), InProgress),
            (Some("pending"), InProgress),
            (Some("approved"), InProgress),
            (Some("deleted"), Unknown),
            (Some("OK"), Unknown),
            (Some(""), Unknown),
            (Some("something new"), Unknown),
            (None, Unknown),
        ];
        for &(status, verdict) in table {
            assert_eq!(Verdict::of(status), verdict, "{status:?}");
        }
    }
}
