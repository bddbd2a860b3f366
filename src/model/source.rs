//! The answer a transaction was read from, kept so that any field can be reached by a JSON pointer, also the
//! ones the typed structures leave out.
//!
//! No tree is built: a pointer is followed through the text in one pass, descending into the value on the path
//! where it stands and skipping every value off the path without keeping it (serde_json's `RawValue` borrows
//! the text of the value found). So a lookup costs one pass over the answer, however deep the pointer (a step
//! at a time, each step reading its whole value again, cost a pass per step), and allocates only the pointer's
//! tokens and the answer's piece it returns: a hostile answer of millions of tiny elements costs no more than a
//! normal one.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// The JSON text of an answer, kept for [`Source::pointer_text`].
#[derive(Clone, Default)]
pub struct Source {
    text: Box<str>,
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
        Source { text: text.into() }
    }

    /// The JSON text ("" for a transaction that was not read from an answer).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The JSON text of the value at an RFC 6901 `pointer`, as it stands in the answer: "" is the whole
    /// answer, "/basket/products/0/desc" a field; `~1` stands for `/` and `~0` for `~` in a key; array indices
    /// are decimal without leading zeros. A key given twice: the last counts, as in the typed reading. A JSON
    /// `null` counts as absent, as in the typed fields.
    pub fn pointer(&self, pointer: &str) -> Result<&str, PointerError> {
        let tokens = match pointer.strip_prefix('/') {
            Some(rest) => rest.split('/').map(unescape).collect::<Vec<_>>(),
            None if pointer.is_empty() => Vec::new(),
            None => return Err(PointerError::Malformed),
        };
        let mut reader = serde_json::Deserializer::from_str(&self.text);
        let at = match (Path { tokens: &tokens }).deserialize(&mut reader) {
            Ok(Some(raw)) => raw.get(),
            Ok(None) | Err(_) => return Err(PointerError::Absent),
        };
        let at = at.trim_matches(|c: char| c.is_ascii_whitespace());
        if at.is_empty() || at == "null" {
            return Err(PointerError::Absent);
        }
        Ok(at)
    }

    /// The value at `pointer` as text: a string unescaped and unquoted, a number or boolean as its JSON text as
    /// the answer wrote it, an object or array as compact JSON (the answer's text without the whitespace between
    /// tokens; keys in the answer's order).
    pub fn pointer_text(&self, pointer: &str) -> Result<String, PointerError> {
        let raw = self.pointer(pointer)?;
        if raw.starts_with('"') {
            return serde_json::from_str::<String>(raw).map_err(|_| PointerError::Absent);
        }
        Ok(compact(raw))
    }
}

/// One reference token, `~1` and `~0` undone (in that order, as RFC 6901 says).
fn unescape(token: &str) -> Cow<'_, str> {
    if token.contains('~') {
        Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(token)
    }
}

/// JSON text without whitespace outside strings.
fn compact(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in raw.chars() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            in_string = c == '"';
            out.push(c);
        }
    }
    out
}

/// The rest of a pointer, followed through the value being read: with no token left, the value itself as the
/// text it borrows; else its member `tokens[0]` (the last one when the key comes twice) or element `tokens[0]`,
/// followed by the rest where it stands. `None` when there is none or a scalar is in the way.
struct Path<'t, 'p> {
    tokens: &'t [Cow<'p, str>],
}

impl<'de> DeserializeSeed<'de> for Path<'_, '_> {
    type Value = Option<&'de RawValue>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        if self.tokens.is_empty() {
            return <&'de RawValue as serde::Deserialize>::deserialize(d).map(Some);
        }
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Path<'_, '_> {
    type Value = Option<&'de RawValue>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (token, rest) = (&self.tokens[0], &self.tokens[1..]);
        let mut found = None;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            if key == *token {
                // The last duplicate counts, also when the rest of the path is not in it.
                found = map.next_value_seed(Path { tokens: rest })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let (token, rest) = (&self.tokens[0], &self.tokens[1..]);
        let valid =
            !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()) && (token == "0" || !token.starts_with('0'));
        let index = if valid { token.parse::<usize>().ok() } else { None };
        let mut found = None;
        let mut at = 0usize;
        loop {
            if Some(at) == index {
                match seq.next_element_seed(Path { tokens: rest })? {
                    Some(raw) => found = raw,
                    None => break,
                }
            } else if seq.next_element::<IgnoredAny>()?.is_none() {
                break;
            }
            at += 1;
        }
        Ok(found)
    }
    crate::scalars_read_as!(None);
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
        let source = Source::new(
            r#"{"a": {"b/c": [1, "x", {"d": true}], "m~n": null, "e": "", "a": 1, "a": 2}, "n": 1.50, "s": "q\"\n"}"#,
        );
        let text = |pointer| source.pointer_text(pointer);
        assert_eq!(text("/a/b~1c/0"), Ok("1".to_owned()));
        assert_eq!(text("/a/b~1c/1"), Ok("x".to_owned()));
        assert_eq!(text("/a/b~1c/2"), Ok(r#"{"d":true}"#.to_owned()), "compact");
        assert_eq!(text("/a/b~1c/2/d"), Ok("true".to_owned()));
        assert_eq!(text("/a/e"), Ok(String::new()));
        assert_eq!(text("/a/a"), Ok("2".to_owned()), "the last duplicate wins");
        assert_eq!(text("/n"), Ok("1.50".to_owned()), "a number as the answer wrote it");
        assert_eq!(text("/s"), Ok("q\"\n".to_owned()), "a string unescaped");
        assert_eq!(text("/a/m~0n"), Err(PointerError::Absent), "null is absent");
        assert_eq!(text("/a/b~1c/3"), Err(PointerError::Absent));
        assert_eq!(text("/a/b~1c/01"), Err(PointerError::Absent), "no leading zeros");
        assert_eq!(text("/a/b~1c/-"), Err(PointerError::Absent));
        assert_eq!(text("/a/e/x"), Err(PointerError::Absent), "below a scalar");
        assert_eq!(text("/zz"), Err(PointerError::Absent));
        assert_eq!(text("a"), Err(PointerError::Malformed));
        assert_eq!(text(""), Ok(compact(source.text())));
        assert!(text("").unwrap().starts_with(r#"{"a":{"b/c":[1,"x",{"d":true}],"#), "the answer's key order");
        assert_eq!(Source::default().pointer(""), Err(PointerError::Absent));
    }

    /// A pointer is followed in one pass over the answer, whatever its depth. The answer here nests 100 objects
    /// around 4 MiB of text: followed a step at a time, each step read the rest of the answer again (100 passes),
    /// so the deep lookup cost about 100 times the whole answer's reading. Bounded at 10 times, the best of three
    /// runs each, so that a busy machine does not decide it.
    #[test]
    fn a_deep_pointer_costs_one_pass_over_the_answer() {
        const DEPTH: usize = 100;
        let mut text = String::new();
        for _ in 0..DEPTH {
            text.push_str(r#"{"pad":[1,2,3],"a":"#);
        }
        text.push_str(&format!(r#""{}""#, "x".repeat(4 << 20)));
        text.push_str(&"}".repeat(DEPTH));
        let source = Source::new(text);
        let deep = "/a".repeat(DEPTH);
        let best_of_three = |run: &dyn Fn()| {
            (0..3)
                .map(|_| {
                    let started = std::time::Instant::now();
                    run();
                    started.elapsed()
                })
                .min()
                .unwrap()
        };
        // One reading of the whole answer, skipping everything: the cost of one pass.
        let one_pass = best_of_three(&|| {
            serde_json::from_str::<IgnoredAny>(source.text()).unwrap();
        });
        let lookup = best_of_three(&|| assert_eq!(source.pointer(&deep).map(str::len), Ok((4 << 20) + 2)));
        assert!(lookup < one_pass * 10, "the deep pointer took {lookup:?}, one pass over the answer {one_pass:?}");
    }

    #[test]
    fn compact_keeps_strings_as_they_are() {
        assert_eq!(compact("{ \"a b\" : [ 1 ,\n\t\"x \\\" y\" ] }"), r#"{"a b":[1,"x \" y"]}"#);
    }
}
