//! A smart transaction as the API shows it, and the rules of its life: what a create or update body must hold,
//! what a start by each method writes into it (receipts, references, numbers), cancel, abort, preTransaction.
//! Pure functions over plain data; the store (store.rs) decides when they run and keeps the numbers.
//!
//! Copies of the seed transaction (made through the control API) are answered with the fixture's own text
//! (fixtures/start-cash-response.json) with "id", "status" and "payment_method" replaced, so clients see the
//! fixture byte for byte; see [`Transaction::to_json_text`].

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::ids;
use crate::status::{Call, NotAllowed, Status};

pub const START_CASH_RESPONSE: &str = include_str!("../../fixtures/start-cash-response.json");

/// The calling device (`me`) of every sandbox transaction, the fixture's `device_source`.
pub const DEVICE_ID: &str = "SDV_2YJDXYESB2YBHECVB5GQGSYPNM8UA6";
/// The card terminal that card payments go to.
pub const TERMINAL_DEVICE_ID: &str = "SDV_8KQW2N5TDX7RJ3MZC6V0HP4YFA1GBE";
const TERMINAL_TID: &str = "52500123";
const MERCHANT_ID: &str = "MRC_35SZ3R5GGQQP4T0U2T5GFAN9P6C4PG";
const MERCHANT_NAME: &str = "John's Bakery";

/// The payment methods `start/{method}` takes (the last two are legacy).
pub const METHODS: [&str; 10] =
    ["cash", "cashless", "debit", "invoice", "loyalty", "prepaid", "cashless_direct", "ccload", "demo", "auto"];

/// Methods that go through a card terminal: they take the terminal delay and can be declined there.
pub fn waits_for_terminal(method: &str) -> bool {
    matches!(method, "cashless" | "debit" | "ccload" | "auto")
}

/// Methods paid by card: their answer has the card receipts, a receipt number and a payment reference.
fn is_card(method: &str) -> bool {
    waits_for_terminal(method) || method == "cashless_direct"
}

/// The object, members in the API's order (the fixtures'). Nested parts are kept as JSON values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(non_snake_case)] // merchantRef and transactionRef are the API's names.
pub struct Transaction {
    pub object: String,
    pub id: String,
    pub merchant: Value,
    pub device_source: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_destination: Option<Value>,
    pub transactions: Vec<Value>,
    pub created: String,
    pub updated: String,
    pub status: Status,
    pub merchantRef: Value,
    pub transactionRef: Value,
    pub intent: Value,
    pub basket: Value,
    pub receipt: Vec<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_merchant: Option<Vec<Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_merchant_print: Option<bool>,
    pub basket_info: Value,
    pub idents: Vec<Value>,
    pub payment_method: Option<String>,
    pub trans_id: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_number: Option<u64>,
    pub is_demo: bool,
}

/// A request the API refuses with 400; the text is the error body's `error_details`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid(pub String);

/// A state's refusal of a cancel or an abort (a start is refused in the store, which tells "already started").
impl From<NotAllowed> for Invalid {
    fn from(refusal: NotAllowed) -> Invalid {
        match refusal {
            NotAllowed::Invalid(text) => Invalid(text),
            NotAllowed::AlreadyStarted => Invalid("The transaction was started already".into()),
        }
    }
}

fn invalid(text: impl Into<String>) -> Invalid {
    Invalid(text.into())
}

/// Numbers a start hands out, kept by the store so they increase across transactions and restarts.
pub trait Numbers {
    fn next_receipt_number(&mut self) -> u64;
    fn next_trans_id(&mut self) -> u64;
}

impl Transaction {
    /// A fresh copy of the seed (the fixture's content), not started yet.
    pub fn seed_copy(id: &str) -> Transaction {
        let mut transaction: Transaction =
            serde_json::from_str(START_CASH_RESPONSE).expect("the fixture is a transaction");
        transaction.id = id.to_owned();
        transaction.status = Status::Created;
        transaction
    }

    /// The transaction a create body describes (already validated here), status "created".
    pub fn from_request(id: &str, body: &Value, now: &str) -> Result<Transaction, Invalid> {
        let fields = body.as_object().ok_or_else(|| invalid("The body must be a JSON object"))?;
        let (basket, basket_info) = checked_basket(fields)?;
        Ok(Transaction {
            object: "smart.transactions".to_owned(),
            id: id.to_owned(),
            merchant: json!({"object": "general.merchants", "id": MERCHANT_ID, "companyname": MERCHANT_NAME}),
            device_source: json!({"object": "smart.devices", "id": DEVICE_ID}),
            device_destination: None,
            transactions: Vec::new(),
            created: now.to_owned(),
            updated: now.to_owned(),
            status: Status::Created,
            merchantRef: optional_text(fields, "merchantRef")?,
            transactionRef: optional_text(fields, "transactionRef")?,
            intent: optional_text(fields, "intent")?,
            basket,
            receipt: Vec::new(),
            receipt_merchant: None,
            receipt_merchant_print: None,
            basket_info,
            idents: checked_idents(fields)?,
            payment_method: None,
            trans_id: Value::Null,
            receipt_number: None,
            is_demo: match fields.get("is_demo") {
                None | Some(Value::Null) => false,
                Some(Value::Bool(demo)) => *demo,
                Some(_) => return Err(invalid("is_demo must be true or false")),
            },
        })
    }

    /// PUT: replaces basket, basket_info, idents and the references. As the API does, a body without `basket`
    /// removes the basket (and its sum).
    pub fn update(&mut self, body: &Value, now: &str) -> Result<(), Invalid> {
        let fields = body.as_object().ok_or_else(|| invalid("The body must be a JSON object"))?;
        let (basket, basket_info) = checked_basket(fields)?;
        let idents = if fields.contains_key("idents") { Some(checked_idents(fields)?) } else { None };
        for (key, slot) in [
            ("merchantRef", &mut self.merchantRef),
            ("transactionRef", &mut self.transactionRef),
            ("intent", &mut self.intent),
        ] {
            if fields.contains_key(key) {
                *slot = optional_text(fields, key)?;
            }
        }
        self.basket = basket;
        self.basket_info = basket_info;
        if let Some(idents) = idents {
            self.idents = idents;
        }
        self.updated = now.to_owned();
        Ok(())
    }

    pub fn sum(&self) -> i64 {
        self.basket_info.get("sum").and_then(Value::as_i64).unwrap_or(0)
    }

    fn currency(&self) -> String {
        self.basket_info.get("currency").and_then(Value::as_str).unwrap_or("EUR").to_owned()
    }

    /// A start by a method that waits for the terminal: the transaction is "processing" until it finishes.
    pub fn begin(&mut self, method: &str, now: &str) {
        self.status = Status::Processing;
        self.payment_method = Some(method.to_owned());
        self.updated = now.to_owned();
    }

    /// The end of a start: "ok" (or "failed" when `declined`), with the receipts, references and numbers the
    /// method gives. `direct` is the body of `cashless_direct` (tid, trace, cardtype).
    pub fn finish(
        &mut self,
        method: &str,
        declined: bool,
        direct: Option<&Value>,
        numbers: &mut impl Numbers,
        now: &str,
    ) {
        self.status = Status::of_finished_start(declined);
        self.payment_method = Some(method.to_owned());
        self.updated = now.to_owned();
        let sum = self.sum();
        let currency = self.currency();
        if is_card(method) {
            let receipt_number = numbers.next_receipt_number();
            let tid = direct.and_then(|d| d.get("tid")).map(text_of).unwrap_or_else(|| TERMINAL_TID.to_owned());
            self.device_destination = Some(json!({"object": "smart.devices", "id": TERMINAL_DEVICE_ID}));
            if !declined {
                self.transactions = vec![json!({"object": "payment.transactions", "id": ids::random_object_id("PCI")})];
            }
            self.trans_id = Value::from(numbers.next_trans_id());
            self.receipt_number = Some(receipt_number);
            self.receipt = card_receipt(receipt_number, sum, &currency, declined, &tid, direct);
            self.receipt_merchant = Some(merchant_receipt(sum, &currency, declined));
            self.receipt_merchant_print = Some(!declined);
        } else {
            let trans_id = numbers.next_trans_id();
            // The seed's cash answer has trans_id as a string: other methods keep that type.
            self.trans_id = Value::from(trans_id.to_string());
            if !self.idents.is_empty() && !declined {
                self.transactions = vec![json!({"object": "loyalty.transactions", "id": ids::random_object_id("LTX")})];
            }
            self.receipt = match self.idents.first().and_then(|i| i.get("value")).and_then(Value::as_str) {
                Some(card) if !declined => loyalty_receipt(card, trans_id + 1),
                _ => plain_receipt(method, sum, &currency, declined),
            };
        }
        if !declined {
            credit_points(&mut self.idents, sum);
        }
    }

    /// `cancel`: only a paid transaction; it becomes "cancelled".
    pub fn cancel(&mut self, now: &str) -> Result<(), Invalid> {
        self.status.allows(Call::Cancel)?;
        self.status = Status::Cancelled;
        self.updated = now.to_owned();
        Ok(())
    }

    /// `abort`: only a transaction never started; it becomes "aborted".
    pub fn abort(&mut self, now: &str) -> Result<(), Invalid> {
        self.status.allows(Call::Abort)?;
        self.status = Status::Aborted;
        self.updated = now.to_owned();
        Ok(())
    }

    /// `preTransaction`: what remains to pay and the bonus a customer card brings (5 %, as a negative product).
    pub fn pre_transaction(&self) -> Value {
        let sum = self.sum();
        let mut bonus_products = Vec::new();
        if !self.idents.is_empty() && sum >= 20 {
            let bonus = sum / 20;
            let next_id =
                self.products().iter().filter_map(|p| p.get("id").and_then(Value::as_i64)).max().unwrap_or(0) + 1;
            bonus_products.push(json!({
                "id": next_id, "parent": null, "item_type": "coupon", "desc": "Treuebonus 5 %",
                "articleNumber": null, "ean": null, "quantity": 1, "priceOne": -bonus, "tax": 0,
            }));
        }
        let bonus_total: i64 = bonus_products.iter().filter_map(|p| p["priceOne"].as_i64()).sum();
        json!({ "missing_sum": sum + bonus_total, "bonus_products": bonus_products })
    }

    fn products(&self) -> Vec<Value> {
        self.basket.get("products").and_then(Value::as_array).cloned().unwrap_or_default()
    }

    /// The transaction as the API returns it: the fixture's text for an untouched seed copy, else the object.
    pub fn to_json_text(&self, seed_copy: bool) -> String {
        if seed_copy {
            let mut text = START_CASH_RESPONSE.to_owned();
            replace_top_level(&mut text, "id", &self.id);
            replace_top_level(&mut text, "status", self.status.as_str());
            if let Some(method) = &self.payment_method {
                replace_top_level(&mut text, "payment_method", method);
            }
            return text;
        }
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// Replaces the value of the top-level string member `key` (a line `  "key": "...",` in the fixture's
/// layout); the new value is JSON-escaped. Returns false if the fixture has no such line.
fn replace_top_level(text: &mut String, key: &str, value: &str) -> bool {
    let marker = format!("\n  \"{key}\": ");
    let Some(start) = text.find(&marker).map(|at| at + marker.len()) else {
        return false;
    };
    let line_end = text[start..].find('\n').map_or(text.len(), |offset| start + offset);
    let value_end = if text[..line_end].ends_with(',') { line_end - 1 } else { line_end };
    let quoted = Value::from(value).to_string();
    text.replace_range(start..value_end, &quoted);
    true
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn optional_text(fields: &Map<String, Value>, key: &str) -> Result<Value, Invalid> {
    match fields.get(key) {
        None | Some(Value::Null) => Ok(Value::Null),
        Some(Value::String(s)) => Ok(Value::from(s.as_str())),
        Some(_) => Err(invalid(format!("{key} must be a string"))),
    }
}

/// The basket and basket_info of a body, checked: products need id, desc, quantity, priceOne and tax (whole
/// numbers), and basket_info.sum must equal the sum of quantity x priceOne. No basket: null and sum 0.
fn checked_basket(fields: &Map<String, Value>) -> Result<(Value, Value), Invalid> {
    let currency = fields
        .get("basket_info")
        .and_then(|info| info.get("currency"))
        .map(|c| c.as_str().map(str::to_owned).ok_or_else(|| invalid("basket_info.currency must be a string")))
        .transpose()?
        .unwrap_or_else(|| "EUR".to_owned());
    let basket = match fields.get("basket") {
        None | Some(Value::Null) => return Ok((Value::Null, json!({ "sum": 0, "currency": currency }))),
        Some(basket) => basket,
    };
    let products =
        basket.get("products").and_then(Value::as_array).ok_or_else(|| invalid("basket.products must be an array"))?;
    let mut total: i64 = 0;
    for (index, product) in products.iter().enumerate() {
        let whole = |key: &str| {
            product
                .get(key)
                .and_then(Value::as_i64)
                .ok_or_else(|| invalid(format!("basket.products[{index}].{key} is required (a whole number)")))
        };
        whole("id")?;
        whole("tax")?;
        let quantity = whole("quantity")?;
        let price = whole("priceOne")?;
        match product.get("desc").and_then(Value::as_str) {
            Some(desc) if !desc.trim().is_empty() => {}
            _ => return Err(invalid(format!("basket.products[{index}].desc is required (a text)"))),
        }
        total = quantity
            .checked_mul(price)
            .and_then(|line| total.checked_add(line))
            .ok_or_else(|| invalid("The basket's sum is out of range"))?;
    }
    let info = fields.get("basket_info").ok_or_else(|| invalid("basket_info is required with a basket"))?;
    let sum = info.get("sum").and_then(Value::as_i64).ok_or_else(|| invalid("basket_info.sum is required (cents)"))?;
    if sum != total {
        return Err(invalid(format!("basket_info.sum {sum} does not match the products' sum {total}")));
    }
    let mut basket_info = info.as_object().cloned().unwrap_or_default();
    basket_info.insert("currency".to_owned(), Value::from(currency));
    Ok((basket.clone(), Value::Object(basket_info)))
}

/// The idents of a body (`[{"type":"card","value":"9276..."}]`), expanded into the API's ident objects with
/// the merchant card and its balances.
fn checked_idents(fields: &Map<String, Value>) -> Result<Vec<Value>, Invalid> {
    let given = match fields.get("idents") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(given)) => given,
        Some(_) => return Err(invalid("idents must be an array")),
    };
    given
        .iter()
        .enumerate()
        .map(|(index, ident)| {
            let number = ident
                .get("value")
                .and_then(Value::as_str)
                .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| invalid(format!("idents[{index}].value must be a card number (digits)")))?;
            let kind = ident.get("type").and_then(Value::as_str).unwrap_or("card");
            Ok(ident_object(index + 1, kind, number))
        })
        .collect()
}

fn ident_object(n: usize, kind: &str, number: &str) -> Value {
    let merchant = json!({"object": "general.merchants", "id": MERCHANT_ID});
    let customer = json!({
        "object": "loyalty.customers", "id": "CUS_2YBREKK0A2MNAXJ752TSDD9DH3PKAJ",
        "contact": {"name": "Max Mustermann", "forename": "Max", "surname": "Mustermann"},
    });
    json!({
        "object": "smart.idents",
        "id": format!("smi_{n}"),
        "prefix": number.get(..4).unwrap_or(number),
        "name": "secucard Kundenkarte",
        "type": kind,
        "value": number,
        "valid": true,
        "merchantcard": {
            "object": "loyalty.merchantcards",
            "id": ids::random_object_id("MCD"),
            "merchant": merchant,
            "card": {"object": "loyalty.cards", "id": ids::random_object_id("CRD"), "cardnumber": number},
            "cardgroup": {"object": "loyalty.cardgroups", "id": "CRG_2BESGJNETJJRZVVYS8R7JWGVWK4PRZ",
                          "display_name": "Kundenkarte", "display_name_raw": "Kundenkarte"},
            "customer": customer,
            "points": 0, "cash_balance": 0, "bonus_balance": 0, "balance": 0,
            "stock_status": "active", "lock_status": "unlocked",
        },
        "customer": customer,
    })
}

/// One point per whole euro paid, on every card ident.
fn credit_points(idents: &mut [Value], sum: i64) {
    for ident in idents {
        if let Some(points) = ident.pointer_mut("/merchantcard/points") {
            *points = Value::from(points.as_i64().unwrap_or(0) + sum / 100);
        }
    }
}

/// "5,30 €" style amounts, as the fixtures print them.
fn money(cents: i64, currency: &str) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let symbol = if currency == "EUR" { "€" } else { currency };
    format!("{sign}{},{:02} {symbol}", cents.abs() / 100, cents.abs() % 100)
}

fn line(kind: &str, value: Value) -> Value {
    json!({ "type": kind, "value": value })
}

fn name_value(name: &str, value: &str, decoration: &[&str]) -> Value {
    line("name-value", json!({ "name": name, "value": value, "decoration": decoration }))
}

fn textline(text: &str, decoration: &[&str]) -> Value {
    line("textline", json!({ "text": text, "decoration": decoration }))
}

fn separator(caption: Option<&str>) -> Value {
    line("separator", caption.map_or_else(|| json!({}), |c| json!({ "caption": c })))
}

fn space() -> Value {
    json!({ "type": "space" })
}

fn card_receipt(
    number: u64,
    sum: i64,
    currency: &str,
    declined: bool,
    tid: &str,
    direct: Option<&Value>,
) -> Vec<Value> {
    let mut lines = vec![
        separator(Some("Kartenzahlung")),
        textline("* * Kundenbeleg * *", &["align-center"]),
        space(),
        name_value("Beleg-Nr.", &format!("{number:04}"), &[]),
        name_value(&format!("Betrag {currency}"), &money(sum, currency), &["important"]),
    ];
    if let Some(direct) = direct {
        for key in ["cardtype", "trace"] {
            if let Some(value) = direct.get(key) {
                lines.push(name_value(key, &text_of(value), &[]));
            }
        }
    }
    let verdict = if declined { "Karte abgelehnt" } else { "Karte akzeptiert" };
    lines.push(textline(verdict, &["align-center", "important"]));
    lines.push(separator(None));
    lines.push(name_value("Terminal-ID", tid, &["align-right"]));
    lines
}

fn merchant_receipt(sum: i64, currency: &str, declined: bool) -> Vec<Value> {
    let mut lines = vec![
        separator(Some("Kartenzahlung")),
        textline("* * Händlerbeleg * *", &["align-center"]),
        name_value(&format!("Betrag {currency}"), &money(sum, currency), &["important"]),
    ];
    if declined {
        lines.push(textline("Zahlung abgelehnt", &["align-center", "important"]));
    } else {
        lines.push(textline("Unterschrift umseitig", &["align-right"]));
    }
    lines
}

/// The seed's receipt for a payment with a customer card.
fn loyalty_receipt(card: &str, code: u64) -> Vec<Value> {
    vec![
        separator(Some("Kundenkarte")),
        name_value("Kartennummer:", card, &[]),
        name_value("TA Code:", &code.to_string(), &[]),
        space(),
    ]
}

fn plain_receipt(method: &str, sum: i64, currency: &str, declined: bool) -> Vec<Value> {
    let caption = match method {
        "cash" => "Barzahlung",
        "invoice" => "Rechnung",
        "loyalty" => "Kundenkarte",
        "prepaid" => "Prepaid",
        _ => "Zahlung",
    };
    let mut lines = vec![
        separator(Some(caption)),
        name_value(&format!("Betrag {currency}"), &money(sum, currency), &["important"]),
    ];
    if declined {
        lines.push(textline("Zahlung fehlgeschlagen", &["align-center", "important"]));
    }
    lines.push(space());
    lines
}

/// Now as ISO 8601 with offset (UTC), as the API writes `created` and `updated`.
pub fn now_iso() -> String {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    iso_utc(seconds)
}

/// Seconds since 1970 as `YYYY-MM-DDTHH:MM:SS+00:00` (days to civil date: Howard Hinnant's algorithm).
fn iso_utc(seconds: u64) -> String {
    let days = (seconds / 86_400) as i64;
    let rest = seconds % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}+00:00", rest / 3600, rest % 3600 / 60, rest % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Counter(u64);
    impl Numbers for Counter {
        fn next_receipt_number(&mut self) -> u64 {
            self.0 += 1;
            self.0
        }
        fn next_trans_id(&mut self) -> u64 {
            self.0 += 1;
            29_000_000 + self.0
        }
    }

    fn parsed(text: &str) -> Value {
        serde_json::from_str(text).expect("valid JSON")
    }

    fn sale() -> Value {
        json!({
            "intent": "sale", "merchantRef": "Kundennr. 101", "transactionRef": "Belegnr. 55501",
            "basket": {"products": [
                {"id": 1, "desc": "Brötchen", "quantity": 6, "priceOne": 45, "tax": 7},
                {"id": 2, "desc": "Kaffee", "quantity": 1, "priceOne": 260, "tax": 19}]},
            "basket_info": {"sum": 530, "currency": "EUR"},
        })
    }

    #[test]
    fn the_seed_started_by_cash_is_the_fixture_byte_for_byte() {
        let mut tx = Transaction::seed_copy("STX_KJXJDUN542NR3WMRHRVU5WWM6ZQEA2");
        tx.status = Status::Ok;
        tx.payment_method = Some("cash".into());
        assert_eq!(tx.to_json_text(true), START_CASH_RESPONSE);
        // The same object rendered from its fields is the same JSON (member order aside).
        assert_eq!(parsed(&tx.to_json_text(false)), parsed(START_CASH_RESPONSE));
    }

    #[test]
    fn a_seed_copy_shows_its_id_status_and_method() {
        let mut tx = Transaction::seed_copy("STX_OTHER");
        assert_eq!(parsed(&tx.to_json_text(true))["status"], "created");
        tx.status = Status::Failed;
        tx.payment_method = Some("ca\"sh".into());
        let value = parsed(&tx.to_json_text(true));
        assert_eq!((value["id"].as_str(), value["status"].as_str()), (Some("STX_OTHER"), Some("failed")));
        assert_eq!(value["payment_method"], "ca\"sh");
    }

    #[test]
    fn create_keeps_the_basket_and_references() {
        let tx = Transaction::from_request("STX_A", &sale(), "2026-01-01T00:00:00+00:00").unwrap();
        let value = parsed(&tx.to_json_text(false));
        assert_eq!(value["status"], "created");
        assert_eq!(value["transactionRef"], "Belegnr. 55501");
        assert_eq!(value["basket_info"], json!({"sum": 530, "currency": "EUR"}));
        assert_eq!(value["basket"]["products"][0]["desc"], "Brötchen");
        assert_eq!(value["payment_method"], Value::Null);
        assert_eq!(tx.sum(), 530);
    }

    #[test]
    fn baskets_are_checked() {
        let mut wrong_sum = sale();
        wrong_sum["basket_info"]["sum"] = json!(531);
        let mut no_desc = sale();
        no_desc["basket"]["products"][0].as_object_mut().unwrap().remove("desc");
        let mut float_price = sale();
        float_price["basket"]["products"][1]["priceOne"] = json!(2.6);
        let mut overflow = sale();
        overflow["basket"]["products"][0]["quantity"] = json!(i64::MAX);
        let mut no_info = sale();
        no_info.as_object_mut().unwrap().remove("basket_info");
        for bad in [wrong_sum, no_desc, float_price, overflow, no_info, json!([]), json!({"idents": [{"value": "x"}]})]
        {
            assert!(Transaction::from_request("STX_A", &bad, "t").is_err(), "{bad} accepted");
        }
        let empty = Transaction::from_request("STX_A", &json!({}), "t").unwrap();
        assert_eq!(empty.sum(), 0);
    }

    #[test]
    fn update_without_basket_removes_it() {
        let mut tx = Transaction::from_request("STX_A", &sale(), "t").unwrap();
        tx.update(&json!({"transactionRef": "neu"}), "u").unwrap();
        assert_eq!(tx.basket, Value::Null);
        assert_eq!(tx.sum(), 0);
        assert_eq!(tx.transactionRef, "neu");
        assert_eq!(tx.merchantRef, "Kundennr. 101", "references not sent stay");
        tx.update(&sale(), "v").unwrap();
        assert_eq!(tx.sum(), 530);
    }

    #[test]
    fn a_card_start_writes_receipts_numbers_and_a_payment_reference() {
        let mut tx = Transaction::from_request("STX_A", &sale(), "t").unwrap();
        let mut numbers = Counter(2);
        tx.begin("cashless", "t1");
        assert_eq!(tx.status, "processing");
        tx.finish("cashless", false, None, &mut numbers, "t2");
        let value = parsed(&tx.to_json_text(false));
        assert_eq!(value["status"], "ok");
        assert_eq!(value["receipt_number"], 3);
        assert!(value["trans_id"].is_u64());
        assert_eq!(value["receipt_merchant_print"], true);
        assert_eq!(value["transactions"][0]["object"], "payment.transactions");
        assert!(value["receipt"].to_string().contains("5,30 €"), "{}", value["receipt"]);
        assert!(value["receipt_merchant"].is_array());
    }

    #[test]
    fn a_declined_card_start_fails_with_a_receipt() {
        let mut tx = Transaction::from_request("STX_A", &sale(), "t").unwrap();
        tx.finish("cashless", true, None, &mut Counter(0), "t2");
        assert_eq!(tx.status, "failed");
        assert!(tx.transactions.is_empty());
        assert!(serde_json::to_string(&tx.receipt).unwrap().contains("Karte abgelehnt"));
    }

    #[test]
    fn a_cash_start_with_a_card_credits_points_and_prints_the_card() {
        let mut body = sale();
        body["idents"] = json!([{"type": "card", "value": "9276004429942845"}]);
        let mut tx = Transaction::from_request("STX_A", &body, "t").unwrap();
        assert_eq!(tx.idents[0]["merchantcard"]["card"]["cardnumber"], "9276004429942845");
        tx.finish("cash", false, None, &mut Counter(0), "t2");
        assert!(tx.trans_id.is_string());
        assert_eq!(tx.idents[0]["merchantcard"]["points"], 5);
        assert_eq!(tx.receipt[1]["value"]["value"], "9276004429942845");
        assert_eq!(tx.transactions[0]["object"], "loyalty.transactions");
    }

    #[test]
    fn cancel_only_after_ok_and_abort_only_before_start() {
        let mut tx = Transaction::from_request("STX_A", &sale(), "t").unwrap();
        assert!(tx.cancel("t").is_err());
        let mut aborted = tx.clone();
        aborted.abort("t").unwrap();
        assert_eq!(aborted.status, "aborted");
        tx.finish("cash", false, None, &mut Counter(0), "t");
        assert!(tx.abort("t").is_err());
        tx.cancel("t").unwrap();
        assert_eq!(tx.status, "cancelled");
        assert!(tx.cancel("t").is_err());
    }

    #[test]
    fn pre_transaction_gives_a_bonus_with_a_card_only() {
        let tx = Transaction::from_request("STX_A", &sale(), "t").unwrap();
        assert_eq!(tx.pre_transaction(), json!({"missing_sum": 530, "bonus_products": []}));
        let mut body = sale();
        body["idents"] = json!([{"type": "card", "value": "9276004429942845"}]);
        let pre = Transaction::from_request("STX_A", &body, "t").unwrap().pre_transaction();
        assert_eq!(pre["bonus_products"][0]["priceOne"], -26);
        assert_eq!(pre["missing_sum"], 504);
    }

    #[test]
    fn iso_dates() {
        assert_eq!(iso_utc(0), "1970-01-01T00:00:00+00:00");
        assert_eq!(iso_utc(1_600_334_294), "2020-09-17T09:18:14+00:00");
        assert_eq!(iso_utc(951_782_400), "2000-02-29T00:00:00+00:00");
    }

    #[test]
    fn money_is_printed_with_a_comma() {
        assert_eq!(money(530, "EUR"), "5,30 €");
        assert_eq!(money(5, "CHF"), "0,05 CHF");
    }
}
