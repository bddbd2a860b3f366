//! The answer of `GET /Smart/Transactions`: a page of transactions, `{count, data[], scroll_id}`, read as
//! leniently as one transaction.

use super::lenient::{self, Integer, List, Text};
use super::transaction::{ParseError, Transaction};

/// One page of a list. `count` is the number of transactions that match, over all pages; `data` holds this
/// page's (an element that is not an object is skipped, never a failure).
#[derive(Debug, Default, Clone)]
pub struct TransactionList {
    pub count: Option<i64>,
    pub data: Vec<Transaction>,
    pub scroll_id: Option<String>,
}

crate::lenient_fields!(TransactionList {
    "count" => count: Integer,
    "data" => data: List<Transaction>,
    "scroll_id" => scroll_id: Text,
});

impl TransactionList {
    /// Reads a page from JSON bytes: a JSON object, as [`Transaction::from_json`] reads one transaction.
    pub fn from_json(json: &[u8]) -> Result<TransactionList, ParseError> {
        let text = lenient::prepare(json).map_err(|e| ParseError(e.to_string()))?;
        serde_json::from_str(&text).map_err(|e| ParseError(format!("malformed JSON: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_reads_with_its_total_and_odd_types() {
        let page = TransactionList::from_json(
            br#"{"count":"3","data":[{"id":"STX_1","status":"ok","trans_id":7},7,{"id":"STX_2"}],"scroll_id":"x"}"#,
        )
        .unwrap();
        assert_eq!(page.count, Some(3));
        assert_eq!(page.data.len(), 2, "the element that is not an object is skipped");
        assert_eq!(page.data[0].trans_id.as_deref(), Some("7"));
        assert_eq!(page.scroll_id.as_deref(), Some("x"));
        let empty = TransactionList::from_json(br#"{"count":0,"data":null}"#).unwrap();
        assert!(empty.data.is_empty());
        assert!(TransactionList::from_json(b"[]").is_err());
    }
}
