//! The checks of what a caller passes, before anything is sent: a base URL, a transaction id, a token. No
//! panic, and whatever passes keeps the promises the rest of the library relies on.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smartx::http::{BaseUrl, Token, TransactionId};

fuzz_target!(|input: &[u8]| {
    let Some((&selector, bytes)) = input.split_first() else { return };
    match selector % 3 {
        0 => {
            if let Ok(token) = Token::parse(bytes) {
                assert!(token.as_str().bytes().all(|b| (0x21..=0x7e).contains(&b)), "a header-safe token");
            }
        }
        1 => {
            if let Ok(id) = std::str::from_utf8(bytes).map(TransactionId::parse) {
                if let Ok(id) = id {
                    assert!(id.as_str().bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'));
                }
            }
        }
        _ => {
            if let Ok(Ok(base)) = std::str::from_utf8(bytes).map(BaseUrl::parse) {
                let url = base.as_str();
                assert!(url.starts_with("https://") || url.starts_with("http://"), "{url}");
                assert!(!url.ends_with('/'), "{url}");
            }
        }
    }
});
