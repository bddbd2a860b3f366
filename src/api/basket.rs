//! A basket as the register builds it: products, currency and the register's own references. Money is integer
//! cents throughout; the sum is computed with checked arithmetic before anything is sent.

use serde_json::{json, Value};

use crate::http::Error;
use crate::model::lenient::MAX_LIST_LEN;

/// The longest text field the library sends (a description, article number, EAN or reference), in bytes.
pub const MAX_TEXT_BYTES: usize = 1024;

/// The most products a basket holds: as many as the library reads of any list in an answer
/// ([`MAX_LIST_LEN`]), so that the answer to a basket never lists fewer products than were sent.
pub const MAX_PRODUCTS: usize = MAX_LIST_LEN;

/// One position: `quantity` × `unit_price_cents` (gross), `vat_percent` a whole VAT percentage (7, 19, 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProduct {
    pub desc: String,
    pub article_number: Option<String>,
    pub ean: Option<String>,
    /// May be negative (a returned item); the basket's total may not.
    pub quantity: i32,
    /// May be negative (a coupon); the basket's total may not.
    pub unit_price_cents: i64,
    pub vat_percent: u32,
}

/// The basket of a new Smart Transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBasket {
    currency: String,
    products: Vec<NewProduct>,
    merchant_ref: Option<String>,
    transaction_ref: Option<String>,
    ident: Option<CardNumber>,
}

/// A customer's loyalty card number, sent as the transaction's ident: 1 to 64 of `0-9 A-Z a-z` (a scanner's
/// spaces or dashes removed). It never shows in full: `Debug` and [`CardNumber::masked`] keep the last four.
#[derive(Clone, PartialEq, Eq)]
pub struct CardNumber(String);

impl CardNumber {
    pub const MAX_LEN: usize = 64;

    pub fn parse(number: &str) -> Result<CardNumber, Error> {
        if number.is_empty() || number.len() > Self::MAX_LEN {
            return Err(Error::invalid(format!(
                "the card number must be 1 to {} characters long, not {}",
                Self::MAX_LEN,
                number.len()
            )));
        }
        // The position only: the message must not show the number.
        if let Some(at) = number.bytes().position(|b| !b.is_ascii_alphanumeric()) {
            return Err(Error::invalid(format!("the card number has a character other than 0-9 A-Z a-z at byte {at}")));
        }
        Ok(CardNumber(number.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `************2845`: what a message or a log line may show.
    pub fn masked(&self) -> String {
        let keep = self.0.len().min(4).min(self.0.len() / 2);
        format!("{}{}", "*".repeat(self.0.len() - keep), &self.0[self.0.len() - keep..])
    }

    /// `text` with every appearance of the number masked: for the messages of a call that sent it (a server may
    /// echo it in an error), so that it reaches neither the log nor the last error in full. Found in any
    /// spelling a server or a person may give it: letters in either case, and anything that is not a letter or
    /// a digit between them (spaces, dashes, dots).
    pub fn mask_in(&self, text: &str) -> String {
        let number = self.0.as_bytes();
        let bytes = text.as_bytes();
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        let mut start = 0;
        while start < bytes.len() {
            // A match starts at the number's first character and, for a short number that may be part of a word
            // by chance, not inside a longer word. A long one is masked wherever it is: a server may glue it to a
            // word ("card4111...").
            let inside_word = number.len() < WHEREVER_FROM && start > 0 && bytes[start - 1].is_ascii_alphanumeric();
            match (!inside_word).then(|| spelt_at(bytes, start, number)).flatten() {
                Some(end) => {
                    out.push_str(&text[copied..start]);
                    out.push_str(&self.masked());
                    copied = end;
                    start = end;
                }
                None => start += 1,
            }
        }
        out.push_str(&text[copied..]);
        out
    }
}

/// A card number this long is masked also inside a longer word: no word holds it by chance.
const WHEREVER_FROM: usize = 12;

/// Where a spelling of `number` that starts at `start` of `text` ends: its characters in either case, with
/// anything but letters and digits (at most 3 bytes at a time) between them.
fn spelt_at(text: &[u8], start: usize, number: &[u8]) -> Option<usize> {
    let mut at = start;
    for (i, wanted) in number.iter().enumerate() {
        if i > 0 {
            let gap = text[at..].iter().take_while(|b| !b.is_ascii_alphanumeric()).count();
            if gap > 3 {
                return None;
            }
            at += gap;
        }
        if !text.get(at)?.eq_ignore_ascii_case(wanted) {
            return None;
        }
        at += 1;
    }
    Some(at)
}

impl std::fmt::Debug for CardNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "CardNumber({})", self.masked())
    }
}

impl NewBasket {
    /// `currency` is an ISO 4217 code: three letters A-Z, e.g. "EUR".
    pub fn new(currency: &str) -> Result<NewBasket, Error> {
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(Error::invalid("the currency must be three capital letters A-Z (ISO 4217, e.g. \"EUR\")"));
        }
        Ok(NewBasket {
            currency: currency.to_owned(),
            products: Vec::new(),
            merchant_ref: None,
            transaction_ref: None,
            ident: None,
        })
    }

    /// The ISO 4217 code the basket was made for.
    pub fn currency(&self) -> &str {
        &self.currency
    }

    /// Adds a position after checking its texts (a description is required) and VAT (0 to 100). A basket holds
    /// at most [`MAX_PRODUCTS`].
    pub fn add_product(&mut self, product: NewProduct) -> Result<(), Error> {
        if self.products.len() >= MAX_PRODUCTS {
            return Err(Error::invalid(format!(
                "the basket holds {MAX_PRODUCTS} products already, the most a basket may hold"
            )));
        }
        if product.desc.trim().is_empty() {
            return Err(Error::invalid("the product's description is empty"));
        }
        text(&product.desc, "the product's description")?;
        if let Some(article_number) = &product.article_number {
            text(article_number, "the article number")?;
        }
        if let Some(ean) = &product.ean {
            text(ean, "the EAN")?;
        }
        if product.vat_percent > 100 {
            return Err(Error::invalid(format!("the VAT is {} %, more than 100 %", product.vat_percent)));
        }
        self.products.push(product);
        Ok(())
    }

    /// The register's own references (`merchantRef`, `transactionRef`, e.g. its receipt number); `None` or ""
    /// sends none.
    pub fn set_refs(&mut self, merchant_ref: Option<&str>, transaction_ref: Option<&str>) -> Result<(), Error> {
        let checked = |value: Option<&str>, what| match value {
            None | Some("") => Ok(None),
            Some(value) => text(value, what).map(|()| Some(value.to_owned())),
        };
        let merchant_ref = checked(merchant_ref, "merchantRef")?;
        let transaction_ref = checked(transaction_ref, "transactionRef")?;
        self.merchant_ref = merchant_ref;
        self.transaction_ref = transaction_ref;
        Ok(())
    }

    /// The customer's loyalty card, sent as the transaction's ident (`idents: [{"type": "card", "value": ...}]`)
    /// so that its balance and points apply; `None` removes it from the basket.
    pub fn set_ident(&mut self, card_number: Option<&str>) -> Result<(), Error> {
        self.ident = card_number.map(CardNumber::parse).transpose()?;
        Ok(())
    }

    /// The register's `transactionRef`, by which a lost create is found again.
    pub fn transaction_ref(&self) -> Option<&str> {
        self.transaction_ref.as_deref()
    }

    pub fn ident(&self) -> Option<&CardNumber> {
        self.ident.as_ref()
    }

    pub fn products(&self) -> &[NewProduct] {
        &self.products
    }

    /// The total in cents: the sum of quantity × unit price. An overflow of `i64` or a negative total is an
    /// error, so that such a basket is never sent.
    pub fn sum(&self) -> Result<i64, Error> {
        let mut total: i64 = 0;
        for (index, product) in self.products.iter().enumerate() {
            total = i64::from(product.quantity)
                .checked_mul(product.unit_price_cents)
                .and_then(|line| total.checked_add(line))
                .ok_or_else(|| {
                    Error::invalid(format!(
                        "the basket's sum overflows at product {index} (more than {} cents)",
                        i64::MAX
                    ))
                })?;
        }
        if total < 0 {
            return Err(Error::invalid(format!("the basket's sum is negative ({total} cents)")));
        }
        Ok(total)
    }

    /// The body of `POST /Smart/Transactions` (and of the update, `PUT`): basket, basket_info (sum and
    /// currency) always, intent `sale`, and the references and the ident when set. Fails as [`NewBasket::sum`]
    /// does.
    pub fn to_json(&self) -> Result<Vec<u8>, Error> {
        let sum = self.sum()?;
        let products: Vec<Value> = self
            .products
            .iter()
            .zip(1..)
            .map(|(p, id): (&NewProduct, u32)| {
                json!({
                    "id": id,
                    "item_type": "article",
                    "desc": p.desc,
                    "articleNumber": p.article_number,
                    "ean": p.ean,
                    "quantity": p.quantity,
                    "priceOne": p.unit_price_cents,
                    "tax": p.vat_percent,
                })
            })
            .collect();
        let mut body = json!({
            "intent": "sale",
            "basket": { "products": products, "type": "default" },
            "basket_info": { "sum": sum, "currency": self.currency },
        });
        for (name, value) in [("merchantRef", &self.merchant_ref), ("transactionRef", &self.transaction_ref)] {
            if let Some(value) = value {
                body[name] = Value::from(value.as_str());
            }
        }
        if let Some(card) = &self.ident {
            body["idents"] = json!([{ "type": "card", "value": card.as_str() }]);
        }
        Ok(body.to_string().into_bytes())
    }
}

/// A text field: at most [`MAX_TEXT_BYTES`], no control characters (they would reach receipts and logs).
fn text(value: &str, what: &str) -> Result<(), Error> {
    if value.len() > MAX_TEXT_BYTES {
        return Err(Error::invalid(format!("{what} is {} bytes long, more than {MAX_TEXT_BYTES}", value.len())));
    }
    if value.chars().any(char::is_control) {
        return Err(Error::invalid(format!("{what} holds a control character")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(quantity: i32, unit_price_cents: i64) -> NewProduct {
        NewProduct {
            desc: "Brötchen".into(),
            article_number: None,
            ean: None,
            quantity,
            unit_price_cents,
            vat_percent: 7,
        }
    }

    fn basket(products: &[(i32, i64)]) -> NewBasket {
        let mut basket = NewBasket::new("EUR").unwrap();
        for &(quantity, price) in products {
            basket.add_product(product(quantity, price)).unwrap();
        }
        basket
    }

    #[test]
    fn sums_in_cents() {
        assert_eq!(basket(&[]).sum().unwrap(), 0);
        assert_eq!(basket(&[(1, 0)]).sum().unwrap(), 0);
        assert_eq!(basket(&[(1, 1)]).sum().unwrap(), 1);
        assert_eq!(basket(&[(3, 250), (2, 99)]).sum().unwrap(), 948);
        assert_eq!(basket(&[(i32::MAX, 1_000_000)]).sum().unwrap(), 2_147_483_647_000_000);
        // A coupon and a returned item inside a positive total are fine.
        assert_eq!(basket(&[(2, 500), (1, -200), (-1, 300)]).sum().unwrap(), 500);
    }

    #[test]
    fn overflow_and_negative_totals_are_refused() {
        let overflow = basket(&[(i32::MAX, i64::MAX)]).sum().unwrap_err();
        assert!(overflow.message.contains("overflows"), "{}", overflow.message);
        assert!(basket(&[(1, i64::MAX), (1, 1)]).sum().is_err());
        assert!(basket(&[(i32::MIN, i64::MAX)]).sum().is_err());
        let negative = basket(&[(1, 100), (1, -101)]).sum().unwrap_err();
        assert!(negative.message.contains("negative"), "{}", negative.message);
        assert!(basket(&[(1, i64::MAX), (1, 1)]).to_json().is_err(), "no body for a basket that overflows");
    }

    #[test]
    fn the_body_carries_products_sum_and_refs() {
        let mut b = basket(&[(2, 150)]);
        b.add_product(NewProduct {
            article_number: Some("30037".into()),
            ean: Some("4006381333931".into()),
            ..product(1, 5)
        })
        .unwrap();
        b.set_refs(Some("till-7"), Some("Belegnr. 55501")).unwrap();
        let body: Value = serde_json::from_slice(&b.to_json().unwrap()).unwrap();
        assert_eq!(body["basket_info"], json!({"sum": 305, "currency": "EUR"}));
        assert_eq!(body["basket"]["products"][1]["id"], 2);
        assert_eq!(body["basket"]["products"][1]["articleNumber"], "30037");
        assert_eq!(body["basket"]["products"][0]["priceOne"], 150);
        assert_eq!(body["basket"]["products"][0]["tax"], 7);
        assert_eq!(
            (body["merchantRef"].as_str(), body["transactionRef"].as_str()),
            (Some("till-7"), Some("Belegnr. 55501"))
        );
        b.set_refs(None, Some("")).unwrap();
        let body: Value = serde_json::from_slice(&b.to_json().unwrap()).unwrap();
        assert!(body.get("merchantRef").is_none() && body.get("transactionRef").is_none());
    }

    #[test]
    fn the_ident_is_sent_in_the_apis_shape_and_never_shown_in_full() {
        let mut b = basket(&[(1, 100)]);
        b.set_ident(Some("9276004429942845")).unwrap();
        let body: Value = serde_json::from_slice(&b.to_json().unwrap()).unwrap();
        assert_eq!(body["idents"], json!([{"type": "card", "value": "9276004429942845"}]));
        let shown = format!("{b:?}");
        assert!(!shown.contains("9276004429942845") && shown.contains("************2845"), "{shown}");
        let card = b.ident().unwrap();
        assert_eq!(card.mask_in("card 9276004429942845 is locked"), "card ************2845 is locked");
        for spelt in ["9276 0044 2994 2845", "9276-0044-2994-2845", "9276  0044.2994/2845", "9276 - 0044 2994 2845"] {
            assert_eq!(card.mask_in(&format!("card {spelt}.")), "card ************2845.", "{spelt}");
        }
        let letters = CardNumber::parse("AB12cd34").unwrap();
        assert_eq!(letters.mask_in("ab12CD34 / Ab12 Cd34"), "****cd34 / ****cd34");
        // Inside a longer word, or with too much between its characters: not the number.
        assert_eq!(letters.mask_in("xAB12cd34 AB12    cd34"), "xAB12cd34 AB12    cd34");
        // A long one is masked also glued to a word.
        assert_eq!(card.mask_in("card9276004429942845 x_9276004429942845"), "card************2845 x_************2845");
        assert_eq!(CardNumber::parse("1234").unwrap().masked(), "**34", "a short number keeps half at most");
        for bad in ["", "9276 0044", "92760044\n", "ä1", &"1".repeat(65)] {
            let e = b.set_ident(Some(bad)).unwrap_err();
            assert!(bad.len() < 5 || !e.message.contains(bad), "{}", e.message);
        }
        assert!(b.ident().is_some(), "a refused number leaves the card as it was");
        b.set_ident(None).unwrap();
        let body: Value = serde_json::from_slice(&b.to_json().unwrap()).unwrap();
        assert!(body.get("idents").is_none());
    }

    #[test]
    fn bad_fields_are_refused() {
        assert!(NewBasket::new("eur").is_err() && NewBasket::new("EURO").is_err() && NewBasket::new("").is_err());
        let mut b = basket(&[]);
        assert!(b.add_product(NewProduct { desc: " ".into(), ..product(1, 1) }).is_err());
        assert!(b.add_product(NewProduct { desc: "a\nb".into(), ..product(1, 1) }).is_err());
        assert!(b.add_product(NewProduct { vat_percent: 101, ..product(1, 1) }).is_err());
        assert!(b.add_product(NewProduct { ean: Some("x".repeat(MAX_TEXT_BYTES + 1)), ..product(1, 1) }).is_err());
        assert!(b.products().is_empty());
    }
}
