//! Tokens only: the grants of the token endpoint, the cache that renews them, the device flow. Uses
//! [`http`](crate::http) for every request; knows nothing of C. The client that puts the tokens on every API call
//! is [`api::Client`](crate::api::Client).

pub(crate) mod cache;
pub(crate) mod device;
pub mod token;

pub use token::{ClientId, DeviceCode};
