//! The transaction model: what the API answers, read into typed structures. Knows nothing of HTTP or C.

pub mod lenient;
pub mod receipt;
pub mod source;
pub mod status;
pub mod transaction;

pub use receipt::{Decorations, LineKind, ReceiptLine};
pub use source::{PointerError, Source};
pub use status::Status;
pub use transaction::{ParseError, PreTransaction, Product, Transaction};
