//! The transaction model: what the API answers, read into typed structures. Knows nothing of HTTP or C.

pub mod lenient;
pub mod list;
pub mod receipt;
pub mod transaction;

pub use list::TransactionList;
pub use receipt::{Decorations, LineKind, ReceiptLine};
pub use transaction::{ParseError, Transaction};
