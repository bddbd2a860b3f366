//! The answer of `GET /Smart/Transactions`: a page of transactions, `{count, data[], scroll_id}`, read as
//! leniently as one transaction.

use std::fmt;

use serde::de::{Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::lenient::{self, Integer, Text, MAX_LIST_LEN};
use super::texts::{TextRef, Texts};
use super::transaction::{ParseError, Transaction};

/// One page of a list. `count` is the number of transactions that match, over all pages; `data` holds this
/// page's (an element that is not an object is skipped, never a failure).
#[derive(Debug, Default, Clone)]
pub struct TransactionList {
    pub count: Option<i64>,
    pub data: Vec<Transaction>,
    pub scroll_id: Option<TextRef>,
    /// The string of `scroll_id` (each transaction keeps its own).
    pub texts: Texts,
}

crate::lenient_fields!(TransactionList {
    "count" => count: Integer,
    "data" => data: Transactions,
    "scroll_id" => scroll_id: Text,
});

impl TransactionList {
    /// Reads a page from JSON bytes: a JSON object, as [`Transaction::from_json`] reads one transaction.
    pub fn from_json(json: &[u8]) -> Result<TransactionList, ParseError> {
        let (list, texts) = lenient::from_json(json).map_err(|e| ParseError(e.to_string()))?;
        Ok(TransactionList { texts, ..list })
    }
}

/// The page's transactions, each read from its own text with [`Transaction::from_json`], so that each keeps its
/// answer ([`Transaction::source`]) for JSON pointers, as a transaction read alone does. Lenient as
/// [`lenient::list`]: at most [`MAX_LIST_LEN`] elements, elements that are not objects skipped, anything but a
/// list an empty page.
enum Transactions {}

impl lenient::Read for Transactions {
    type Out = Vec<Transaction>;
    fn read<'de, D: Deserializer<'de>>(d: D, _: &mut Texts) -> Result<Self::Out, D::Error> {
        d.deserialize_any(TransactionsVisitor)
    }
}

struct TransactionsVisitor;

impl<'de> Visitor<'de> for TransactionsVisitor {
    type Value = Vec<Transaction>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of transactions")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        let mut seen = 0;
        while seen < MAX_LIST_LEN {
            // One element's text at a time: the page is never held twice.
            let Some(raw) = seq.next_element::<Box<RawValue>>()? else { return Ok(out) };
            seen += 1;
            if raw.get().starts_with('{') {
                out.extend(Transaction::from_json(raw.get().as_bytes()).ok());
            }
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(out)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Vec::new())
    }
    crate::scalars_read_as!(Vec::new());
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
        assert_eq!(page.data[0].text(page.data[0].trans_id), Some("7"));
        assert_eq!(page.texts.get_opt(page.scroll_id), Some("x"));
        let empty = TransactionList::from_json(br#"{"count":0,"data":null}"#).unwrap();
        assert!(empty.data.is_empty());
        assert!(TransactionList::from_json(b"[]").is_err());
    }

    #[test]
    fn each_listed_transaction_keeps_its_answer_for_json_pointers() {
        let page = TransactionList::from_json(
            br#"{"count":2,"data":[{"id":"STX_1","customer":{"name":"Max"}}, {"id":"STX_2","x":[1, 2]}]}"#,
        )
        .unwrap();
        assert_eq!(page.data[0].pointer("/customer/name").as_deref(), Ok("Max"));
        assert_eq!(page.data[1].pointer("/x").as_deref(), Ok("[1,2]"));
        assert_eq!(page.data[1].pointer("/customer"), Err(crate::model::PointerError::Absent));
        let capped = format!(r#"{{"count":1,"data":[{}]}}"#, vec!["{}"; MAX_LIST_LEN + 3].join(","));
        assert_eq!(TransactionList::from_json(capped.as_bytes()).unwrap().data.len(), MAX_LIST_LEN);
    }
}
