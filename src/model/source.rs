//! The answer a transaction was read from, kept so that any field can be reached by a JSON pointer, also the
//! ones the typed structures leave out.
//!
//! The text is kept as it was read (after [`prepare`](super::lenient::prepare)); it is parsed into a
//! [`serde_json::Value`] only the first time a pointer is asked for, so reading a transaction costs one
//! parse, not two.

use std::fmt;
use std::sync::OnceLock;

use serde_json::Value;

/// The JSON text of an answer and, once asked for, its parsed tree. Shared between threads once made.
#[derive(Clone, Default)]
pub struct Source {
    text: Box<str>,
    tree: OnceLock<Option<Value>>,
}

/// Why a JSON pointer found nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointerError {
    /// Not "" and not starting with "/" (RFC 6901).
    Malformed,
    /// No value there, or a JSON `null`.
    Absent,
}

impl Source {
    /// Keeps `text`, which the caller has read as a JSON object already.
    pub fn new(text: impl Into<Box<str>>) -> Source {
        Source { text: text.into(), tree: OnceLock::new() }
    }

    /// The JSON text ("" for a transaction that was not read from an answer).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The value at an RFC 6901 `pointer` ("" is the whole answer, "/basket/products/0/desc" a field; `~1`
    /// stands for `/` and `~0` for `~` in a key). A JSON `null` counts as absent, as in the typed fields.
    pub fn pointer(&self, pointer: &str) -> Result<&Value, PointerError> {
        if !(pointer.is_empty() || pointer.starts_with('/')) {
            return Err(PointerError::Malformed);
        }
        // Duplicate keys: the last wins, as in the typed reading. A text that the typed reading accepted always
        // parses; `None` covers a Source made by hand from anything else.
        let tree = self.tree.get_or_init(|| serde_json::from_str(&self.text).ok());
        match tree.as_ref().and_then(|tree| tree.pointer(pointer)) {
            None | Some(Value::Null) => Err(PointerError::Absent),
            Some(value) => Ok(value),
        }
    }

    /// The value at `pointer` as text: a string as it is (unquoted), a number or boolean as its JSON text, an
    /// object or array as compact JSON.
    pub fn pointer_text(&self, pointer: &str) -> Result<String, PointerError> {
        Ok(match self.pointer(pointer)? {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        })
    }
}

impl fmt::Debug for Source {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "Source({} bytes)", self.text.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_follow_rfc_6901() {
        let source = Source::new(r#"{"a":{"b/c":[1,"x",{"d":true}],"m~n":null,"e":"","a":1,"a":2},"n":1.5}"#);
        assert_eq!(source.pointer_text("/a/b~1c/0"), Ok("1".to_owned()));
        assert_eq!(source.pointer_text("/a/b~1c/1"), Ok("x".to_owned()));
        assert_eq!(source.pointer_text("/a/b~1c/2"), Ok(r#"{"d":true}"#.to_owned()));
        assert_eq!(source.pointer_text("/a/b~1c/2/d"), Ok("true".to_owned()));
        assert_eq!(source.pointer_text("/a/e"), Ok(String::new()));
        assert_eq!(source.pointer_text("/a/a"), Ok("2".to_owned()), "the last duplicate wins");
        assert_eq!(source.pointer_text("/n"), Ok("1.5".to_owned()));
        assert_eq!(source.pointer_text("/a/m~0n"), Err(PointerError::Absent), "null is absent");
        assert_eq!(source.pointer_text("/a/b~1c/3"), Err(PointerError::Absent));
        assert_eq!(source.pointer_text("/a/b~1c/01"), Err(PointerError::Absent), "no leading zeros");
        assert_eq!(source.pointer_text("/zz"), Err(PointerError::Absent));
        assert_eq!(source.pointer_text("a"), Err(PointerError::Malformed));
        assert!(source.pointer_text("").unwrap().starts_with(r#"{"a":"#));
        assert_eq!(Source::default().pointer(""), Err(PointerError::Absent));
    }
}
