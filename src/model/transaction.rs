//! The Smart Transaction object, read once into typed structures.
//!
//! Every field is optional and read leniently (see [`super::lenient`]): the seed sends `articleNumber` as a
//! number and `trans_id` as a string while the spec says the opposite, and unknown fields are ignored.

use super::lenient::{self, Boolean, Identifier, Integer, List, Object, Text};
use super::receipt::{self, ReceiptLine};
use super::source::{PointerError, Source};
use super::status::Status;
use super::texts::{TextRef, Texts};

/// Why bytes are not a transaction.
#[derive(Debug)]
pub struct ParseError(pub(super) String);

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParseError {}

/// A reference to another object: `{"object": "loyalty.transactions", "id": "LTX_..."}`.
#[derive(Debug, Default, Clone)]
pub struct Reference {
    pub object: Option<TextRef>,
    pub id: Option<TextRef>,
    /// Merchants carry their name.
    pub companyname: Option<TextRef>,
}

crate::lenient_fields!(Reference {
    "object" => object: Text,
    "id" => id: Text,
    "companyname" => companyname: Text,
});

/// One basket position. Money is in cents, `tax` a whole VAT percentage.
#[derive(Debug, Default, Clone)]
pub struct Product {
    pub id: Option<i64>,
    pub parent: Option<i64>,
    pub item_type: Option<TextRef>,
    pub article_number: Option<TextRef>,
    pub ean: Option<TextRef>,
    pub desc: Option<TextRef>,
    pub quantity: Option<i64>,
    pub price_one: Option<i64>,
    pub tax: Option<i64>,
}

crate::lenient_fields!(Product {
    "id" => id: Integer,
    "parent" => parent: Integer,
    "item_type" => item_type: Text,
    "articleNumber" => article_number: Text,
    "ean" => ean: Text,
    "desc" => desc: Text,
    "quantity" => quantity: Integer,
    "priceOne" => price_one: Integer,
    "tax" => tax: Integer,
});

#[derive(Debug, Default, Clone)]
pub struct Basket {
    pub products: Vec<Product>,
    pub kind: Option<TextRef>,
}

crate::lenient_fields!(Basket {
    "products" => products: List<Product>,
    "type" => kind: Text,
});

/// Sums in cents.
#[derive(Debug, Default, Clone)]
pub struct BasketInfo {
    pub sum: Option<i64>,
    pub gratuity: Option<i64>,
    pub missing_sum: Option<i64>,
    pub currency: Option<TextRef>,
}

crate::lenient_fields!(BasketInfo {
    "sum" => sum: Integer,
    "gratuity" => gratuity: Integer,
    "missing_sum" => missing_sum: Integer,
    "currency" => currency: Text,
});

/// The loyalty card itself: `merchantcard.card`.
#[derive(Debug, Default, Clone)]
pub struct Card {
    pub id: Option<TextRef>,
    pub cardnumber: Option<TextRef>,
}

crate::lenient_fields!(Card {
    "id" => id: Text,
    "cardnumber" => cardnumber: Text,
});

/// The card's group (e.g. a gift voucher programme): `merchantcard.cardgroup`.
#[derive(Debug, Default, Clone)]
pub struct CardGroup {
    pub id: Option<TextRef>,
    /// The name to show the cashier, e.g. "Geschenkgutschein".
    pub display_name: Option<TextRef>,
}

crate::lenient_fields!(CardGroup {
    "id" => id: Text,
    "display_name" => display_name: Text,
});

/// The customer's card and its balances (cents or points).
#[derive(Debug, Default, Clone)]
pub struct MerchantCard {
    pub id: Option<TextRef>,
    pub card: Option<Card>,
    pub cardgroup: Option<CardGroup>,
    pub points: Option<i64>,
    pub cash_balance: Option<i64>,
    pub bonus_balance: Option<i64>,
    pub balance: Option<i64>,
    pub lock_status: Option<TextRef>,
    pub stock_status: Option<TextRef>,
}

crate::lenient_fields!(MerchantCard {
    "id" => id: Text,
    "card" => card: Object<Card>,
    "cardgroup" => cardgroup: Object<CardGroup>,
    "points" => points: Integer,
    "cash_balance" => cash_balance: Integer,
    "bonus_balance" => bonus_balance: Integer,
    "balance" => balance: Integer,
    "lock_status" => lock_status: Text,
    "stock_status" => stock_status: Text,
});

/// A card or other identification presented for the transaction.
#[derive(Debug, Default, Clone)]
pub struct Ident {
    pub id: Option<TextRef>,
    pub prefix: Option<TextRef>,
    pub name: Option<TextRef>,
    pub kind: Option<TextRef>,
    pub value: Option<TextRef>,
    pub valid: Option<bool>,
    pub merchantcard: Option<MerchantCard>,
}

crate::lenient_fields!(Ident {
    "id" => id: Text,
    "prefix" => prefix: Text,
    "name" => name: Text,
    "type" => kind: Text,
    "value" => value: Text,
    "valid" => valid: Boolean,
    "merchantcard" => merchantcard: Object<MerchantCard>,
});

impl Ident {
    /// The card number: `value`, else `merchantcard.card.cardnumber`.
    pub fn card_number(&self) -> Option<TextRef> {
        self.value.or_else(|| self.merchantcard.as_ref()?.card.as_ref()?.cardnumber)
    }

    /// The card group's name to show: `merchantcard.cardgroup.display_name`.
    pub fn card_group_name(&self) -> Option<TextRef> {
        self.merchantcard.as_ref()?.cardgroup.as_ref()?.display_name
    }
}

/// A Smart Transaction as the API answers it.
#[derive(Debug, Default, Clone)]
pub struct Transaction {
    pub object: Option<TextRef>,
    /// A string, or `None` ([`lenient::identifier`]: a number, null or an object in its place is no id), so that
    /// whether an answer is about the transaction asked for is decided on what the API wrote.
    pub id: Option<TextRef>,
    /// `ok` means paid; other values (`failed`, `cancelled`, ...) pass through as sent.
    pub status: Option<TextRef>,
    pub created: Option<TextRef>,
    pub updated: Option<TextRef>,
    pub merchant: Option<Reference>,
    pub device_source: Option<Reference>,
    pub device_destination: Option<Reference>,
    pub transactions: Vec<Reference>,
    pub basket: Option<Basket>,
    pub basket_info: Option<BasketInfo>,
    pub idents: Vec<Ident>,
    pub payment_method: Option<TextRef>,
    pub trans_id: Option<TextRef>,
    pub receipt_number: Option<TextRef>,
    pub merchant_ref: Option<TextRef>,
    pub transaction_ref: Option<TextRef>,
    pub intent: Option<TextRef>,
    pub is_demo: Option<bool>,
    /// The lines to print for the customer (and the merchant, where no merchant copy is sent).
    pub receipt: Vec<ReceiptLine>,
    /// The merchant copy.
    pub receipt_merchant: Vec<ReceiptLine>,
    /// `true` asks the register to print the merchant copy.
    pub receipt_merchant_print: Option<bool>,
    /// The strings of every field above ([`Transaction::text`]).
    pub texts: Texts,
    /// The answer this was read from, for [`Transaction::pointer`]. Empty unless read by
    /// [`Transaction::from_json`].
    pub source: Source,
}

crate::lenient_fields!(Transaction {
    "object" => object: Text,
    "id" => id: Identifier,
    "status" => status: Text,
    "created" => created: Text,
    "updated" => updated: Text,
    "merchant" => merchant: Object<Reference>,
    "device_source" => device_source: Object<Reference>,
    "device_destination" => device_destination: Object<Reference>,
    "transactions" => transactions: List<Reference>,
    "basket" => basket: Object<Basket>,
    "basket_info" => basket_info: Object<BasketInfo>,
    "idents" => idents: List<Ident>,
    "payment_method" => payment_method: Text,
    "trans_id" => trans_id: Text,
    "receipt_number" => receipt_number: Text,
    "merchantRef" => merchant_ref: Text,
    "transactionRef" => transaction_ref: Text,
    "intent" => intent: Text,
    "is_demo" => is_demo: Boolean,
    "receipt" => receipt: receipt::Lines,
    "receipt_merchant" => receipt_merchant: receipt::Lines,
    "receipt_merchant_print" => receipt_merchant_print: Boolean,
});

impl Transaction {
    /// Reads a transaction from JSON bytes: a JSON object (after an optional UTF-8 byte-order mark), its fields
    /// read leniently (see [`lenient`]). This is the one reading of an answer: `sx_start_cash` decides success
    /// with it, and `sx_transaction_parse` uses it, so a payment reported as done always parses.
    ///
    /// The text is kept in [`Transaction::source`], so that [`Transaction::pointer`] reaches any field.
    pub fn from_json(json: &[u8]) -> Result<Transaction, ParseError> {
        let (mut transaction, texts, text): (Transaction, _, _) =
            lenient::read(json).map_err(|e| ParseError(e.to_string()))?;
        transaction.texts = texts;
        transaction.source = Source::new(text.into_owned());
        Ok(transaction)
    }

    /// The string of a field of this transaction (`tx.text(tx.status)`, `tx.text(line.caption)`, ...).
    pub fn text(&self, field: impl Into<Option<TextRef>>) -> Option<&str> {
        self.texts.get_opt(field.into())
    }

    /// The status as a [`Status`]; [`Transaction::status`] keeps the string as the API wrote it.
    pub fn status_kind(&self) -> Status {
        Status::of(self.text(self.status))
    }

    /// The currency of the sums, `basket_info.currency` (e.g. "EUR").
    pub fn currency(&self) -> Option<&str> {
        self.text(self.basket_info.as_ref()?.currency)
    }

    /// What remains to pay in cents after a card's balance, `basket_info.missing_sum`.
    pub fn missing_sum(&self) -> Option<i64> {
        self.basket_info.as_ref()?.missing_sum
    }

    /// The basket's products (empty when there is no basket).
    pub fn products(&self) -> &[Product] {
        self.basket.as_ref().map_or(&[], |basket| &basket.products)
    }

    /// Any field of the answer as text, by RFC 6901 JSON pointer (see [`Source::pointer_text`]), e.g.
    /// `"/idents/0/merchantcard/customer/contact/name"`, followed through the kept answer without building a tree.
    pub fn pointer(&self, pointer: &str) -> Result<String, PointerError> {
        self.source.pointer_text(pointer)
    }
}

/// What `POST /Smart/Transactions/{id}/preTransaction` answers: what remains to pay and the bonus products a
/// customer card brings (negative `priceOne`). Read leniently, like [`Transaction`].
#[derive(Debug, Default, Clone)]
pub struct PreTransaction {
    /// In cents; `None` when the answer had none.
    pub missing_sum: Option<i64>,
    pub bonus_products: Vec<Product>,
    /// The strings of the products.
    pub texts: Texts,
}

crate::lenient_fields!(PreTransaction {
    "missing_sum" => missing_sum: Integer,
    "bonus_products" => bonus_products: List<Product>,
});

impl PreTransaction {
    /// Reads the answer from JSON bytes: a JSON object, as for [`Transaction::from_json`].
    pub fn from_json(json: &[u8]) -> Result<PreTransaction, ParseError> {
        let (pre, texts) = lenient::from_json(json).map_err(|e| ParseError(e.to_string()))?;
        Ok(PreTransaction { texts, ..pre })
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
        assert_eq!(tx.text(tx.status), Some("ok"));
        assert_eq!(tx.text(tx.id), Some("STX_KJXJDUN542NR3WMRHRVU5WWM6ZQEA2"));
        assert_eq!(tx.text(tx.merchant.as_ref().unwrap().companyname), Some("John's Bakery"));
        assert_eq!(tx.text(tx.trans_id), Some("29008411"));
        let basket = tx.basket.as_ref().unwrap();
        assert_eq!(basket.products.len(), 3);
        assert_eq!(tx.text(basket.products[0].article_number), Some("30037"));
        let sum: i64 = basket.products.iter().map(|p| p.quantity.unwrap() * p.price_one.unwrap()).sum();
        assert_eq!(Some(sum), tx.basket_info.as_ref().unwrap().sum);
        assert_eq!(tx.text(tx.transactions[0].id), Some("LTX_YBYPUETZ2HQXURG9XU0M5H4KGWW0NH"));
        assert_eq!(tx.idents[0].merchantcard.as_ref().unwrap().balance, Some(0));
        assert_eq!(tx.receipt.len(), 4);
        assert_eq!(tx.receipt[0].kind, LineKind::Separator);
        assert!(tx.receipt_merchant.is_empty());
    }

    #[test]
    fn the_cashless_answer_with_the_opposite_types_reads_too() {
        let tx = Transaction::from_json(CASHLESS).unwrap();
        assert_eq!(tx.text(tx.trans_id), Some("29008412"));
        assert_eq!(tx.text(tx.receipt_number), Some("3"));
        assert_eq!(tx.text(tx.products()[0].article_number), Some("70000"));
        assert_eq!((tx.receipt.len(), tx.receipt_merchant.len()), (9, 4));
        assert_eq!(tx.receipt_merchant_print, Some(true));
    }

    #[test]
    fn wrong_shapes_are_absent_fields_not_failures() {
        let tx = Transaction::from_json(
            br#"{"status":"failed","basket":"none","idents":{"x":1},"receipt":null,"trans_id":[1],"new":{"deep":[1]}}"#,
        )
        .unwrap();
        assert_eq!(tx.text(tx.status), Some("failed"));
        assert!(tx.basket.is_none() && tx.idents.is_empty() && tx.receipt.is_empty() && tx.trans_id.is_none());
    }

    #[test]
    fn duplicates_huge_numbers_and_a_byte_order_mark_do_not_lose_a_receipt() {
        let mut json = b"\xEF\xBB\xBF".to_vec();
        json.extend_from_slice(
            br#"{"status":"failed","basket_info":{"sum":1e999,"sum":349},"status":"ok","x":-2e400,
                "receipt":[{"type":"space"},{"type":"textline","value":{"text":"a","text":"b"}}]}"#,
        );
        let tx = Transaction::from_json(&json).unwrap();
        assert_eq!(tx.text(tx.status), Some("ok"));
        assert_eq!(tx.basket_info.as_ref().unwrap().sum, Some(349));
        assert_eq!(tx.text(tx.receipt[1].text), Some("b"));
        let tx = Transaction::from_json(br#"{"status":"ok"}"#).unwrap();
        assert_eq!(tx.text(tx.status), Some("ok"));
    }

    #[test]
    fn not_an_object_or_broken_is_an_error() {
        for bad in [&b""[..], b"  ", b"[]", b"\"ok\"", b"{\"status\":", b"{\"status\":\"ok\"} x", b"{\"a\":\"\xff\"}"] {
            assert!(Transaction::from_json(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
    }
}
