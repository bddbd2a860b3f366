//! The HTTP side: configuration, checks of what is sent, the call, and the classification of its answer.
//! Knows nothing of C.

pub mod config;
pub mod error;
pub mod http;
pub mod outcome;
pub mod resolve;
pub mod transport;
pub mod validate;

pub use config::{BaseUrl, Timeouts};
pub use error::{Error, ErrorKind};
pub use http::{Client, Exchange};
pub use validate::{Token, TransactionId};
