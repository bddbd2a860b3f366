//! A sandbox transaction and its JSON. The answer is the fixture's text (fixtures/start-cash-response.json)
//! with the top-level "id", "status" and "payment_method" values replaced, so clients see the same bytes,
//! member order and layout as the fixture (a serde_json::Value would sort the keys).

use serde_json::Value;

const START_CASH_RESPONSE: &str = include_str!("../../fixtures/start-cash-response.json");

/// The members that differ between transactions; everything else is the fixture's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    pub id: String,
    pub status: String,
    /// None until started: the fixture's value is kept.
    pub payment_method: Option<String>,
}

impl Transaction {
    /// A fresh copy of the seed, not started yet.
    pub fn created(id: &str) -> Transaction {
        Transaction { id: id.to_owned(), status: "created".to_owned(), payment_method: None }
    }

    pub fn is_started(&self) -> bool {
        self.status != "created"
    }

    /// The transaction as the API returns it.
    pub fn to_json_text(&self) -> String {
        let mut text = START_CASH_RESPONSE.to_owned();
        replace_top_level(&mut text, "id", &self.id);
        replace_top_level(&mut text, "status", &self.status);
        if let Some(method) = &self.payment_method {
            replace_top_level(&mut text, "payment_method", method);
        }
        text
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(tx: &Transaction) -> Value {
        serde_json::from_str(&tx.to_json_text()).expect("valid JSON")
    }

    #[test]
    fn the_fixtures_own_values_give_the_fixture_byte_for_byte() {
        let tx = Transaction {
            id: "STX_KJXJDUN542NR3WMRHRVU5WWM6ZQEA2".into(),
            status: "ok".into(),
            payment_method: Some("cash".into()),
        };
        assert_eq!(tx.to_json_text(), START_CASH_RESPONSE);
    }

    #[test]
    fn id_status_and_method_are_replaced_and_the_rest_is_kept() {
        let tx =
            Transaction { id: "STX_OTHER".into(), status: "failed".into(), payment_method: Some("cashless".into()) };
        let value = parsed(&tx);
        let mut fixture: Value = serde_json::from_str(START_CASH_RESPONSE).unwrap();
        fixture["id"] = "STX_OTHER".into();
        fixture["status"] = "failed".into();
        fixture["payment_method"] = "cashless".into();
        assert_eq!(value, fixture);
    }

    #[test]
    fn a_created_copy_keeps_the_fixtures_method() {
        let tx = Transaction::created("STX_NEW");
        assert!(!tx.is_started());
        let value = parsed(&tx);
        assert_eq!(value["status"], "created");
        assert_eq!(value["id"], "STX_NEW");
        assert_eq!(value["payment_method"], "cash");
    }

    #[test]
    fn odd_methods_from_the_path_stay_valid_json() {
        let mut tx = Transaction::created("STX_X");
        tx.payment_method = Some("ca\"sh\\".into());
        assert_eq!(parsed(&tx)["payment_method"], "ca\"sh\\");
    }

    #[test]
    fn missing_members_are_reported() {
        let mut text = "{\n  \"a\": 1\n}".to_owned();
        assert!(!replace_top_level(&mut text, "id", "x"));
        assert!(replace_top_level(&mut text, "a", "x"));
        assert_eq!(text, "{\n  \"a\": \"x\"\n}");
    }
}
