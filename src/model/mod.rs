//! The transaction model: what the API answers, read into typed structures. Knows nothing of HTTP or C.
//!
//! [`Transaction`] holds every field a register reads (products, idents with their card and balances, references,
//! receipts), [`Status`] its status as an enum, and [`Transaction::pointer`] any other field by JSON pointer from
//! the kept answer ([`Source`], walked without building a tree). [`PreTransaction`] is the answer of preTransaction. Every field is read
//! leniently: a number sent as a string reads the same, a wrong shape reads as absent. The strings of a reading
//! are kept together in its [`Texts`], the fields hold a [`TextRef`] each. [`Verdict`] is what a status means
//! for the register after a lost answer: the contract's table, used by the API's check and the journal.

pub mod card;
pub mod lenient;
pub mod list;
pub mod receipt;
pub mod source;
pub mod status;
pub mod texts;
pub mod transaction;
pub mod verdict;

pub use list::TransactionList;
pub use receipt::{Decorations, LineKind, ReceiptLine};
pub use source::{PointerError, Source};
pub use status::Status;
pub use texts::{TextRef, Texts};
pub use transaction::{ParseError, PreTransaction, Product, Transaction};
pub use verdict::Verdict;
