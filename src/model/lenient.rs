//! Lenient field readers.
//!
//! The API sends the same field as a number in one answer and as a string in the next (`articleNumber`,
//! `trans_id`, `receipt_number`, an error's `code`). A register must never lose a payment over a field it does
//! not need, so a field of an unexpected shape reads as absent instead of failing the whole transaction. Only
//! broken JSON syntax fails.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{
    Deserialize, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
};

/// Lists (receipt lines, products, idents, references) keep at most this many elements; the rest are skipped
/// unread. No receipt or basket comes near it, and it bounds what a hostile answer can make a register allocate:
/// without it, a 16 MiB answer of eight million `{}` elements costs more than a gigabyte.
pub const MAX_LIST_LEN: usize = 10_000;

/// Reads `json` as `T`: a UTF-8 byte-order mark dropped, valid UTF-8 checked as a whole (serde_json does not
/// check strings it skips), a JSON object required, and a number too large for a double (`1e999`), which
/// serde_json refuses wherever it reads one, read as an absent value.
///
/// The text is read as it came first. Only when that fails, and the text holds such a number, is it read again
/// with each of them replaced by `null`: the scan for them costs as much as the whole reading, and almost no
/// answer needs it. The outcome is the same as replacing first: a text that reads as it came has no such number
/// where a value is read (serde_json only skips over the ones in values nobody reads, as it skips `null`).
pub fn from_json<T: DeserializeOwned>(json: &[u8]) -> Result<T, ReadError> {
    read(json).map(|(value, _)| value)
}

/// [`from_json`], with the text the value was read from (`null` in place of numbers too large for a double).
pub fn read<T: DeserializeOwned>(json: &[u8]) -> Result<(T, Cow<'_, str>), ReadError> {
    let text = object_text(json)?;
    match serde_json::from_str(text) {
        Ok(value) => Ok((value, Cow::Borrowed(text))),
        Err(first) => match neutralise_huge_numbers(text) {
            Cow::Owned(replaced) => {
                let value = serde_json::from_str(&replaced).map_err(ReadError::Json)?;
                Ok((value, Cow::Owned(replaced)))
            }
            Cow::Borrowed(_) => Err(ReadError::Json(first)),
        },
    }
}

/// Why bytes could not be read.
#[derive(Debug)]
pub enum ReadError {
    Text(TextError),
    Json(serde_json::Error),
}

impl From<TextError> for ReadError {
    fn from(e: TextError) -> ReadError {
        ReadError::Text(e)
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            ReadError::Text(e) => e.fmt(f),
            ReadError::Json(e) => write!(f, "malformed JSON: {e}"),
        }
    }
}

/// The text of `json` without a byte-order mark, if it is UTF-8 that starts a JSON object.
fn object_text(json: &[u8]) -> Result<&str, TextError> {
    let json = json.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(json);
    let text = std::str::from_utf8(json).map_err(|e| TextError::Utf8 { at: e.valid_up_to() })?;
    match text.bytes().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => Ok(text),
        Some(_) => Err(TextError::NotAnObject),
        None => Err(TextError::Empty),
    }
}

/// Why bytes are not a JSON object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextError {
    Empty,
    NotAnObject,
    Utf8 { at: usize },
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            TextError::Empty => f.write_str("the answer is empty"),
            TextError::NotAnObject => f.write_str("the answer is not a JSON object"),
            TextError::Utf8 { at } => write!(f, "the answer is not valid UTF-8 (at byte {at})"),
        }
    }
}

/// Replaces number tokens outside strings that overflow a double by `null` padded with spaces (same length).
fn neutralise_huge_numbers(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out: Option<Vec<u8>> = None;
    let (mut i, mut in_string) = (0, false);
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
        } else if b == b'"' {
            in_string = true;
            i += 1;
        } else if b == b'-' || b.is_ascii_digit() {
            let len =
                bytes[i..].iter().take_while(|c| matches!(c, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')).count();
            let token = &text[i..i + len];
            if len >= 4 && token.parse::<f64>().is_ok_and(f64::is_infinite) {
                let out = out.get_or_insert_with(|| bytes.to_vec());
                out[i..i + 4].copy_from_slice(b"null");
                out[i + 4..i + len].fill(b' ');
            }
            i += len;
        } else {
            i += 1;
        }
    }
    match out {
        // Only ASCII replaced ASCII.
        Some(out) => Cow::Owned(String::from_utf8(out).expect("ASCII replaced by ASCII")),
        None => Cow::Borrowed(text),
    }
}

/// The visits of every JSON scalar (string, boolean, number, null) in a lenient visitor, each giving `$value`:
/// a value of the wrong shape reads as absent, whatever shape it has.
#[macro_export]
#[doc(hidden)]
macro_rules! scalars_read_as {
    ($value:expr) => {
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok($value)
        }
    };
}

/// Implements `Deserialize` for a struct with `Default` from a list of `"json key" => field: Reader`, where a
/// reader is one of [`Text`], [`Integer`], [`Boolean`], [`Texts`], [`Object`], [`List`] (or another
/// [`Read`]). Unlike serde's derive, a key that comes twice is no error: the last one wins. Unknown keys are
/// skipped.
#[macro_export]
macro_rules! lenient_fields {
    ($ty:ty { $($key:literal => $field:ident : $read:ty),* $(,)? }) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct FieldsVisitor;
                impl<'de> serde::de::Visitor<'de> for FieldsVisitor {
                    type Value = $ty;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str("an object")
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$ty, A::Error> {
                        let mut out = <$ty>::default();
                        while let Some(key) = map.next_key_seed($crate::model::lenient::KeyOf(&[$($key),*]))? {
                            match key {
                                $(Some($key) => out.$field = map.next_value::<$crate::model::lenient::Field<$read>>()?.0,)*
                                _ => {
                                    map.next_value::<serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        Ok(out)
                    }
                }
                d.deserialize_map(FieldsVisitor)
            }
        }
    };
}

/// A key read without allocating: as it stands in the JSON text when it has no escapes (the struct's `match`
/// then compares it once), else as the one of the names a struct knows that it spells; `None` for any other
/// escaped key.
pub struct KeyOf(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for KeyOf {
    type Value = Option<&'de str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for KeyOf {
    type Value = Option<&'de str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().find(|name| **name == v).copied())
    }
}

/// A way to read one field; see [`lenient_fields!`].
pub trait Read {
    type Out;
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self::Out, D::Error>;
}

/// A field's value read by `R`.
pub struct Field<R: Read>(pub R::Out);

impl<'de, R: Read> Deserialize<'de> for Field<R> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        R::read(d).map(Field)
    }
}

/// Reads with [`text`].
pub enum Text {}
/// Reads with [`integer`].
pub enum Integer {}
/// Reads with [`boolean`].
pub enum Boolean {}
/// Reads with [`texts`].
pub enum Texts {}
/// Reads with [`object`].
pub struct Object<T>(PhantomData<T>);
/// Reads with [`list`].
pub struct List<T>(PhantomData<T>);

impl Read for Text {
    type Out = Option<String>;
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self::Out, D::Error> {
        text(d)
    }
}
impl Read for Integer {
    type Out = Option<i64>;
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self::Out, D::Error> {
        integer(d)
    }
}
impl Read for Boolean {
    type Out = Option<bool>;
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self::Out, D::Error> {
        boolean(d)
    }
}
impl Read for Texts {
    type Out = Vec<String>;
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self::Out, D::Error> {
        texts(d)
    }
}
impl<T: DeserializeOwned> Read for Object<T> {
    type Out = Option<T>;
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self::Out, D::Error> {
        object(d)
    }
}
impl<T: DeserializeOwned> Read for List<T> {
    type Out = Vec<T>;
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self::Out, D::Error> {
        list(d)
    }
}

/// Consumes the rest of a JSON array or object so that the reader can go on after a value it ignores.
fn skip_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

fn skip_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

/// A scalar read as text: a string as it is, a number or boolean as its JSON text; anything else is `None`.
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_any(TextVisitor)
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or a number")
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        skip_seq(seq).map(|()| None)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        skip_map(map).map(|()| None)
    }
}

/// A whole number, given as a JSON number or as a string holding one; anything else is `None`.
pub fn integer<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    d.deserialize_any(ScalarVisitor(integer_of_text))
}

/// A boolean, given as `true`/`false`, `1`/`0` or as a string of one of these; anything else is `None`.
pub fn boolean<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    d.deserialize_any(ScalarVisitor(boolean_of_text))
}

fn integer_of_text(text: &str) -> Option<i64> {
    let t = text.trim();
    t.parse::<i64>().ok().or_else(|| {
        // 349.0 is a whole number too; 3.49 is not, and money is never rounded here.
        let f = t.parse::<f64>().ok()?;
        (f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
    })
}

fn boolean_of_text(text: &str) -> Option<bool> {
    match text.trim() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// A scalar read as [`text`] would read it, then converted by the function: the same values, without making a
/// `String` of every whole number (only a decimal number is written out, as `text` writes it).
struct ScalarVisitor<T>(fn(&str) -> Option<T>);

impl<'de, T> Visitor<'de> for ScalarVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or a number")
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok((self.0)(v))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok((self.0)(if v { "true" } else { "false" }))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok((self.0)(itoa::Buffer::new().format(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok((self.0)(itoa::Buffer::new().format(v)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok((self.0)(&v.to_string()))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        skip_seq(seq).map(|()| None)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        skip_map(map).map(|()| None)
    }
}

/// A list of scalars read as text (decorations); a single scalar counts as a list of one.
pub fn texts<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    struct TextsVisitor;
    impl<'de> Visitor<'de> for TextsVisitor {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of strings")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while out.len() < MAX_LIST_LEN {
                match seq.next_element::<OneText>()? {
                    Some(OneText(t)) => out.extend(t),
                    None => return Ok(out),
                }
            }
            skip_seq(seq).map(|()| out)
        }
        fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
            Ok(vec![v.to_owned()])
        }
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            skip_map(map).map(|()| Vec::new())
        }
    }
    d.deserialize_any(TextsVisitor)
}

/// One element read with [`text`].
struct OneText(Option<String>);

impl<'de> Deserialize<'de> for OneText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        text(d).map(OneText)
    }
}

/// A nested object read as `T`; anything that is not a JSON object is `None`.
pub fn object<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    d.deserialize_any(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(Some)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        skip_seq(seq).map(|()| None)
    }
    crate::scalars_read_as!(None);
}

/// One list element read with [`object`]: `None` where the element is not an object.
pub struct MaybeObject<T>(pub Option<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for MaybeObject<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        object(d).map(MaybeObject)
    }
}

/// A list of objects read as `T`. A value that is not a list is an empty list; elements that are not objects
/// are kept as `None`, so that the caller decides whether a gap matters (a receipt keeps its line count).
pub fn list_with_gaps<'de, D, T>(d: D) -> Result<Vec<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct ListVisitor<T>(PhantomData<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
        type Value = Vec<Option<T>>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
            while out.len() < MAX_LIST_LEN {
                match seq.next_element::<MaybeObject<T>>()? {
                    Some(MaybeObject(item)) => out.push(item),
                    None => return Ok(out),
                }
            }
            skip_seq(seq).map(|()| out)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            skip_map(map).map(|()| Vec::new())
        }
        crate::scalars_read_as!(Vec::new());
    }
    d.deserialize_any(ListVisitor(PhantomData))
}

/// A list of objects read as `T`, skipping elements that are not objects.
pub fn list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(list_with_gaps(d)?.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default, Debug)]
    struct Probe {
        t: Option<String>,
        n: Option<i64>,
        b: Option<bool>,
        list: Vec<String>,
        inner: Option<Box<Probe>>,
        items: Vec<Option<Probe>>,
    }

    /// Lists with gaps are read by the receipt only; the probe checks them too.
    enum Gaps {}
    impl Read for Gaps {
        type Out = Vec<Option<Probe>>;
        fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self::Out, D::Error> {
            list_with_gaps(d)
        }
    }

    crate::lenient_fields!(Probe {
        "t" => t: Text,
        "n" => n: Integer,
        "b" => b: Boolean,
        "list" => list: Texts,
        "inner" => inner: Object<Box<Probe>>,
        "items" => items: Gaps,
    });

    fn probe(json: &str) -> Probe {
        from_json(json.as_bytes()).unwrap()
    }

    /// The fast path (read as it came, replace only after a failure) reads exactly what replacing first does.
    #[test]
    fn reading_first_and_replacing_first_agree() {
        for json in [
            r#"{"t":"a","n":1}"#,
            r#"{"n":1e999}"#,
            r#"{"t":1e999,"n":2}"#,
            r#"{"x":1e999,"t":"ignored huge number"}"#,
            r#"{"x":[1e999,{"y":-1E400}],"n":3}"#,
            r#"{"list":[1e999,"a",2e308],"inner":{"n":1e999,"t":"in"}}"#,
            r#"{"items":[{"n":1e999},{"b":1e999},"1e999"]}"#,
            r#"{"n":100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000}"#,
            r#"{"n":1e-999,"t":-0e99999}"#,
            r#"{"n":1e999,"t":"x""#,
            r#"{"n":1e999,}"#,
        ] {
            let replaced_first =
                serde_json::from_str::<Probe>(&neutralise_huge_numbers(json)).map(|p| format!("{p:?}"));
            let read = from_json::<Probe>(json.as_bytes()).map(|p| format!("{p:?}"));
            assert_eq!(read.ok(), replaced_first.ok(), "{json}");
        }
    }

    #[test]
    fn duplicate_keys_last_wins_and_huge_numbers_read_as_absent() {
        let p = probe(r#"{"t":"first","n":1,"t":"second","n":1e999,"x":-1E400,"inner":{"n":2,"n":3}}"#);
        assert_eq!((p.t.as_deref(), p.n), (Some("second"), None));
        assert_eq!(p.inner.unwrap().n, Some(3));
        assert_eq!(probe(r#"{"n":"1e999","list":[1e999,"a"]}"#).list, ["a"]);
        // Inside strings nothing changes; 1e308 fits a double.
        let p = probe(r#"{"t":"1e999 \" 1e999","n":1e308}"#);
        assert_eq!(p.t.as_deref(), Some("1e999 \" 1e999"));
        assert_eq!(p.n, None, "1e308 is not a whole number that fits");
        assert_eq!(probe("\u{FEFF}{\"t\":\"bom\"}").t.as_deref(), Some("bom"));
    }

    #[test]
    fn what_is_not_an_object_is_refused() {
        assert_eq!(object_text(b"").unwrap_err(), TextError::Empty);
        assert_eq!(object_text(b"\xEF\xBB\xBF  ").unwrap_err(), TextError::Empty);
        assert_eq!(object_text(b"[]").unwrap_err(), TextError::NotAnObject);
        assert_eq!(object_text(b"{\"a\":\"\xff\"}").unwrap_err(), TextError::Utf8 { at: 6 });
        assert!(matches!(from_json::<Probe>(b"[]"), Err(ReadError::Text(TextError::NotAnObject))));
    }

    #[test]
    fn lists_stop_at_the_cap() {
        let json = format!(
            r#"{{"items":[{}],"list":[{}]}}"#,
            vec!["{}"; MAX_LIST_LEN + 5].join(","),
            vec!["\"a\""; MAX_LIST_LEN + 5].join(",")
        );
        let p = probe(&json);
        assert_eq!((p.items.len(), p.list.len()), (MAX_LIST_LEN, MAX_LIST_LEN));
    }

    #[test]
    fn text_takes_strings_and_numbers_and_drops_containers() {
        assert_eq!(probe(r#"{"t":"29008411"}"#).t.as_deref(), Some("29008411"));
        assert_eq!(probe(r#"{"t":29008412}"#).t.as_deref(), Some("29008412"));
        assert_eq!(probe(r#"{"t":true}"#).t.as_deref(), Some("true"));
        assert_eq!(probe(r#"{"t":null}"#).t, None);
        assert_eq!(probe(r#"{"t":{"a":[1,2]},"n":5}"#).t, None);
        assert_eq!(probe(r#"{"t":{"a":[1,2]},"n":5}"#).n, Some(5));
    }

    #[test]
    fn integer_takes_numeric_strings_but_never_rounds() {
        assert_eq!(probe(r#"{"n":"30037"}"#).n, Some(30037));
        assert_eq!(probe(r#"{"n":349.0}"#).n, Some(349));
        assert_eq!(probe(r#"{"n":3.49}"#).n, None);
        assert_eq!(probe(r#"{"n":"abc"}"#).n, None);
        assert_eq!(probe(r#"{"n":[]}"#).n, None);
    }

    /// A key with escapes names the same field as the key it spells; unknown ones, escaped or not, are skipped.
    #[test]
    fn escaped_keys_are_the_keys_they_spell() {
        let p = probe(r#"{"\u0074":"escaped","\u006e":5,"x\n":{"t":"no"},"list\u0000":[1]}"#);
        assert_eq!((p.t.as_deref(), p.n), (Some("escaped"), Some(5)));
        assert!(p.list.is_empty());
    }

    /// Whole numbers and booleans read what `text` reads, converted: the same as writing the text out first.
    #[test]
    fn integer_and_boolean_read_what_text_reads() {
        for value in [
            "0",
            "1",
            "-1",
            "349",
            "-0",
            "349.0",
            "3.49",
            "1e3",
            "1E20",
            "9.2e18",
            "9.3e18",
            "-9.2e18",
            "1.0",
            "0.0",
            "-0.0",
            "9007199254740993",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "18446744073709551615",
            "true",
            "false",
            "null",
            "\"42\"",
            "\" 7 \"",
            "\"1\"",
            "\"true\"",
            "\"x\"",
            "[1]",
            "{\"a\":1}",
        ] {
            let p = probe(&format!(r#"{{"t":{value},"n":{value},"b":{value}}}"#));
            assert_eq!(p.n, p.t.as_deref().and_then(integer_of_text), "{value}");
            assert_eq!(p.b, p.t.as_deref().and_then(boolean_of_text), "{value}");
        }
    }

    #[test]
    fn boolean_and_texts_are_lenient() {
        assert_eq!(probe(r#"{"b":"true"}"#).b, Some(true));
        assert_eq!(probe(r#"{"b":0}"#).b, Some(false));
        assert_eq!(probe(r#"{"b":"maybe"}"#).b, None);
        assert_eq!(probe(r#"{"list":["a",1,null,"b"]}"#).list, ["a", "1", "b"]);
        assert_eq!(probe(r#"{"list":"important"}"#).list, ["important"]);
        assert!(probe(r#"{"list":{"x":1}}"#).list.is_empty());
    }

    #[test]
    fn objects_and_lists_of_the_wrong_shape_read_as_absent() {
        assert_eq!(probe(r#"{"inner":{"t":"x"}}"#).inner.unwrap().t.as_deref(), Some("x"));
        assert!(probe(r#"{"inner":"x"}"#).inner.is_none());
        assert!(probe(r#"{"inner":[1]}"#).inner.is_none());
        let p = probe(r#"{"items":[{"n":1},"junk",{"n":"2"}]}"#);
        assert_eq!(p.items.len(), 3);
        assert!(p.items[1].is_none());
        assert_eq!(p.items[2].as_ref().unwrap().n, Some(2));
        assert!(probe(r#"{"items":"x"}"#).items.is_empty());
    }

    #[test]
    fn broken_syntax_still_fails() {
        assert!(serde_json::from_str::<Probe>(r#"{"t":"x""#).is_err());
        assert!(serde_json::from_str::<Probe>(r#"{"t":"x",}"#).is_err());
        assert!(serde_json::from_str::<Probe>(r#"{"inner":{"t":}}"#).is_err());
    }
}
