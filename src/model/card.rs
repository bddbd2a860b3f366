//! The loyalty merchant card (`loyalty.merchantcards`), the terminal (`smart.devices`) and the other answers
//! beside the transaction: what the API answers about them, read strictly where money is concerned.
//!
//! Unlike a transaction's fields, which are read leniently so that a payment is never lost over a field the
//! register does not need, a card's money is what the cashier tells the customer: an amount that is not a
//! JSON integer (cents) (a float `3.5`, a string `"350"`) is refused, never rounded or guessed. Likewise the
//! answer of a check (`result`) and a device's `online` must be JSON booleans: a "no" must never be read as
//! a "yes".

use serde_json::{Map, Value};

/// Why an answer is not the document asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentError(pub String);

impl std::fmt::Display for DocumentError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn error(text: impl Into<String>) -> DocumentError {
    DocumentError(text.into())
}

/// `json` as a JSON value (a UTF-8 byte-order mark dropped).
pub fn parse_json(json: &[u8]) -> Result<Value, DocumentError> {
    let json = json.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(json);
    if json.iter().all(u8::is_ascii_whitespace) {
        return Err(error("the answer is empty"));
    }
    serde_json::from_slice(json).map_err(|e| error(format!("the answer is not JSON ({e})")))
}

fn object<'a>(value: &'a Value, what: &str) -> Result<&'a Map<String, Value>, DocumentError> {
    value.as_object().ok_or_else(|| error(format!("{what} is not a JSON object")))
}

/// A string field; absent or null is `None`; a number is read as its text (an id sent as a number), anything
/// else is absent.
fn text(fields: &Map<String, Value>, key: &str) -> Option<String> {
    match fields.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// An amount in cents (or points): a JSON integer that fits `i64`, or absent/null. Anything else refuses the
/// whole answer: a float or a string amount is never rounded or guessed.
pub fn cents(fields: &Map<String, Value>, key: &str) -> Result<Option<i64>, DocumentError> {
    match fields.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(v) => Ok(Some(v)),
            None => Err(error(format!(
                "\"{key}\" is {n}, not a whole number of cents: an amount is never rounded, so the answer is \
                 refused"
            ))),
        },
        Some(other) => Err(error(format!(
            "\"{key}\" is a {}, not a whole number of cents: an amount is never guessed from text, so the answer \
             is refused",
            kind(other)
        ))),
    }
}

/// A flag: a JSON boolean, or absent/null. Anything else (`"true"`, `1`) refuses the answer: a "no" must never
/// read as a "yes".
pub fn flag(fields: &Map<String, Value>, key: &str) -> Result<Option<bool>, DocumentError> {
    match fields.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(other) => Err(error(format!("\"{key}\" is a {}, not true or false", kind(other)))),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    }
}

/// A loyalty merchant card as the API describes it (`loyalty.merchantcards`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MerchantCard {
    /// `id`, "MCD_...": what every per-card call names.
    pub id: String,
    /// `card.cardnumber`.
    pub number: String,
    /// `cardgroup.display_name`: the programme's name, e.g. "Geschenkgutschein".
    pub group_name: Option<String>,
    pub balance: Option<i64>,
    pub cash_balance: Option<i64>,
    pub bonus_balance: Option<i64>,
    pub points: Option<i64>,
    /// `lock_status`, as the API wrote it ("locked", "unlocked").
    pub lock_status: Option<String>,
    /// `stock_status` ("active", "inactive", "stored"): not whether the card can be used.
    pub stock_status: Option<String>,
    /// `expiry_date`, as the API wrote it; `None` when absent or null (no expiry).
    pub expiry: Option<String>,
}

impl MerchantCard {
    /// Reads a card object. It must have a string `id` and a `card.cardnumber`: without them it can be neither
    /// matched to the number asked for nor named in a later call.
    pub fn from_value(value: &Value) -> Result<MerchantCard, DocumentError> {
        let fields = object(value, "the card")?;
        let id = match fields.get("id") {
            Some(Value::String(id)) if !id.is_empty() => id.clone(),
            _ => return Err(error("the card has no \"id\" string")),
        };
        let number = fields
            .get("card")
            .and_then(Value::as_object)
            .and_then(|card| card.get("cardnumber"))
            .and_then(Value::as_str)
            .filter(|number| !number.is_empty())
            .ok_or_else(|| error("the card has no \"card.cardnumber\" string"))?
            .to_owned();
        let group_name = fields.get("cardgroup").and_then(Value::as_object).and_then(|g| text(g, "display_name"));
        Ok(MerchantCard {
            id,
            number,
            group_name,
            balance: cents(fields, "balance")?,
            cash_balance: cents(fields, "cash_balance")?,
            bonus_balance: cents(fields, "bonus_balance")?,
            points: cents(fields, "points")?,
            lock_status: text(fields, "lock_status"),
            stock_status: text(fields, "stock_status"),
            expiry: text(fields, "expiry_date"),
        })
    }

    /// Whether the card is locked (`lock_status`): `None` when the answer does not say. `stock_status` is no
    /// part of it (the API's own example card is "inactive" and usable).
    pub fn locked(&self) -> Option<bool> {
        match self.lock_status.as_deref()? {
            "locked" => Some(true),
            "unlocked" => Some(false),
            _ => None,
        }
    }
}

/// What a search by card number found: `{count, data[card]}`. `count` 0 (or no data) is no card; more than one
/// match is refused, as the API's docs say there should be one or none.
pub fn card_search(json: &[u8]) -> Result<Option<MerchantCard>, DocumentError> {
    let value = parse_json(json)?;
    let fields = object(&value, "the answer")?;
    let count = match fields.get("count") {
        Some(Value::Number(n)) => n.as_u64().ok_or_else(|| error(format!("\"count\" is {n}, not a count")))?,
        _ => return Err(error("the answer is not a list of cards: it has no \"count\" number")),
    };
    let data = match fields.get("data") {
        Some(Value::Array(data)) => data.as_slice(),
        None | Some(Value::Null) if count == 0 => &[],
        _ => return Err(error("the answer is not a list of cards: it has no \"data\" list")),
    };
    match (count, data) {
        (0, []) => Ok(None),
        (1, [card]) => MerchantCard::from_value(card).map(Some),
        (count, data) => Err(error(format!(
            "the search found {count} cards ({} in the answer), not one or none: which one is meant is not known",
            data.len()
        ))),
    }
}

/// The answer of a check (`checkCsc`, `checkPasscode`): `{"result": bool}`. A `result` that is not a boolean
/// is refused: a "no" is never read as a "yes", nor a missing answer as either.
pub fn check_result(json: &[u8]) -> Result<bool, DocumentError> {
    let value = parse_json(json)?;
    let fields = object(&value, "the answer")?;
    flag(fields, "result")?.ok_or_else(|| error("the answer of the check has no \"result\" true or false"))
}

/// A list of strings (`getAvailablePaymentMethods`): a JSON array of strings, nothing else.
pub fn string_list(json: &[u8]) -> Result<Vec<String>, DocumentError> {
    let value = parse_json(json)?;
    let items = value.as_array().ok_or_else(|| error(format!("the answer is a JSON {}, not a list", kind(&value))))?;
    items
        .iter()
        .enumerate()
        .map(|(at, item)| match item {
            Value::String(s) => Ok(s.clone()),
            other => Err(error(format!("item {at} of the list is a {}, not a string", kind(other)))),
        })
        .collect()
}

/// A smart device (`smart.devices`): the register itself or its card terminal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Device {
    /// `id`, "SDV_...".
    pub id: String,
    /// `type`: "cashier", "zvt", "shopmodule", "webterminal".
    pub kind: Option<String>,
    pub description: Option<String>,
    pub vendor: Option<String>,
    /// `tid`: the terminal id.
    pub tid: Option<String>,
    /// `online`: the only liveness field; it does not prove the terminal can pay.
    pub online: Option<bool>,
}

impl Device {
    /// Reads a device. It must have a string `id`. Its `user_pin` and `products` (terminal passwords) are not
    /// read: they are never kept, shown or logged.
    pub fn from_json(json: &[u8]) -> Result<Device, DocumentError> {
        let value = parse_json(json)?;
        let fields = object(&value, "the answer")?;
        let id = match fields.get("id") {
            Some(Value::String(id)) if !id.is_empty() => id.clone(),
            _ => return Err(error("the answer names no device (its \"id\" is missing or not a string)")),
        };
        Ok(Device {
            id,
            kind: text(fields, "type"),
            description: text(fields, "description"),
            vendor: text(fields, "vendor"),
            tid: text(fields, "tid"),
            online: flag(fields, "online")?,
        })
    }
}

/// The answer of `getCardBalanceReceipt`: the balances and the receipt lines to print.
#[derive(Debug, Clone, Default)]
pub struct BalanceReceipt {
    pub valid: Option<bool>,
    pub balance: Option<i64>,
    pub cash_balance: Option<i64>,
    pub bonus_balance: Option<i64>,
    pub points: Option<i64>,
    /// `receipt_header[]` then `receipt[]`, each line as the API sent it (the format of a transaction's
    /// receipt lines).
    pub lines: Vec<Value>,
}

impl BalanceReceipt {
    pub fn from_json(json: &[u8]) -> Result<BalanceReceipt, DocumentError> {
        let value = parse_json(json)?;
        let fields = object(&value, "the answer")?;
        let mut lines = Vec::new();
        for key in ["receipt_header", "receipt"] {
            match fields.get(key) {
                None | Some(Value::Null) => {}
                Some(Value::Array(items)) => lines.extend(items.iter().cloned()),
                Some(other) => return Err(error(format!("\"{key}\" is a {}, not a list of lines", kind(other)))),
            }
        }
        Ok(BalanceReceipt {
            valid: flag(fields, "valid")?,
            balance: cents(fields, "balance")?,
            cash_balance: cents(fields, "cash_balance")?,
            bonus_balance: cents(fields, "bonus_balance")?,
            points: cents(fields, "points")?,
            lines,
        })
    }

    /// The slip as a transaction-shaped document (`{"object": ..., "receipt": [...], balances}`), so that the
    /// one reader and renderer of receipt lines print it.
    pub fn as_receipt_json(&self) -> Vec<u8> {
        serde_json::json!({
            "object": "loyalty.merchantcards.balance_receipt",
            "receipt": self.lines,
            "balance": self.balance,
            "cash_balance": self.cash_balance,
            "bonus_balance": self.bonus_balance,
            "points": self.points,
        })
        .to_string()
        .into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CARD: &str = r#"{"id":"MCD_1","card":{"cardnumber":"9276004428481652"},
        "cardgroup":{"display_name":"Geschenkgutschein"},"balance":352,"cash_balance":300,"bonus_balance":52,
        "points":7,"lock_status":"unlocked","stock_status":"inactive","expiry_date":null}"#;

    #[test]
    fn a_card_reads_with_its_cents_and_lock() {
        let card = MerchantCard::from_value(&serde_json::from_str(CARD).unwrap()).unwrap();
        assert_eq!(
            (card.balance, card.cash_balance, card.bonus_balance, card.points),
            (Some(352), Some(300), Some(52), Some(7))
        );
        assert_eq!(card.locked(), Some(false));
        assert_eq!(card.expiry, None);
        assert_eq!(card.group_name.as_deref(), Some("Geschenkgutschein"));
    }

    #[test]
    fn an_amount_that_is_not_whole_cents_refuses_the_answer() {
        for bad in [r#"3.5"#, r#"352.0"#, r#""352""#, "true", "1e3", "18446744073709551616"] {
            let json = CARD.replace("\"balance\":352", &format!("\"balance\":{bad}"));
            let e = MerchantCard::from_value(&serde_json::from_str(&json).unwrap()).unwrap_err();
            assert!(e.0.contains("\"balance\"") && e.0.contains("refused"), "{bad}: {e}");
        }
    }

    #[test]
    fn searches_checks_and_lists() {
        assert_eq!(card_search(br#"{"count":0,"data":[]}"#).unwrap(), None);
        assert!(card_search(format!(r#"{{"count":1,"data":[{CARD}]}}"#).as_bytes()).unwrap().is_some());
        assert!(card_search(format!(r#"{{"count":2,"data":[{CARD},{CARD}]}}"#).as_bytes()).is_err());
        assert!(card_search(br#"{"data":[]}"#).is_err());
        assert!(card_search(b"<html>").is_err());
        assert!(!check_result(br#"{"result":false}"#).unwrap());
        assert!(check_result(br#"{"result":true}"#).unwrap());
        for bad in [&br#"{"result":"true"}"#[..], br#"{}"#, br#"{"result":1}"#] {
            assert!(check_result(bad).is_err());
        }
        assert_eq!(string_list(br#"["cashless","loyalty"]"#).unwrap(), ["cashless", "loyalty"]);
        assert!(string_list(br#"["cashless",1]"#).is_err() && string_list(br#"{}"#).is_err());
    }
}
