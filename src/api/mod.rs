//! The Smart Transactions lifecycle as a safe Rust API over [`Client`]: create a transaction from a
//! [`NewBasket`] (with the customer's loyalty card as its ident), read it, find it by the register's own reference
//! ([`list`]), [`update`] its basket before the start, start it with a payment method (or
//! [`start_cashless_direct`] for the register's own terminal), cancel or abort it, reverse a card payment by
//! its receipt number ([`cancel_by_receipt`]), close the day ([`end_of_day`]) and ask the terminal how it is
//! ([`diagnosis`]), ask what remains to pay before the start ([`pre_transaction`]), and after a lost answer
//! [`check`] what really happened.
//!
//! Timeouts: the calls that wait for a card terminal (a start by a terminal method, [`start_cashless_direct`],
//! [`cancel_by_receipt`], [`end_of_day`], [`diagnosis`]) run under the client's terminal timeout; every other
//! call under its total timeout. Knows nothing of C; the C functions `sx_basket_*` and `sx_transaction_*`
//! are glue over it.
//!
//! Nothing here repeats a call on its own: after
//! [`ErrorKind::OutcomeUnknown`](crate::http::ErrorKind::OutcomeUnknown) a start may have been executed,
//! and only [`check`] tells.
//!
//! ```no_run
//! use smartx::api::{self, NewBasket, NewProduct, Verdict};
//! use smartx::api::Client;
//! use smartx::http::{BaseUrl, ErrorKind, TransactionId};
//!
//! # fn main() -> Result<(), smartx::http::Error> {
//! let client = Client::new(BaseUrl::parse("http://127.0.0.1:8080")?);
//! let mut basket = NewBasket::new("EUR")?;
//! basket.add_product(NewProduct {
//!     desc: "Brötchen".into(), article_number: None, ean: None, quantity: 3, unit_price_cents: 45, vat_percent: 7,
//! })?;
//! let created = api::create(&client, &basket).into_result()?;
//! let id = created.text(created.id).unwrap_or_default().to_owned();
//! let id = TransactionId::parse(&id)?;
//! match api::start(&client, id, api::PaymentMethod::parse("cash")?).into_result() {
//!     Ok(paid) => println!("paid: {} receipt lines", paid.receipt.len()),
//!     Err(e) if e.kind == ErrorKind::OutcomeUnknown => {
//!         let (verdict, _) = api::check(&client, id).into_result()?;
//!         println!("after the lost answer: {verdict:?}");
//!     }
//!     Err(e) => println!("not paid: {e}"),
//! }
//! # Ok(()) }
//! ```

mod basket;
mod calls;
mod card;
mod client;
mod reconcile;

pub use crate::http::Answer;
pub use crate::model::Verdict;
pub use basket::{CardNumber, NewBasket, NewProduct, MAX_PRODUCTS, MAX_TEXT_BYTES};
pub use calls::{
    abort, cancel, cancel_by_receipt, check, create, diagnosis, end_of_day, get, list, pre_transaction, start,
    start_cashless_direct, update, Checked, DirectPayment, ListAnswer, PaymentMethod, PreTransactionAnswer,
    ReceiptNumber, RefQuery,
};
pub use card::{
    balance_receipt, check_csc, check_passcode, find_card, get_device, payment_methods, routed_device, Found,
    ROUTING_TYPES,
};
pub use client::Client;
pub use reconcile::{no_journal, reconcile};
