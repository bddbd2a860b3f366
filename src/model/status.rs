//! The status values a Smart Transaction is known to take, so that a register can `match` instead of comparing
//! strings. The string as the API wrote it stays in [`Transaction::status`](super::Transaction::status).

/// A transaction's `status`. `Unknown` is any value not listed here (it passes through as a string); both
/// spellings `cancelled` and `canceled` are [`Status::Cancelled`]. Matching is exact: `"OK"` is `Unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Created,
    Processing,
    Approved,
    Pending,
    /// Paid.
    Ok,
    Received,
    Shipped,
    Collection,
    Collected,
    Failed,
    Aborted,
    Timeout,
    Finished,
    Deleted,
    /// `cancelled` or `canceled`.
    Cancelled,
    Unknown,
}

impl Status {
    /// The status for a value as the API wrote it; `None` (no status in the answer) is `Unknown`.
    pub fn of(status: Option<&str>) -> Status {
        match status {
            Some("created") => Status::Created,
            Some("processing") => Status::Processing,
            Some("approved") => Status::Approved,
            Some("pending") => Status::Pending,
            Some("ok") => Status::Ok,
            Some("received") => Status::Received,
            Some("shipped") => Status::Shipped,
            Some("collection") => Status::Collection,
            Some("collected") => Status::Collected,
            Some("failed") => Status::Failed,
            Some("aborted") => Status::Aborted,
            Some("timeout") => Status::Timeout,
            Some("finished") => Status::Finished,
            Some("deleted") => Status::Deleted,
            Some("cancelled" | "canceled") => Status::Cancelled,
            _ => Status::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Status;

    #[test]
    fn both_spellings_of_cancelled_and_exact_matching() {
        assert_eq!(Status::of(Some("cancelled")), Status::Cancelled);
        assert_eq!(Status::of(Some("canceled")), Status::Cancelled);
        assert_eq!(Status::of(Some("ok")), Status::Ok);
        for other in [Some("OK"), Some(" ok"), Some(""), Some("something new"), None] {
            assert_eq!(Status::of(other), Status::Unknown, "{other:?}");
        }
    }
}
