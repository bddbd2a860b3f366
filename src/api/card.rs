//! Beyond the transaction: the customer's loyalty card at the till (find it by number, check its security code
//! or passcode, its balance slip), the terminal beside the till (`smart.devices`) and the payment methods of a
//! contract. Reads, every one: nothing here moves money, and nothing is journaled or repeated by the library.
//!
//! Each answer belongs to its request: a card found for another number, a device with another id, is
//! [`ErrorKind::BadResponse`]. Money is integer cents: an amount sent as a float or a string refuses the answer
//! ([`ErrorKind::BadResponse`]), it is never rounded. The card number travels in the path of the search and in
//! the bodies of the checks; it is masked in every log line and message of these calls.

use serde_json::json;

use super::basket::CardNumber;
use super::Client;
use crate::http::{Answer, Body, Error, ErrorKind, ObjectId, Request, Subject, Wanted};
use crate::model::card::{self, BalanceReceipt, Device, DocumentError, MerchantCard};

const CARDS: &str = "/api/v2/Loyalty/MerchantCards";
const DEVICES: &str = "/api/v2/Smart/Devices";
const CONTRACTS: &str = "/api/v2/General/Contracts";

/// What a call beyond the transaction brought back: its [`Answer`] (with no transaction), and its own document
/// on success, as [`super::Checked`] carries a verdict.
#[derive(Debug)]
pub struct Found<T> {
    pub answer: Answer,
    /// The document on success.
    pub value: Option<T>,
}

impl<T> Found<T> {
    pub fn into_result(self) -> Result<T, Error> {
        self.answer.result?;
        self.value.ok_or_else(|| Error::new(ErrorKind::BadResponse, "the answer held nothing"))
    }
}

/// Sends `request` (a document, not a transaction: [`Subject::Document`]) and reads a 2xx answer with `read`,
/// which also checks that it is about what was asked. A reading that fails is [`ErrorKind::BadResponse`];
/// `card` (when the request carried one) is masked in every message.
fn document<T>(
    client: &Client,
    request: Request,
    card: Option<&CardNumber>,
    read: impl FnOnce(&[u8]) -> Result<T, DocumentError>,
) -> Found<T> {
    let mut answer = client.call(request.expecting(Subject::Document, Wanted::AnyState));
    let mut value = None;
    if answer.result.is_ok() {
        match read(&answer.body) {
            Ok(read) => value = Some(read),
            Err(e) => {
                answer.result = Err(Error::new(
                    ErrorKind::BadResponse,
                    format!(
                        "HTTP {}: {e}. A read changes nothing: it is safe to ask again",
                        answer.http_status.unwrap_or(0)
                    ),
                ))
            }
        }
    }
    if let (Err(e), Some(card)) = (&mut answer.result, card) {
        e.message = card.mask_in(&e.message);
    }
    Found { answer, value }
}

/// `GET /Loyalty/MerchantCards?q=card.cardnumber:{number}`: the balance enquiry. `Ok(None)` for an unknown card
/// (the API answers 200 with `count: 0`); more than one match, or a card with another number, is
/// [`ErrorKind::BadResponse`]. The log shows the number masked.
pub fn find_card(client: &Client, number: &CardNumber) -> Found<Option<MerchantCard>> {
    let path = format!("{CARDS}?q=card.cardnumber:{}&count=2", number.as_str());
    let shown = format!("{CARDS}?q=card.cardnumber:{}&count=2", number.masked());
    let request = Request::get(&path).shown_as(&shown);
    document(client, request, Some(number), |body| {
        let found = card::card_search(body)?;
        match &found {
            Some(card) if card.number != number.as_str() => Err(DocumentError(format!(
                "the card found has the number {}, not {} that was asked for: it is another card",
                CardNumber::parse(&card.number).map_or_else(|_| "(not a card number)".to_owned(), |n| n.masked()),
                number.masked()
            ))),
            _ => Ok(found),
        }
    })
}

/// A card security code (CSC): 1 to 8 digits.
fn check_digits<'a>(value: &'a str, what: &str, max: usize) -> Result<&'a str, Error> {
    if value.is_empty() || value.len() > max || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid(format!("{what} must be 1 to {max} digits")));
    }
    Ok(value)
}

fn card_id(card: &MerchantCard) -> Result<ObjectId<'_>, Error> {
    ObjectId::parse(&card.id, "the card id")
}

fn card_number(card: &MerchantCard) -> Result<CardNumber, Error> {
    CardNumber::parse(&card.number)
}

/// `POST /Loyalty/MerchantCards/{id}/checkCsc` with `{cardnumber, csc}`: whether the card security code is
/// right. A "no" is `Ok(false)`, never an error; an answer without a boolean `result` is
/// [`ErrorKind::BadResponse`] (never read as a yes, as the .NET SDK did).
pub fn check_csc(client: &Client, card: &MerchantCard, csc: &str) -> Found<bool> {
    let checked = card_id(card).and_then(|id| Ok((id, card_number(card)?, check_digits(csc, "the CSC", 8)?)));
    let (id, number, csc) = match checked {
        Ok(checked) => checked,
        Err(e) => return refused(e),
    };
    let path = format!("{CARDS}/{}/checkCsc", id.as_str());
    let body = json!({ "cardnumber": number.as_str(), "csc": csc }).to_string().into_bytes();
    document(client, Request::post(&path, Body::Json(body)).reading(), Some(&number), card::check_result)
}

/// `POST /Loyalty/MerchantCards/{id}/checkPasscode` with `{cardnumber, pin}`: whether the passcode is right.
/// The spec sends `pin` as an integer: a PIN with a leading zero cannot survive that form, so it is refused
/// ([`ErrorKind::InvalidArgument`]) rather than sent as another number. A "no" is `Ok(false)`.
pub fn check_passcode(client: &Client, card: &MerchantCard, pin: &str) -> Found<bool> {
    let checked = card_id(card).and_then(|id| {
        let pin = check_digits(pin, "the passcode", 9)?;
        if pin.len() > 1 && pin.starts_with('0') {
            return Err(Error::invalid(
                "the passcode starts with 0, which the API's integer form of it would lose: it is not sent",
            ));
        }
        Ok((id, card_number(card)?, pin.parse::<u64>().map_err(|_| Error::invalid("the passcode is too long"))?))
    });
    let (id, number, pin) = match checked {
        Ok(checked) => checked,
        Err(e) => return refused(e),
    };
    let path = format!("{CARDS}/{}/checkPasscode", id.as_str());
    let body = json!({ "cardnumber": number.as_str(), "pin": pin }).to_string().into_bytes();
    document(client, Request::post(&path, Body::Json(body)).reading(), Some(&number), card::check_result)
}

/// `POST /Loyalty/MerchantCards/{id}/getCardBalanceReceipt` with `{cardnumber, terminal_id}`: the balance slip
/// (`receipt_header[]` and `receipt[]`) and the balances. `terminal_id` (what it must hold is documented
/// nowhere) is sent only when given: 1 to 64 visible ASCII characters. An answer with `valid: false` is
/// [`ErrorKind::NotOk`] (the API says the card cannot be used), with the slip in the value all the same.
pub fn balance_receipt(client: &Client, card: &MerchantCard, terminal_id: Option<&str>) -> Found<BalanceReceipt> {
    let checked = card_id(card).and_then(|id| Ok((id, card_number(card)?)));
    let (id, number) = match checked {
        Ok(checked) => checked,
        Err(e) => return refused(e),
    };
    if let Some(terminal) = terminal_id {
        if terminal.is_empty() || terminal.len() > 64 || !terminal.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
            return refused(Error::invalid("the terminal id must be 1 to 64 visible ASCII characters"));
        }
    }
    let path = format!("{CARDS}/{}/getCardBalanceReceipt", id.as_str());
    let mut body = json!({ "cardnumber": number.as_str() });
    if let Some(terminal) = terminal_id {
        body["terminal_id"] = json!(terminal);
    }
    let request = Request::post(&path, Body::Json(body.to_string().into_bytes())).reading();
    let mut found = document(client, request, Some(&number), BalanceReceipt::from_json);
    if found.answer.result.is_ok() && found.value.as_ref().is_some_and(|slip| slip.valid == Some(false)) {
        found.answer.result = Err(Error::new(
            ErrorKind::NotOk,
            format!("the API says card {} is not valid (\"valid\": false)", number.masked()),
        ));
    }
    found
}

fn refused<T>(e: Error) -> Found<T> {
    Found { answer: Answer::refused(e), value: None }
}

/// The device must be the one asked for, byte for byte.
fn the_device(asked: ObjectId<'_>) -> impl FnOnce(&[u8]) -> Result<Device, DocumentError> + '_ {
    move |body| {
        let device = Device::from_json(body)?;
        if device.id != asked.as_str() {
            return Err(DocumentError(format!(
                "the answer is about device \"{}\", not \"{}\" that was asked for: it is the answer to another \
                 request",
                crate::http::error::sanitize(&device.id, 64),
                asked.as_str()
            )));
        }
        Ok(device)
    }
}

/// `GET /Smart/Devices/{id}`: a device, e.g. the card terminal named by a card payment's `device_destination`.
/// An answer about another device is [`ErrorKind::BadResponse`]. `online` is the API's only liveness field: it
/// does not prove the terminal can pay (only a payment or the diagnosis does).
pub fn get_device(client: &Client, id: ObjectId) -> Found<Device> {
    let path = format!("{DEVICES}/{}", id.as_str());
    document(client, Request::get(&path), None, the_device(id))
}

/// The routing types of `GET /Smart/Devices/{id}/routing/{type}`.
pub const ROUTING_TYPES: [&str; 4] = ["cashier", "zvt", "shopmodule", "webterminal"];

/// `GET /Smart/Devices/{id}/routing/{type}`: "Returns the specified Smart Device if it is assigned to a
/// routing" (the spec's only words). Which device comes back, the one asked for or the `type` device routed to
/// it, is not documented: the SDKs' guess is that the register's own id with `zvt` gives its terminal. So the
/// answer must be a device with an id (any); the caller looks at its type.
pub fn routed_device(client: &Client, id: ObjectId, routing: &str) -> Found<Device> {
    if !ROUTING_TYPES.contains(&routing) {
        return refused(Error::invalid(
            "the routing type must be \"cashier\", \"zvt\", \"shopmodule\" or \"webterminal\"",
        ));
    }
    let path = format!("{DEVICES}/{}/routing/{routing}", id.as_str());
    document(client, Request::get(&path), None, Device::from_json)
}

/// `POST /General/Contracts/{id}/getAvailablePaymentMethods` with `{currency, is_demo, apiv2_products}`: the
/// methods the contract allows, as the API names them (a list of strings the register maps to its buttons).
/// POST, but it changes nothing.
pub fn payment_methods(
    client: &Client,
    contract: ObjectId,
    currency: &str,
    demo: bool,
    apiv2_names: bool,
) -> Found<Vec<String>> {
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return refused(Error::invalid("the currency must be three capital letters A-Z (ISO 4217, e.g. \"EUR\")"));
    }
    let path = format!("{CONTRACTS}/{}/getAvailablePaymentMethods", contract.as_str());
    let body = json!({ "currency": currency, "is_demo": demo, "apiv2_products": apiv2_names });
    let request = Request::post(&path, Body::Json(body.to_string().into_bytes())).reading();
    document(client, request, None, card::string_list)
}
