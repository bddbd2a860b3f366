//! The Smart Transactions lifecycle as a safe Rust API over [`ApiClient`](crate::auth::ApiClient): create a transaction from a
//! [`Basket`], read it, ask what remains to pay ([`pre_transaction`]), start it with a payment method, cancel or
//! abort it, and after a lost answer [`check`] what really happened. Knows nothing of C; the C functions `sx_basket_*` and `sx_transaction_*`
//! are glue over it.
//!
//! Nothing here repeats a call on its own: after
//! [`ErrorKind::OutcomeUnknown`](crate::client::ErrorKind::OutcomeUnknown) a start may have been executed,
//! and only [`check`] tells.
//!
//! ```no_run
//! use smartx::api::{self, Basket, Product, Verdict};
//! use smartx::auth::ApiClient;
//! use smartx::client::{BaseUrl, ErrorKind, TransactionId};
//!
//! # fn main() -> Result<(), smartx::client::Error> {
//! let client = ApiClient::new(BaseUrl::parse("http://127.0.0.1:8080")?);
//! let mut basket = Basket::new("EUR")?;
//! basket.add_product(Product {
//!     desc: "Brötchen".into(), article_number: None, ean: None, quantity: 3, unit_price_cents: 45, vat_percent: 7,
//! })?;
//! let created = api::create(&client, &basket).into_result()?;
//! let id = created.id.unwrap_or_default();
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
mod verdict;

pub use basket::{Basket, Product, MAX_TEXT_BYTES};
pub use calls::{
    abort, cancel, check, create, get, pre_transaction, start, Answer, Checked, PaymentMethod, PreTransactionAnswer,
};
pub use verdict::Verdict;
