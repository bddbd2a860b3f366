//! Lenient field readers.
//!
//! The API sends the same field as a number in one answer and as a string in the next (`articleNumber`,
//! `trans_id`, `receipt_number`, an error's `code`). A register must never lose a payment over a field it does
//! not need, so a field of an unexpected shape reads as absent instead of failing the whole transaction. Only
//! broken JSON syntax fails.
//!
//! Strings are kept in one [`Texts`] per reading (see [`super::texts`]): every reader is handed it, and a field
//! holds a [`TextRef`] into it.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::texts::{TextRef, Texts};

/// Lists (receipt lines, products, idents, references) keep at most this many elements; the rest are skipped
/// unread. No receipt or basket comes near it, and it bounds what a hostile answer can make a register allocate:
/// without it, a 16 MiB answer of eight million `{}` elements costs more than a gigabyte.
pub const MAX_LIST_LEN: usize = 10_000;

/// Reads `json` as `T`, its strings kept in the [`Texts`] returned with it: a UTF-8 byte-order mark dropped,
/// valid UTF-8 checked as a whole (serde_json does not check strings it skips), a JSON object required, a
/// number too large for a double (`1e999`), which serde_json refuses wherever it reads one, read as an absent
/// value, and half of a UTF-16 surrogate pair escaped alone (`"Caf\ud83d"`, what a backend that cuts UTF-16
/// text writes), which serde_json refuses in every string it reads, read as U+FFFD.
///
/// The text is read as it came first. Only when that fails, and the text holds such a number or such an
/// escape, is it read again with each number replaced by `null` and each lone surrogate escape by `\ufffd`
/// (`repaired`): the scan for them costs as much as the whole reading, and almost no answer needs it. The
/// outcome is the same as replacing first: a text that reads as it came has neither where a value is read
/// (serde_json only skips over the ones in values nobody reads).
pub fn from_json<T: Fields>(json: &[u8]) -> Result<(T, Texts), ReadError> {
    read(json).map(|(value, texts, _)| (value, texts))
}

/// [`from_json`], with the text the value was read from (`null` in place of numbers too large for a double).
pub fn read<T: Fields>(json: &[u8]) -> Result<(T, Texts, Cow<'_, str>), ReadError> {
    let text = object_text(json)?;
    match read_text(text) {
        Ok((value, texts)) => Ok((value, texts, Cow::Borrowed(text))),
        Err(first) => match repaired(text) {
            Cow::Owned(replaced) => {
                let (value, texts) = read_text(&replaced).map_err(ReadError::Json)?;
                Ok((value, texts, Cow::Owned(replaced)))
            }
            Cow::Borrowed(_) => Err(ReadError::Json(first)),
        },
    }
}

/// Reads a whole text as `T` (nothing but whitespace may follow the object).
fn read_text<T: Fields>(text: &str) -> Result<(T, Texts), serde_json::Error> {
    // The strings kept are a fraction of an answer (about a quarter of a pretty-printed transaction): a third
    // of its size is one allocation for any real answer. Capped, so that a hostile answer that is mostly
    // skipped costs no more than the strings it keeps (the buffer grows as needed).
    let mut texts = Texts::with_capacity((text.len() / 3).min(64 << 10));
    let mut reader = serde_json::Deserializer::from_str(text);
    let value = reader.deserialize_map(FieldsVisitor::<T>(&mut texts, PhantomData))?;
    reader.end()?;
    Ok((value, texts))
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

/// `text` with what serde_json refuses but a register must read replaced, in one pass, each by ASCII of the
/// same length: number tokens outside strings that overflow a double by `null` padded with spaces, and in
/// strings a `\u` escape of a UTF-16 surrogate that is not half of a pair (a high one not followed by a low
/// one, or a low one alone) by `\ufffd`.
fn repaired(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out: Option<Vec<u8>> = None;
    let (mut i, mut in_string) = (0, false);
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' if bytes.get(i + 1) == Some(&b'u') => {
                    let unit = |at: usize| hex4(bytes.get(at + 2..at + 6)?);
                    match unit(i) {
                        Some(0xD800..=0xDBFF) if matches!(unit(i + 6), Some(0xDC00..=0xDFFF)) => i += 12,
                        Some(0xD800..=0xDFFF) => {
                            out.get_or_insert_with(|| bytes.to_vec())[i..i + 6].copy_from_slice(b"\\ufffd");
                            i += 6;
                        }
                        _ => i += 2,
                    }
                }
                b'\\' => i += 2,
                b'"' => {
                    in_string = false;
                    i += 1;
                }
                _ => i += 1,
            }
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

/// The value of four hex digits.
fn hex4(digits: &[u8]) -> Option<u16> {
    u16::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
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

/// Implements [`Fields`] for a struct with `Default` from a list of `"json key" => field: Reader`, where a
/// reader is one of [`Text`], [`Integer`], [`Boolean`], [`Object`], [`List`] (or another [`Read`]). Unlike
/// serde's derive, a key that comes twice is no error: the last one wins. Unknown keys are skipped.
#[macro_export]
macro_rules! lenient_fields {
    ($ty:ty { $($key:literal => $field:ident : $read:ty),* $(,)? }) => {
        impl $crate::model::lenient::Fields for $ty {
            fn read_map<'de, A: serde::de::MapAccess<'de>>(
                mut map: A,
                texts: &mut $crate::model::texts::Texts,
            ) -> Result<$ty, A::Error> {
                let mut out = <$ty>::default();
                while let Some(key) = map.next_key_seed($crate::model::lenient::KeyOf(&[$($key),*]))? {
                    match key {
                        $(Some($key) => {
                            out.$field = map.next_value_seed($crate::model::lenient::Field::<$read>::new(texts))?
                        })*
                        _ => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(out)
            }
        }
    };
}

/// A structure read from a JSON object, field by field (see [`lenient_fields!`]), its strings kept in `texts`.
pub trait Fields: Default {
    fn read_map<'de, A: MapAccess<'de>>(map: A, texts: &mut Texts) -> Result<Self, A::Error>;
}

/// Reads a JSON object as `T`: the top level of a reading (anything else is an error there).
struct FieldsVisitor<'t, T>(&'t mut Texts, PhantomData<T>);

impl<'de, T: Fields> Visitor<'de> for FieldsVisitor<'_, T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::read_map(map, self.0)
    }
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

/// A way to read one field, its strings kept in `texts`; see [`lenient_fields!`].
pub trait Read {
    type Out;
    fn read<'de, D: Deserializer<'de>>(d: D, texts: &mut Texts) -> Result<Self::Out, D::Error>;
}

/// A field's value read by `R`, as a seed that carries the reading's [`Texts`].
pub struct Field<'t, R>(&'t mut Texts, PhantomData<R>);

impl<'t, R: Read> Field<'t, R> {
    pub fn new(texts: &'t mut Texts) -> Field<'t, R> {
        Field(texts, PhantomData)
    }
}

impl<'de, R: Read> DeserializeSeed<'de> for Field<'_, R> {
    type Value = R::Out;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<R::Out, D::Error> {
        R::read(d, self.0)
    }
}

/// Reads with [`text`].
pub enum Text {}
/// Reads with [`identifier`].
pub enum Identifier {}
/// Reads with [`integer`].
pub enum Integer {}
/// Reads with [`boolean`].
pub enum Boolean {}
/// Reads with [`object`].
pub struct Object<T>(PhantomData<T>);
/// Reads with [`list`].
pub struct List<T>(PhantomData<T>);

impl Read for Text {
    type Out = Option<TextRef>;
    fn read<'de, D: Deserializer<'de>>(d: D, texts: &mut Texts) -> Result<Self::Out, D::Error> {
        text(d, texts)
    }
}
impl Read for Identifier {
    type Out = Option<TextRef>;
    fn read<'de, D: Deserializer<'de>>(d: D, texts: &mut Texts) -> Result<Self::Out, D::Error> {
        identifier(d, texts)
    }
}
impl Read for Integer {
    type Out = Option<i64>;
    fn read<'de, D: Deserializer<'de>>(d: D, _: &mut Texts) -> Result<Self::Out, D::Error> {
        integer(d)
    }
}
impl Read for Boolean {
    type Out = Option<bool>;
    fn read<'de, D: Deserializer<'de>>(d: D, _: &mut Texts) -> Result<Self::Out, D::Error> {
        boolean(d)
    }
}
impl<T: Fields> Read for Object<T> {
    type Out = Option<T>;
    fn read<'de, D: Deserializer<'de>>(d: D, texts: &mut Texts) -> Result<Self::Out, D::Error> {
        object(d, texts)
    }
}
impl<T: Fields> Read for List<T> {
    type Out = Vec<T>;
    fn read<'de, D: Deserializer<'de>>(d: D, texts: &mut Texts) -> Result<Self::Out, D::Error> {
        list(d, texts)
    }
}

/// Consumes the rest of a JSON array or object so that the reader can go on after a value it ignores.
pub fn skip_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

pub fn skip_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

/// A scalar read as text into `texts`: a string as it is, a number or boolean as its JSON text; anything else is
/// `None`.
pub fn text<'de, D: Deserializer<'de>>(d: D, texts: &mut Texts) -> Result<Option<TextRef>, D::Error> {
    d.deserialize_any(TextVisitor(texts))
}

struct TextVisitor<'t>(&'t mut Texts);

impl<'de> Visitor<'de> for TextVisitor<'_> {
    type Value = Option<TextRef>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or a number")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        // Lent from the answer's text: no escapes, so no NUL (see `Texts::push_without_nul`).
        Ok(Some(self.0.push_without_nul(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(self.0.push(v)))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(self.0.push_without_nul(if v { "true" } else { "false" })))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(self.0.push_without_nul(itoa::Buffer::new().format(v))))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(self.0.push_without_nul(itoa::Buffer::new().format(v))))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(self.0.push_without_nul(&float_text(v))))
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

/// An identifier: a JSON string as it is; anything else (a number, a boolean, null, an object or a list) is
/// `None`. Not as lenient as [`text`] on purpose: an id is a string (`STX_...`), and what stands in its place
/// otherwise names no object. Whether an answer is about the transaction a request named is decided on it, and
/// `12345` written out as text must not pass for the id `"12345"`.
pub fn identifier<'de, D: Deserializer<'de>>(d: D, texts: &mut Texts) -> Result<Option<TextRef>, D::Error> {
    d.deserialize_any(IdentifierVisitor(texts))
}

struct IdentifierVisitor<'t>(&'t mut Texts);

impl<'de> Visitor<'de> for IdentifierVisitor<'_> {
    type Value = Option<TextRef>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        // Lent from the answer's text: no escapes, so no NUL (see `Texts::push_without_nul`).
        Ok(Some(self.0.push_without_nul(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(self.0.push(v)))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        skip_seq(seq).map(|()| None)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        skip_map(map).map(|()| None)
    }
}

/// A decimal number as text: positional (`349`, `3.49`) unless the exponent form is shorter (`1e300`, `1e-9`).
/// So the text is never much longer than the number's JSON, and a hostile answer of such numbers under one key
/// given again and again keeps no more text than it sent.
fn float_text(v: f64) -> String {
    let positional = v.to_string();
    if positional.len() <= 17 {
        return positional;
    }
    let exponent = format!("{v:e}");
    if exponent.len() < positional.len() {
        exponent
    } else {
        positional
    }
}

/// A whole number, given as a JSON number or as a string holding one; anything else is `None`.
pub fn integer<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    d.deserialize_any(ScalarVisitor { of_text: integer_of_text, of_whole: Some })
}

/// A boolean, given as `true`/`false`, `1`/`0` or as a string of one of these; anything else is `None`.
pub fn boolean<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    d.deserialize_any(ScalarVisitor { of_text: boolean_of_text, of_whole: boolean_of_whole })
}

fn integer_of_text(text: &str) -> Option<i64> {
    let t = text.trim();
    t.parse::<i64>().ok().or_else(|| {
        // 349.0 is a whole number too; 3.49 is not, and money is never rounded here.
        let f = t.parse::<f64>().ok()?;
        (f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
    })
}

fn boolean_of_whole(number: i64) -> Option<bool> {
    match number {
        1 => Some(true),
        0 => Some(false),
        _ => None,
    }
}

fn boolean_of_text(text: &str) -> Option<bool> {
    match text.trim() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// A scalar read as [`text`] would read it, then converted by `of_text`: the same values, without storing the
/// text. A whole number that fits an `i64` goes to `of_whole` instead, which must give what `of_text` gives for
/// its digits (only a decimal number, or a whole number beyond `i64`, is written out, as `text` writes it).
struct ScalarVisitor<T> {
    of_text: fn(&str) -> Option<T>,
    of_whole: fn(i64) -> Option<T>,
}

impl<'de, T> Visitor<'de> for ScalarVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or a number")
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok((self.of_text)(v))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok((self.of_text)(if v { "true" } else { "false" }))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok((self.of_whole)(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        match i64::try_from(v) {
            Ok(v) => Ok((self.of_whole)(v)),
            Err(_) => Ok((self.of_text)(itoa::Buffer::new().format(v))),
        }
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok((self.of_text)(&float_text(v)))
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

/// A nested object read as `T`; anything that is not a JSON object is `None`.
pub fn object<'de, D: Deserializer<'de>, T: Fields>(d: D, texts: &mut Texts) -> Result<Option<T>, D::Error> {
    d.deserialize_any(ObjectVisitor(texts, PhantomData))
}

struct ObjectVisitor<'t, T>(&'t mut Texts, PhantomData<T>);

impl<'de, T: Fields> Visitor<'de> for ObjectVisitor<'_, T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::read_map(map, self.0).map(Some)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        skip_seq(seq).map(|()| None)
    }
    crate::scalars_read_as!(None);
}

/// A list of objects read as `T`. A value that is not a list is an empty list; elements that are not objects
/// are given to `keep` as `None`, so that the caller decides whether a gap matters (a receipt keeps its line
/// count). `keep` sees the elements in order, at most [`MAX_LIST_LEN`] of them; the rest are skipped unread.
pub fn list_with_gaps<'de, D, T>(d: D, texts: &mut Texts, keep: impl FnMut(Option<T>, &Texts)) -> Result<(), D::Error>
where
    D: Deserializer<'de>,
    T: Fields,
{
    struct ListVisitor<'t, T, K>(&'t mut Texts, K, PhantomData<T>);
    impl<'de, T: Fields, K: FnMut(Option<T>, &Texts)> Visitor<'de> for ListVisitor<'_, T, K> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let ListVisitor(texts, mut keep, _) = self;
            for _ in 0..MAX_LIST_LEN {
                match seq.next_element_seed(Field::<Object<T>>::new(texts))? {
                    Some(item) => keep(item, texts),
                    None => return Ok(()),
                }
            }
            skip_seq(seq)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
            skip_map(map)
        }
        crate::scalars_read_as!(());
    }
    d.deserialize_any(ListVisitor(texts, keep, PhantomData))
}

/// A list of objects read as `T`, skipping elements that are not objects.
pub fn list<'de, D: Deserializer<'de>, T: Fields>(d: D, texts: &mut Texts) -> Result<Vec<T>, D::Error> {
    let mut out = Vec::new();
    list_with_gaps(d, texts, |item, _| out.extend(item))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default, Debug)]
    struct Probe {
        t: Option<TextRef>,
        n: Option<i64>,
        b: Option<bool>,
        inner: Option<Box<Probe>>,
        items: Vec<Option<Probe>>,
    }

    impl<T: Fields> Fields for Box<T> {
        fn read_map<'de, A: MapAccess<'de>>(map: A, texts: &mut Texts) -> Result<Self, A::Error> {
            T::read_map(map, texts).map(Box::new)
        }
    }

    /// Lists with gaps are read by the receipt only; the probe checks them too.
    enum Gaps {}
    impl Read for Gaps {
        type Out = Vec<Option<Probe>>;
        fn read<'de, D: Deserializer<'de>>(d: D, texts: &mut Texts) -> Result<Self::Out, D::Error> {
            let mut out = Vec::new();
            list_with_gaps(d, texts, |item, _| out.push(item))?;
            Ok(out)
        }
    }

    crate::lenient_fields!(Probe {
        "t" => t: Text,
        "n" => n: Integer,
        "b" => b: Boolean,
        "inner" => inner: Object<Box<Probe>>,
        "items" => items: Gaps,
    });

    /// A probe with its strings.
    struct Probed(Probe, Texts);

    impl Probed {
        fn t(&self) -> Option<&str> {
            self.1.get_opt(self.0.t)
        }
    }

    impl std::ops::Deref for Probed {
        type Target = Probe;
        fn deref(&self) -> &Probe {
            &self.0
        }
    }

    fn probe(json: &str) -> Probed {
        let (probe, texts) = from_json(json.as_bytes()).unwrap();
        Probed(probe, texts)
    }

    /// What a reading gave, strings and all.
    fn shown((probe, texts): (Probe, Texts)) -> String {
        format!("{probe:?} {texts:?}")
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
            r#"{"t":[1e999,"a",2e308],"inner":{"n":1e999,"t":"in"}}"#,
            r#"{"items":[{"n":1e999},{"b":1e999},"1e999"]}"#,
            r#"{"n":100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000}"#,
            r#"{"n":1e-999,"t":-0e99999}"#,
            r#"{"n":1e999,"t":"x""#,
            r#"{"n":1e999,}"#,
            r#"{"t":"a\ud800","n":1e999}"#,
            r#"{"x":"\udc00","t":"b"}"#,
            r#"{"t":"\ud83d\ude00"}"#,
        ] {
            let replaced_first = read_text::<Probe>(&repaired(json)).map(shown);
            let read = from_json::<Probe>(json.as_bytes()).map(shown);
            assert_eq!(read.ok(), replaced_first.ok(), "{json}");
        }
    }

    /// Half of a surrogate pair, escaped alone, reads as U+FFFD wherever a string is read; pairs and escaped
    /// backslashes stay as they are.
    #[test]
    fn lone_surrogate_escapes_read_as_replacement_characters() {
        assert_eq!(probe(r#"{"t":"Caf\ud83d"}"#).t(), Some("Caf\u{FFFD}"));
        assert_eq!(probe(r#"{"t":"\udc00x","n":1e999}"#).t(), Some("\u{FFFD}x"));
        assert_eq!(probe(r#"{"t":"\uD83D\ud83d\ude00"}"#).t(), Some("\u{FFFD}\u{1F600}"));
        assert_eq!(probe(r#"{"t":"\ud83d\u0041\ud83d"}"#).t(), Some("\u{FFFD}A\u{FFFD}"));
        assert_eq!(probe(r#"{"t":"\\ud83d"}"#).t(), Some("\\ud83d"), "an escaped backslash starts no escape");
        assert_eq!(probe(r#"{"inner":{"t":"\ud800"},"\udfff":1,"items":[{"t":"\ud800"}]}"#).items.len(), 1);
        assert!(read_text::<Probe>(r#"{"t":"\ud83d"}"#).is_err(), "serde_json alone refuses it");
    }

    #[test]
    fn duplicate_keys_last_wins_and_huge_numbers_read_as_absent() {
        let p = probe(r#"{"t":"first","n":1,"t":"second","n":1e999,"x":-1E400,"inner":{"n":2,"n":3}}"#);
        assert_eq!((p.t(), p.n), (Some("second"), None));
        assert_eq!(p.inner.as_ref().unwrap().n, Some(3));
        assert_eq!(probe(r#"{"n":"1e999","items":[1e999,{"n":1}]}"#).items.len(), 2);
        // Inside strings nothing changes; 1e308 fits a double.
        let p = probe(r#"{"t":"1e999 \" 1e999","n":1e308}"#);
        assert_eq!(p.t(), Some("1e999 \" 1e999"));
        assert_eq!(p.n, None, "1e308 is not a whole number that fits");
        assert_eq!(probe("\u{FEFF}{\"t\":\"bom\"}").t(), Some("bom"));
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
        let json = format!(r#"{{"items":[{}],"n":1}}"#, vec!["{}"; MAX_LIST_LEN + 5].join(","));
        let p = probe(&json);
        assert_eq!((p.items.len(), p.n), (MAX_LIST_LEN, Some(1)));
    }

    #[test]
    fn text_takes_strings_and_numbers_and_drops_containers() {
        assert_eq!(probe(r#"{"t":"29008411"}"#).t(), Some("29008411"));
        assert_eq!(probe(r#"{"t":29008412}"#).t(), Some("29008412"));
        assert_eq!(probe(r#"{"t":true}"#).t(), Some("true"));
        assert_eq!(probe(r#"{"t":null}"#).t, None);
        assert_eq!(probe(r#"{"t":{"a":[1,2]},"n":5}"#).t, None);
        assert_eq!(probe(r#"{"t":{"a":[1,2]},"n":5}"#).n, Some(5));
    }

    /// An identifier is a string or nothing: no number, boolean, null or container stands in for one.
    #[test]
    fn an_identifier_is_a_string_or_absent() {
        #[derive(Default)]
        struct Named {
            id: Option<TextRef>,
        }
        crate::lenient_fields!(Named { "id" => id: Identifier });
        let id = |json: &str| {
            let (named, texts): (Named, Texts) = from_json(json.as_bytes()).unwrap();
            texts.get_opt(named.id).map(str::to_owned)
        };
        assert_eq!(id(r#"{"id":"STX_A"}"#).as_deref(), Some("STX_A"));
        assert_eq!(id(r#"{"id":"STX_\u0041"}"#).as_deref(), Some("STX_A"));
        for not_an_id in ["12345", "1.5", "true", "null", r#"{"id":"STX_A"}"#, r#"["STX_A"]"#] {
            assert_eq!(id(&format!(r#"{{"id":{not_an_id}}}"#)), None, "{not_an_id}");
        }
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
        let p = probe(r#"{"\u0074":"escaped","\u006e":5,"x\n":{"t":"no"},"items\u0000":[{}]}"#);
        assert_eq!((p.t(), p.n), (Some("escaped"), Some(5)));
        assert!(p.items.is_empty());
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
            assert_eq!(p.n, p.t().and_then(integer_of_text), "{value}");
            assert_eq!(p.b, p.t().and_then(boolean_of_text), "{value}");
        }
    }

    #[test]
    fn boolean_is_lenient() {
        assert_eq!(probe(r#"{"b":"true"}"#).b, Some(true));
        assert_eq!(probe(r#"{"b":0}"#).b, Some(false));
        assert_eq!(probe(r#"{"b":"maybe"}"#).b, None);
    }

    /// A key given again and again keeps every value it was given (the buffer only grows), so a value may not
    /// keep more text than it takes in the answer: numbers written out in full would (`1e300` is 301 digits).
    #[test]
    fn the_kept_text_never_outgrows_the_answer() {
        for value in ["1e300", "-1e-300", "123456789e20", "1E16", "\"abc\"", "true", "-0", "\"\\u0000\""] {
            let json = format!("{{{}}}", vec![format!(r#""t":{value}"#); 1000].join(","));
            let (_, texts) = from_json::<Probe>(json.as_bytes()).unwrap();
            assert!(texts.size() <= 2 * json.len(), "{value}: {} bytes kept of {}", texts.size(), json.len());
        }
        assert_eq!(probe(r#"{"t":1e300}"#).t(), Some("1e300"));
        assert_eq!(probe(r#"{"t":349.0}"#).t(), Some("349"));
        assert_eq!(probe(r#"{"t":1e16}"#).t(), Some("10000000000000000"), "17 digits stay written out");
    }

    /// Every string of a reading is in its one buffer, with the texts of numbers and booleans.
    #[test]
    fn strings_are_kept_in_the_reading_s_texts() {
        let p = probe(r#"{"items":[{"t":"a"},{"t":7},{"t":true},{"t":""},{"t":null}],"t":1.5}"#);
        let item_texts: Vec<_> = p.items.iter().map(|item| p.1.get_opt(item.as_ref().unwrap().t)).collect();
        assert_eq!(item_texts, [Some("a"), Some("7"), Some("true"), Some(""), None]);
        assert_eq!(p.t(), Some("1.5"));
        assert_eq!(format!("{:?}", p.1), r#"["", "a", "7", "true", "1.5"]"#);
    }

    #[test]
    fn objects_and_lists_of_the_wrong_shape_read_as_absent() {
        let p = probe(r#"{"inner":{"t":"x"}}"#);
        assert_eq!(p.1.get_opt(p.inner.as_ref().unwrap().t), Some("x"));
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
        assert!(read_text::<Probe>(r#"{"t":"x""#).is_err());
        assert!(read_text::<Probe>(r#"{"t":"x",}"#).is_err());
        assert!(read_text::<Probe>(r#"{"inner":{"t":}}"#).is_err());
        assert!(read_text::<Probe>(r#"{"t":"x"} {}"#).is_err(), "nothing after the object");
    }
}
