//! Checks of what a caller passes before anything is sent.

use std::fmt;

use super::error::Error;

/// A transaction id: 1 to 128 of `A-Z a-z 0-9 _ -`, so it is safe in a URL path as it is, and not `me` in any
/// case ([`addresses_the_device`]).
#[derive(Debug, Clone, Copy)]
pub struct TransactionId<'a>(&'a str);

/// `me` stands for the calling device in the API's paths (`/Smart/Transactions/me/endOfDay`): as an id or a
/// receipt number it would address the device's own routes instead of a transaction. Refused in any case
/// (`ME`, `Me`): the API matches some routes without regard to case, and no transaction id is `me`.
pub fn addresses_the_device(segment: &str) -> bool {
    segment.eq_ignore_ascii_case("me")
}

impl<'a> TransactionId<'a> {
    pub const MAX_LEN: usize = 128;

    pub fn parse(id: &'a str) -> Result<Self, Error> {
        path_id(id, "the transaction id", "a transaction").map(TransactionId)
    }

    pub fn as_str(&self) -> &'a str {
        self.0
    }
}

/// An id that goes into a URL path as it is: 1 to 128 of `A-Z a-z 0-9 _ -`, and not `me` in any case.
/// `what` names it in the message ("the transaction id"), `kind` what it must address ("a transaction").
fn path_id<'a>(id: &'a str, what: &str, kind: &str) -> Result<&'a str, Error> {
    if id.is_empty() || id.len() > TransactionId::MAX_LEN {
        return Err(Error::invalid(format!(
            "{what} must be 1 to {} characters long, not {}",
            TransactionId::MAX_LEN,
            id.len()
        )));
    }
    if let Some(at) = id.bytes().position(|b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-')) {
        return Err(Error::invalid(format!("{what} has a character other than A-Z a-z 0-9 _ - at byte {at}")));
    }
    if addresses_the_device(id) {
        return Err(Error::invalid(format!("{what} is \"me\", which addresses this device, not {kind}")));
    }
    Ok(id)
}

/// The id of an object other than a transaction (a card "MCD_...", a device "SDV_...", a contract "GCR_..."):
/// checked as a transaction id is, with `what` naming it in the message.
#[derive(Debug, Clone, Copy)]
pub struct ObjectId<'a>(&'a str);

impl<'a> ObjectId<'a> {
    pub fn parse(id: &'a str, what: &str) -> Result<Self, Error> {
        path_id(id, what, "an object").map(ObjectId)
    }

    pub fn as_str(&self) -> &'a str {
        self.0
    }
}

/// A bearer token: 1 to 4096 visible ASCII characters, so it cannot split or forge a header.
/// Its `Debug` never shows it, so it cannot end up in a log or a panic message by accident.
#[derive(Clone, Copy)]
pub struct Token<'a>(&'a str);

impl<'a> Token<'a> {
    pub const MAX_LEN: usize = 4096;

    /// Takes bytes, not `str`: a token is ASCII, so bad UTF-8 is just another bad character.
    pub fn parse(token: &'a [u8]) -> Result<Self, Error> {
        visible_ascii(token, "the token").map(Token)
    }

    pub fn as_str(&self) -> &'a str {
        self.0
    }
}

/// A credential (token, client id or secret, refresh token, device uuid): 1 to 4096 visible ASCII characters,
/// so that it cannot split or forge a header or a form field. `what` names it in the message, which never
/// shows the value.
pub fn visible_ascii<'a>(value: &'a [u8], what: &str) -> Result<&'a str, Error> {
    if value.is_empty() || value.len() > Token::MAX_LEN {
        return Err(Error::invalid(format!(
            "{what} must be 1 to {} characters long, not {}",
            Token::MAX_LEN,
            value.len()
        )));
    }
    if let Some(at) = value.iter().position(|b| !(0x21..=0x7e).contains(b)) {
        let kind = match value[at] {
            b'\r' | b'\n' => "a line break (CR/LF)",
            b' ' => "a space",
            0x80.. => "a non-ASCII byte",
            _ => "a control character",
        };
        return Err(Error::invalid(format!("{what} has {kind} at byte {at}; it must be visible ASCII only")));
    }
    // Only 0x21..=0x7e passed, which is valid UTF-8.
    Ok(std::str::from_utf8(value).expect("visible ASCII is UTF-8"))
}

impl fmt::Debug for Token<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "Token(<{} characters, redacted>)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(TransactionId::parse("STX_KJXJDUN542NR3WMRHRVU5WWM6ZQEA2").is_ok());
        assert!(TransactionId::parse("a-b_C9").is_ok());
        assert!(TransactionId::parse(&"A".repeat(128)).is_ok());
        for bad in ["", "STX/../x", "STX 1", "STX%2F", "STX?x", "Ä", &"A".repeat(129), "me", "ME", "Me", "mE"] {
            assert!(TransactionId::parse(bad).is_err(), "{bad:?}");
        }
        assert!(TransactionId::parse("meme").is_ok() && TransactionId::parse("me_1").is_ok());
    }

    #[test]
    fn tokens_and_what_their_errors_say() {
        assert!(Token::parse(b"qb56tjj1bcvo9n2nj4u38k84lo").is_ok());
        assert!(Token::parse(&[b'x'; 4096]).is_ok());
        assert!(Token::parse(&[b'x'; 4097]).is_err());
        assert!(Token::parse(b"").is_err());
        let e = Token::parse(b"secret\r\nX-Evil: 1").unwrap_err();
        assert!(e.message.contains("CR/LF") && !e.message.contains("secret"));
        assert!(Token::parse(b"a b").unwrap_err().message.contains("space"));
        assert!(Token::parse(b"a\xffb").unwrap_err().message.contains("non-ASCII"));
        assert!(Token::parse(b"a\x7fb").is_err());
    }

    #[test]
    fn token_debug_is_redacted() {
        let shown = format!("{:?}", Token::parse(b"verysecrettoken").unwrap());
        assert!(!shown.contains("verysecret"), "{shown}");
    }
}
