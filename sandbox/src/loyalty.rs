//! Beyond the transaction: the loyalty merchant cards (with balances that a `loyalty` start lowers), the smart
//! devices (the register and its card terminal, which a control call takes offline) and the payment methods of
//! a contract, in the shapes of the SDKs' models (JAVA4 `LoyaltyMerchantcardsProductModel`,
//! `SmartDevicesProductModel`).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::transaction::{DEVICE_ID, TERMINAL_DEVICE_ID};

/// The card of the API's own example (Docs Obtain_the_Card_Details): cash 300 + bonus 52 = 352, "inactive" in
/// stock and usable.
pub const EXAMPLE_CARD: &str = "9276004428481652";
/// The card the tests pay with (`loyalty` start): 50.00 EUR loaded.
pub const PAYING_CARD: &str = "9276004429942845";
/// A card locked as lost.
pub const LOCKED_CARD: &str = "9276004400000019";
/// The security code and passcode of every sandbox card.
pub const CSC: &str = "4471";
pub const PASSCODE: u64 = 1234;
/// The only contract: what getAvailablePaymentMethods answers for.
pub const CONTRACT_ID: &str = "GCR_2H69XY35227V2VKP9WRA3SJ0W95RP0";

#[derive(Debug, Clone)]
struct Card {
    id: String,
    number: String,
    cash_balance: i64,
    bonus_balance: i64,
    points: i64,
    locked: bool,
    stock_status: &'static str,
}

impl Card {
    fn to_json(&self) -> Value {
        json!({
            "object": "loyalty.merchantcards",
            "id": self.id,
            "created": "2026-01-15T09:12:00+01:00",
            "merchant": {"object": "general.merchants", "id": "MRC_WVHJQFQ4JNVYNG5B55TCZH9RC9N2AZ"},
            "card": {"object": "loyalty.cards", "id": format!("CRD_{}", &self.id[4..]), "cardnumber": self.number,
                     "created": "2026-01-15T09:12:00+01:00"},
            "cardgroup": {"object": "loyalty.cardgroups", "id": "CRG_2BESGJNETJJRZVVYS8R7JWGVWK4PRZ",
                          "display_name": "Geschenkgutschein", "display_name_raw": "Geschenkgutschein",
                          "stock_warn_limit": 0},
            "balance": self.cash_balance + self.bonus_balance,
            "cash_balance": self.cash_balance,
            "bonus_balance": self.bonus_balance,
            "points": self.points,
            "lock_status": if self.locked { "locked" } else { "unlocked" },
            "stock_status": self.stock_status,
            "is_base_card": false,
            "passcode": 0,
            "expiry_date": null,
            "last_usage": "2026-11-30T17:45:10+01:00",
        })
    }
}

/// Why a loyalty payment is refused before the transaction is touched.
pub enum CardRefusal {
    Locked,
    Insufficient { balance: i64, sum: i64 },
}

/// The cards and devices of the sandbox.
pub struct Loyalty {
    cards: Vec<Card>,
    /// Device id → online.
    devices: BTreeMap<&'static str, bool>,
}

impl Default for Loyalty {
    fn default() -> Loyalty {
        let card = |id: &str, number: &str, cash, bonus, points, locked, stock_status| Card {
            id: id.to_owned(),
            number: number.to_owned(),
            cash_balance: cash,
            bonus_balance: bonus,
            points,
            locked,
            stock_status,
        };
        Loyalty {
            cards: vec![
                card("MCD_EXAMPLE352CARD0000000000000", EXAMPLE_CARD, 300, 52, 7, false, "inactive"),
                card("MCD_PAYING5000CARD0000000000000", PAYING_CARD, 5000, 0, 0, false, "active"),
                card("MCD_LOCKEDLOSTCARD0000000000000", LOCKED_CARD, 1000, 0, 0, true, "active"),
            ],
            devices: BTreeMap::from([(DEVICE_ID, true), (TERMINAL_DEVICE_ID, true)]),
        }
    }
}

impl Loyalty {
    /// `GET /Loyalty/MerchantCards?q=card.cardnumber:N`: `{count, data, scroll_id}`; no match is count 0.
    pub fn search(&self, q: Option<&str>) -> Result<Value, String> {
        let matches: Vec<Value> = match q {
            None => self.cards.iter().map(Card::to_json).collect(),
            Some(q) => {
                let number = q
                    .strip_prefix("card.cardnumber:")
                    .ok_or_else(|| format!("the sandbox searches cards by card.cardnumber only, not {q:?}"))?;
                let number = number.trim_matches('"');
                self.cards.iter().filter(|c| c.number == number).map(Card::to_json).collect()
            }
        };
        Ok(json!({ "count": matches.len(), "data": matches, "scroll_id": crate::ids::support_id() }))
    }

    fn card(&self, id: &str) -> Option<&Card> {
        self.cards.iter().find(|c| c.id == id)
    }

    pub fn read(&self, id: &str) -> Option<Value> {
        self.card(id).map(Card::to_json)
    }

    /// `checkCsc` / `checkPasscode`: `None` for an unknown card; the body's card number must be the card's.
    pub fn check(&self, id: &str, body: &Value, what: &str) -> Option<Result<bool, String>> {
        let card = self.card(id)?;
        let number = body.get("cardnumber").and_then(Value::as_str);
        if number != Some(card.number.as_str()) {
            return Some(Err("cardnumber does not belong to this card".into()));
        }
        Some(Ok(match what {
            "checkCsc" => body.get("csc").and_then(Value::as_str) == Some(CSC),
            _ => body.get("pin").and_then(Value::as_u64) == Some(PASSCODE),
        }))
    }

    /// `getCardBalanceReceipt`: the balances and a slip of receipt lines.
    pub fn balance_receipt(&self, id: &str, body: &Value) -> Option<Result<Value, String>> {
        let card = self.card(id)?;
        if body.get("cardnumber").and_then(Value::as_str) != Some(card.number.as_str()) {
            return Some(Err("cardnumber does not belong to this card".into()));
        }
        let euro = |cents: i64| format!("{},{:02} EUR", cents / 100, cents % 100);
        let line = |kind: &str, value: Value| json!({ "type": kind, "value": value });
        let masked = format!("{}{}", "*".repeat(card.number.len() - 4), &card.number[card.number.len() - 4..]);
        Some(Ok(json!({
            "valid": !card.locked,
            "balance": card.cash_balance + card.bonus_balance,
            "cash_balance": card.cash_balance,
            "bonus_balance": card.bonus_balance,
            "points": card.points,
            "zvt_cardgroup": "Geschenkgutschein",
            "new_passcode": false,
            "receipt_header": [
                line("textline", json!({ "text": "Musterladen GmbH", "decoration": ["align-center", "important"] })),
                line("separator", json!({ "caption": "Kartenguthaben" })),
            ],
            "receipt": [
                line("name-value", json!({ "name": "Karte", "value": masked, "decoration": [] })),
                line("name-value", json!({ "name": "Guthaben", "value": euro(card.cash_balance), "decoration": [] })),
                line("name-value", json!({ "name": "Bonus", "value": euro(card.bonus_balance), "decoration": [] })),
                line("name-value", json!({ "name": "Gesamt", "value": euro(card.cash_balance + card.bonus_balance),
                                           "decoration": ["important"] })),
                line("name-value", json!({ "name": "Punkte", "value": card.points.to_string(), "decoration": [] })),
                json!({ "type": "space" }),
            ],
            "amount_split_enabled": false,
            "limit_allowed": false,
            "limit": 0,
            "limit_str": "0,00",
        })))
    }

    /// Before a `loyalty` start: the card must be unlocked and hold the sum (bonus first, then cash).
    pub fn can_pay(&self, number: &str, sum: i64) -> Result<(), CardRefusal> {
        let Some(card) = self.cards.iter().find(|c| c.number == number) else { return Ok(()) };
        if card.locked {
            return Err(CardRefusal::Locked);
        }
        let balance = card.cash_balance + card.bonus_balance;
        if balance < sum {
            return Err(CardRefusal::Insufficient { balance, sum });
        }
        Ok(())
    }

    /// After a `loyalty` start that paid: the sum comes off the bonus first, then the cash.
    pub fn pay(&mut self, number: &str, sum: i64) {
        if let Some(card) = self.cards.iter_mut().find(|c| c.number == number) {
            let from_bonus = sum.min(card.bonus_balance);
            card.bonus_balance -= from_bonus;
            card.cash_balance -= sum - from_bonus;
        }
    }

    pub fn device(&self, id: &str) -> Option<Value> {
        let (&id, &online) = self.devices.get_key_value(id)?;
        let terminal = id == TERMINAL_DEVICE_ID;
        Some(json!({
            "object": "smart.devices",
            "id": id,
            "created": "2025-03-01T08:00:00+01:00",
            "merchant": {"object": "general.merchants", "id": "MRC_WVHJQFQ4JNVYNG5B55TCZH9RC9N2AZ"},
            "store": {"object": "general.stores", "id": "STO_2YFPJ6VQ5J4FKSAGF5T3KX8W6NHD0B", "name": "Filiale Mitte"},
            "vendor": if terminal { "ingenico" } else { "android" },
            "vendor_uid": if terminal { "52500123" } else { "register-1" },
            "type": if terminal { "zvt" } else { "cashier" },
            "device": {"object": "general.devices", "id": "DEV_1", "serial_number": "SN-0001"},
            "routing": {"object": "smart.routings", "id": "SRT_2YFPJ6VQ5J4FKSAGF5T3KX8W6NHD0B"},
            "user_pin": "8642",
            "products": {"prepaid": {"enabled": terminal, "password": ["s3cr3t-terminal-pw"]}},
            "description": if terminal { "Terminal Kasse 1" } else { "Kasse 1" },
            "tid": if terminal { "52500123" } else { "" },
            "online": online,
            "refresh": 1765180800,
            "connection_type": "https",
            "status": {},
        }))
    }

    /// `routing/{type}`: the device of that type on the routing of `id`.
    pub fn routed(&self, id: &str, kind: &str) -> Option<Value> {
        self.devices.get(id)?;
        let target = match kind {
            "zvt" => TERMINAL_DEVICE_ID,
            "cashier" => DEVICE_ID,
            _ => return None,
        };
        self.device(target)
    }

    /// The control call: the device goes online or offline. False for an unknown device.
    pub fn set_online(&mut self, id: &str, online: bool) -> bool {
        match self.devices.get_mut(id) {
            Some(state) => {
                *state = online;
                true
            }
            None => false,
        }
    }

    /// `getAvailablePaymentMethods`: for the one contract, by currency.
    pub fn payment_methods(contract: &str, currency: &str) -> Option<Vec<&'static str>> {
        if contract != CONTRACT_ID {
            return None;
        }
        Some(match currency {
            "EUR" => vec!["cash", "cashless", "debit", "loyalty", "prepaid"],
            _ => vec!["cash"],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_loyalty_payment_lowers_the_bonus_then_the_cash() {
        let mut loyalty = Loyalty::default();
        assert!(loyalty.can_pay(EXAMPLE_CARD, 353).is_err());
        loyalty.pay(EXAMPLE_CARD, 100);
        let card = &loyalty.search(Some(&format!("card.cardnumber:{EXAMPLE_CARD}"))).unwrap()["data"][0];
        assert_eq!((card["balance"].as_i64(), card["bonus_balance"].as_i64()), (Some(252), Some(0)));
        assert!(matches!(loyalty.can_pay(LOCKED_CARD, 1), Err(CardRefusal::Locked)));
        assert_eq!(loyalty.search(Some("card.cardnumber:1")).unwrap()["count"], 0);
    }
}
