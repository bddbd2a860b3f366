//! Tokens: the grants of the token endpoint, the cache that renews them, the device flow, and the client
//! that puts them on every API call. Uses `client` for every request; knows nothing of C.

mod cache;
mod device;
mod session;
pub mod token;

pub use session::ApiClient;
pub use token::{ClientId, DeviceCode};
