//! Lenient field readers.
//!
//! The API sends the same field as a number in one answer and as a string in the next (`articleNumber`,
//! `trans_id`, `receipt_number`, an error's `code`). A register must never lose a payment over a field it does
//! not need, so a field of an unexpected shape reads as absent instead of failing the whole transaction. Only
//! broken JSON syntax fails.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

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
    Ok(text(d)?.and_then(|t| {
        let t = t.trim();
        t.parse::<i64>().ok().or_else(|| {
            // 349.0 is a whole number too; 3.49 is not, and money is never rounded here.
            let f = t.parse::<f64>().ok()?;
            (f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
        })
    }))
}

/// A boolean, given as `true`/`false`, `1`/`0` or as a string of one of these; anything else is `None`.
pub fn boolean<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(text(d)?.and_then(|t| match t.trim() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }))
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
            while let Some(Text(t)) = seq.next_element::<Text>()? {
                out.extend(t);
            }
            Ok(out)
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
struct Text(Option<String>);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        text(d).map(Text)
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
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
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
            while let Some(MaybeObject(item)) = seq.next_element::<MaybeObject<T>>()? {
                out.push(item);
            }
            Ok(out)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            skip_map(map).map(|()| Vec::new())
        }
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok(Vec::new())
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
    use serde::Deserialize;

    #[derive(Deserialize, Default, Debug)]
    #[serde(default)]
    struct Probe {
        #[serde(deserialize_with = "super::text")]
        t: Option<String>,
        #[serde(deserialize_with = "super::integer")]
        n: Option<i64>,
        #[serde(deserialize_with = "super::boolean")]
        b: Option<bool>,
        #[serde(deserialize_with = "super::texts")]
        list: Vec<String>,
        #[serde(deserialize_with = "super::object")]
        inner: Option<Box<Probe>>,
        #[serde(deserialize_with = "super::list_with_gaps")]
        items: Vec<Option<Probe>>,
    }

    fn probe(json: &str) -> Probe {
        serde_json::from_str(json).unwrap()
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
        assert!(serde_json::from_str::<Probe>(r#"{"inner":{"t":}}"#).is_err());
    }
}
