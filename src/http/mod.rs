//! The HTTP side: configuration, checks of what is sent, the call, and the classification of its answer.
//! Knows nothing of C.

pub mod base_url;
pub mod config;
pub mod diagnose;
pub mod error;
pub mod exchange;
pub mod expect;
pub mod failure;
pub mod log;
pub mod outcome;
pub mod request;
pub mod settings;
pub mod transport;
pub mod validate;

pub use base_url::BaseUrl;
pub use config::Timeouts;
pub use error::{Error, ErrorKind};
pub use exchange::{Agent, Answer};
pub use expect::{Effect, Expect, Subject, Wanted};
pub use log::{Level, Log, LogSink, Secrets};
pub use request::{Body, Bound, Method, Request, Sent};
pub use settings::{ProxyUrl, Settings};
pub use transport::Abandon;
pub use validate::{ObjectId, Token, TransactionId};
