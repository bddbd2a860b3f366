//! What a transaction's status means for the register after a lost answer.

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
        match status {
            Some("ok" | "received" | "shipped" | "collection" | "collected" | "finished") => Verdict::Paid,
            Some("created" | "aborted" | "failed" | "cancelled" | "canceled" | "timeout") => Verdict::NotPaid,
            Some("processing" | "pending" | "approved") => Verdict::InProgress,
            _ => Verdict::Unknown,
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
