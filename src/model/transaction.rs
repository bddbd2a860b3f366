//! The Smart Transaction object, read once into typed structures.
//!
//! Every field is optional and read leniently (see [`super::lenient`]): the seed sends `articleNumber` as a
//! number and `trans_id` as a string while the spec says the opposite, and unknown fields are ignored.

use serde::Deserialize;

use super::lenient;
use super::receipt::{self, ReceiptLine};

/// Why bytes are not a transaction.
#[derive(Debug)]
pub struct ParseError(String);

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParseError {}

/// A reference to another object: `{"object": "loyalty.transactions", "id": "LTX_..."}`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct Reference {
    #[serde(deserialize_with = "lenient::text")]
    pub object: Option<String>,
    #[serde(deserialize_with = "lenient::text")]
    pub id: Option<String>,
    /// Merchants carry their name.
    #[serde(deserialize_with = "lenient::text")]
    pub companyname: Option<String>,
}

/// One basket position. Money is in cents, `tax` a whole VAT percentage.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct Product {
    #[serde(deserialize_with = "lenient::integer")]
    pub id: Option<i64>,
    #[serde(deserialize_with = "lenient::integer")]
    pub parent: Option<i64>,
    #[serde(deserialize_with = "lenient::text")]
    pub item_type: Option<String>,
    #[serde(rename = "articleNumber", deserialize_with = "lenient::text")]
    pub article_number: Option<String>,
    #[serde(deserialize_with = "lenient::text")]
    pub ean: Option<String>,
    #[serde(deserialize_with = "lenient::text")]
    pub desc: Option<String>,
    #[serde(deserialize_with = "lenient::integer")]
    pub quantity: Option<i64>,
    #[serde(rename = "priceOne", deserialize_with = "lenient::integer")]
    pub price_one: Option<i64>,
    #[serde(deserialize_with = "lenient::integer")]
    pub tax: Option<i64>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct Basket {
    #[serde(deserialize_with = "lenient::list")]
    pub products: Vec<Product>,
    #[serde(rename = "type", deserialize_with = "lenient::text")]
    pub kind: Option<String>,
}

/// Sums in cents.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct BasketInfo {
    #[serde(deserialize_with = "lenient::integer")]
    pub sum: Option<i64>,
    #[serde(deserialize_with = "lenient::integer")]
    pub gratuity: Option<i64>,
    #[serde(deserialize_with = "lenient::integer")]
    pub missing_sum: Option<i64>,
    #[serde(deserialize_with = "lenient::text")]
    pub currency: Option<String>,
}

/// The customer's card and its balances (cents or points).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct MerchantCard {
    #[serde(deserialize_with = "lenient::text")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient::integer")]
    pub points: Option<i64>,
    #[serde(deserialize_with = "lenient::integer")]
    pub cash_balance: Option<i64>,
    #[serde(deserialize_with = "lenient::integer")]
    pub bonus_balance: Option<i64>,
    #[serde(deserialize_with = "lenient::integer")]
    pub balance: Option<i64>,
    #[serde(deserialize_with = "lenient::text")]
    pub lock_status: Option<String>,
    #[serde(deserialize_with = "lenient::text")]
    pub stock_status: Option<String>,
}

/// A card or other identification presented for the transaction.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct Ident {
    #[serde(deserialize_with = "lenient::text")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient::text")]
    pub prefix: Option<String>,
    #[serde(deserialize_with = "lenient::text")]
    pub name: Option<String>,
    #[serde(rename = "type", deserialize_with = "lenient::text")]
    pub kind: Option<String>,
    #[serde(deserialize_with = "lenient::text")]
    pub value: Option<String>,
    #[serde(deserialize_with = "lenient::boolean")]
    pub valid: Option<bool>,
    #[serde(deserialize_with = "lenient::object")]
    pub merchantcard: Option<MerchantCard>,
}

/// A Smart Transaction as the API answers it.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct Transaction {
    #[serde(deserialize_with = "lenient::text")]
    pub object: Option<String>,
    #[serde(deserialize_with = "lenient::text")]
    pub id: Option<String>,
    /// `ok` means paid; other values (`failed`, `cancelled`, ...) pass through as sent.
    #[serde(deserialize_with = "lenient::text")]
    pub status: Option<String>,
    #[serde(deserialize_with = "lenient::text")]
    pub created: Option<String>,
    #[serde(deserialize_with = "lenient::text")]
    pub updated: Option<String>,
    #[serde(deserialize_with = "lenient::object")]
    pub merchant: Option<Reference>,
    #[serde(deserialize_with = "lenient::object")]
    pub device_source: Option<Reference>,
    #[serde(deserialize_with = "lenient::object")]
    pub device_destination: Option<Reference>,
    #[serde(deserialize_with = "lenient::list")]
    pub transactions: Vec<Reference>,
    #[serde(deserialize_with = "lenient::object")]
    pub basket: Option<Basket>,
    #[serde(deserialize_with = "lenient::object")]
    pub basket_info: Option<BasketInfo>,
    #[serde(deserialize_with = "lenient::list")]
    pub idents: Vec<Ident>,
    #[serde(deserialize_with = "lenient::text")]
    pub payment_method: Option<String>,
    #[serde(deserialize_with = "lenient::text")]
    pub trans_id: Option<String>,
    #[serde(deserialize_with = "lenient::text")]
    pub receipt_number: Option<String>,
    #[serde(rename = "merchantRef", deserialize_with = "lenient::text")]
    pub merchant_ref: Option<String>,
    #[serde(rename = "transactionRef", deserialize_with = "lenient::text")]
    pub transaction_ref: Option<String>,
    #[serde(deserialize_with = "lenient::text")]
    pub intent: Option<String>,
    #[serde(deserialize_with = "lenient::boolean")]
    pub is_demo: Option<bool>,
    /// The lines to print for the customer (and the merchant, where no merchant copy is sent).
    #[serde(deserialize_with = "receipt::deserialize_lines")]
    pub receipt: Vec<ReceiptLine>,
    /// The merchant copy.
    #[serde(deserialize_with = "receipt::deserialize_lines")]
    pub receipt_merchant: Vec<ReceiptLine>,
    /// `true` asks the register to print the merchant copy.
    #[serde(deserialize_with = "lenient::boolean")]
    pub receipt_merchant_print: Option<bool>,
}

impl Transaction {
    /// Reads a transaction from JSON bytes. The top level must be an object; its fields are read leniently.
    pub fn from_json(json: &[u8]) -> Result<Transaction, ParseError> {
        match json.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => {}
            Some(_) => return Err(ParseError("the JSON is not an object".into())),
            None => return Err(ParseError("the JSON is empty".into())),
        }
        // serde_json does not check the UTF-8 of strings it skips; a transaction is UTF-8 throughout.
        let text = std::str::from_utf8(json)
            .map_err(|e| ParseError(format!("not valid UTF-8 (at byte {})", e.valid_up_to())))?;
        serde_json::from_str(text).map_err(|e| ParseError(format!("malformed JSON: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::receipt::LineKind;

    const SEED: &[u8] = include_bytes!("../../fixtures/start-cash-response.json");
    const CASHLESS: &[u8] = include_bytes!("../../fixtures/start-cashless-response.json");

    #[test]
    fn the_seed_answer_reads_completely() {
        let tx = Transaction::from_json(SEED).unwrap();
        assert_eq!(tx.status.as_deref(), Some("ok"));
        assert_eq!(tx.id.as_deref(), Some("STX_KJXJDUN542NR3WMRHRVU5WWM6ZQEA2"));
        assert_eq!(tx.merchant.unwrap().companyname.as_deref(), Some("John's Bakery"));
        assert_eq!(tx.trans_id.as_deref(), Some("29008411"));
        let basket = tx.basket.unwrap();
        assert_eq!(basket.products.len(), 3);
        assert_eq!(basket.products[0].article_number.as_deref(), Some("30037"));
        let sum: i64 = basket.products.iter().map(|p| p.quantity.unwrap() * p.price_one.unwrap()).sum();
        assert_eq!(Some(sum), tx.basket_info.unwrap().sum);
        assert_eq!(tx.transactions[0].id.as_deref(), Some("LTX_YBYPUETZ2HQXURG9XU0M5H4KGWW0NH"));
        assert_eq!(tx.idents[0].merchantcard.as_ref().unwrap().balance, Some(0));
        assert_eq!(tx.receipt.len(), 4);
        assert_eq!(tx.receipt[0].kind, LineKind::Separator);
        assert!(tx.receipt_merchant.is_empty());
    }

    #[test]
    fn the_cashless_answer_with_the_opposite_types_reads_too() {
        let tx = Transaction::from_json(CASHLESS).unwrap();
        assert_eq!(tx.trans_id.as_deref(), Some("29008412"));
        assert_eq!(tx.receipt_number.as_deref(), Some("3"));
        assert_eq!(tx.basket.unwrap().products[0].article_number.as_deref(), Some("70000"));
        assert_eq!((tx.receipt.len(), tx.receipt_merchant.len()), (9, 4));
        assert_eq!(tx.receipt_merchant_print, Some(true));
    }

    #[test]
    fn wrong_shapes_are_absent_fields_not_failures() {
        let tx = Transaction::from_json(
            br#"{"status":"failed","basket":"none","idents":{"x":1},"receipt":null,"trans_id":[1],"new":{"deep":[1]}}"#,
        )
        .unwrap();
        assert_eq!(tx.status.as_deref(), Some("failed"));
        assert!(tx.basket.is_none() && tx.idents.is_empty() && tx.receipt.is_empty() && tx.trans_id.is_none());
    }

    #[test]
    fn not_an_object_or_broken_is_an_error() {
        for bad in [&b""[..], b"  ", b"[]", b"\"ok\"", b"{\"status\":", b"{\"status\":\"ok\"} x", b"{\"a\":\"\xff\"}"] {
            assert!(Transaction::from_json(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
    }
}
