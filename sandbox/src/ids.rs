//! Random identifiers: supportId values and transaction ids. A xorshift64* generator is plenty for a sandbox
//! (the ids only need to differ), and it keeps the binary free of an extra rand crate.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Generator state shared by all threads; 0 means "not seeded yet".
static STATE: AtomicU64 = AtomicU64::new(0);

const ID_ALPHABET: &[u8; 36] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// One xorshift64 step. Never maps a non-zero state to 0.
pub fn xorshift64(mut x: u64) -> u64 {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    x
}

fn seed() -> u64 {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0);
    let pid = u64::from(std::process::id());
    // The splitmix constant spreads the bits; `| 1` keeps the state non-zero.
    (nanos ^ (pid << 32)).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1
}

/// Next random value (xorshift64* output of the shared state).
pub fn next_u64() -> u64 {
    loop {
        let current = STATE.load(Ordering::Relaxed);
        let next = xorshift64(if current == 0 { seed() } else { current });
        if STATE.compare_exchange_weak(current, next, Ordering::Relaxed, Ordering::Relaxed).is_ok() {
            return next.wrapping_mul(0x2545_F491_4F6C_DD1D);
        }
    }
}

/// 32 lowercase hex characters from two random words, the shape of the API's supportId.
pub fn hex32(high: u64, low: u64) -> String {
    format!("{high:016x}{low:016x}")
}

pub fn support_id() -> String {
    hex32(next_u64(), next_u64())
}

/// `len` characters of [A-Z0-9] drawn from `next`.
pub fn upper_alphanumeric(len: usize, mut next: impl FnMut() -> u64) -> String {
    (0..len).map(|_| char::from(ID_ALPHABET[(next() % 36) as usize])).collect()
}

/// "STX_" + 30 characters [A-Z0-9], like the real API's smart transaction ids.
pub fn random_transaction_id() -> String {
    random_object_id("STX")
}

/// `{type}_` + 30 characters [A-Z0-9]: the API's object ids (`STX_`, `LTX_`, `PCI_`...).
pub fn random_object_id(object_type: &str) -> String {
    format!("{object_type}_{}", upper_alphanumeric(30, next_u64))
}

/// `len` characters of [a-z0-9], the shape of access tokens and user codes.
pub fn lower_alphanumeric(len: usize) -> String {
    upper_alphanumeric(len, next_u64).to_ascii_lowercase()
}

/// 40 lowercase hex characters, the shape of refresh tokens.
pub fn hex40() -> String {
    format!("{}{:08x}", support_id(), next_u64() as u32)
}

/// Ids and prefixes seen in the API are `[A-Za-z0-9_]`; anything else would not survive a URL path unescaped.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 128 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xorshift_follows_the_textbook_steps() {
        // 1 -> x ^= x<<13 (0x2001) -> x ^= x>>7 (0x2001 ^ 0x40 = 0x2041) -> x ^= x<<17
        assert_eq!(xorshift64(1), 0x2041 ^ (0x2041 << 17));
        assert_ne!(xorshift64(u64::MAX), 0);
    }

    #[test]
    fn hex32_is_32_lowercase_hex_chars_with_leading_zeros() {
        assert_eq!(hex32(0, 0xAB), "000000000000000000000000000000ab");
        assert_eq!(hex32(u64::MAX, 1).len(), 32);
    }

    #[test]
    fn support_ids_are_lowercase_hex_and_differ() {
        let a = support_id();
        let b = support_id();
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)), "{a}");
        assert_ne!(a, b);
    }

    #[test]
    fn transaction_ids_look_like_the_apis() {
        let id = random_transaction_id();
        assert_eq!(id.len(), 34);
        assert!(id.starts_with("STX_"));
        assert!(id[4..].bytes().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
        assert_ne!(id, random_transaction_id());
    }

    #[test]
    fn upper_alphanumeric_maps_values_onto_the_alphabet() {
        let mut values = [0u64, 25, 26, 35, 36].into_iter();
        assert_eq!(upper_alphanumeric(5, || values.next().unwrap()), "AZ09A");
    }

    #[test]
    fn id_validation() {
        assert!(is_valid_id("STX_KJXJDUN542NR3WMRHRVU5WWM6ZQEA2"));
        assert!(is_valid_id("abc_1"));
        for bad in ["", "a/b", "a b", "x%2F", "ä", &"A".repeat(129)] {
            assert!(!is_valid_id(bad), "{bad:?} accepted");
        }
    }
}
