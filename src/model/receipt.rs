//! Receipt lines as the API sends them in `receipt` and `receipt_merchant`.
//!
//! Four types exist (`separator`, `textline`, `name-value`, `space`); anything else is kept as
//! [`LineKind::Unknown`] with its raw type, so that a new type never fails a receipt.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::lenient::{self, Object, Read, Text};
use super::texts::{TextRef, Texts};

/// What a receipt line is, for layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Unknown,
    Separator,
    Text,
    NameValue,
    Space,
}

impl LineKind {
    fn from_type(raw: &str) -> LineKind {
        match raw {
            "separator" => LineKind::Separator,
            "textline" => LineKind::Text,
            "name-value" => LineKind::NameValue,
            "space" => LineKind::Space,
            _ => LineKind::Unknown,
        }
    }
}

/// The decorations of a line as a bit set; the bit values are those of the C contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Decorations(u32);

impl Decorations {
    pub const IMPORTANT: Decorations = Decorations(1);
    pub const ALIGN_LEFT: Decorations = Decorations(2);
    pub const ALIGN_CENTER: Decorations = Decorations(4);
    pub const ALIGN_RIGHT: Decorations = Decorations(8);

    /// The bits of the known decoration names; legacy SDKs spell `align_left`, unknown names set nothing.
    pub fn from_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Decorations {
        let bits = names.into_iter().fold(0, |bits, name| {
            bits | match name {
                "important" => Self::IMPORTANT.0,
                "align-left" | "align_left" => Self::ALIGN_LEFT.0,
                "align-center" | "align_center" => Self::ALIGN_CENTER.0,
                "align-right" | "align_right" => Self::ALIGN_RIGHT.0,
                _ => 0,
            }
        });
        Decorations(bits)
    }

    /// Whether every bit of `other` is set.
    pub fn contains(self, other: Decorations) -> bool {
        self.0 & other.0 == other.0
    }

    pub fn bits(self) -> u32 {
        self.0
    }
}

/// One printable line. Its strings are in the [`Texts`] of the reading it came from, the empty string where the
/// line has no such field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptLine {
    pub kind: LineKind,
    pub decorations: Decorations,
    /// The `type` exactly as sent, so that a caller can handle types this library does not know yet.
    pub raw_type: TextRef,
    pub caption: TextRef,
    pub text: TextRef,
    pub name: TextRef,
    pub value: TextRef,
}

/// The JSON shape of a line: `{"type": ..., "value": {...}}`.
#[derive(Default)]
struct RawLine {
    kind: Option<TextRef>,
    value: Option<RawValue>,
}

crate::lenient_fields!(RawLine {
    "type" => kind: Text,
    "value" => value: Object<RawValue>,
});

#[derive(Default)]
struct RawValue {
    caption: Option<TextRef>,
    text: Option<TextRef>,
    name: Option<TextRef>,
    value: Option<TextRef>,
    decoration: Decorations,
}

crate::lenient_fields!(RawValue {
    "caption" => caption: Text,
    "text" => text: Text,
    "name" => name: Text,
    "value" => value: Text,
    "decoration" => decoration: DecorationNames,
});

impl ReceiptLine {
    fn of(raw: Option<RawLine>, texts: &Texts) -> ReceiptLine {
        let RawLine { kind, value } = raw.unwrap_or_default();
        let raw_type = kind.unwrap_or_default();
        let value = value.unwrap_or_default();
        ReceiptLine {
            kind: LineKind::from_type(texts.get(raw_type)),
            decorations: value.decoration,
            raw_type,
            caption: value.caption.unwrap_or_default(),
            text: value.text.unwrap_or_default(),
            name: value.name.unwrap_or_default(),
            value: value.value.unwrap_or_default(),
        }
    }
}

/// Reads a receipt: a list of lines where an element that is not an object becomes an unknown line, so the
/// line count always matches what the API sent (up to [`lenient::MAX_LIST_LEN`] lines).
pub enum Lines {}

impl Read for Lines {
    type Out = Vec<ReceiptLine>;
    fn read<'de, D: Deserializer<'de>>(d: D, texts: &mut Texts) -> Result<Self::Out, D::Error> {
        let mut lines = Vec::new();
        lenient::list_with_gaps(d, texts, |raw, texts| lines.push(ReceiptLine::of(raw, texts)))?;
        Ok(lines)
    }
}

/// Reads `decoration`: a list of names (a single name counts as a list of one) as [`Decorations`], without
/// keeping the names. Elements that are not strings name nothing; at most [`lenient::MAX_LIST_LEN`] are looked at.
enum DecorationNames {}

impl Read for DecorationNames {
    type Out = Decorations;
    fn read<'de, D: Deserializer<'de>>(d: D, _: &mut Texts) -> Result<Decorations, D::Error> {
        d.deserialize_any(NamesVisitor { element: false })
    }
}

/// The decorations a value names: a name its bit, a list (unless it is an `element` of one) those of its names,
/// anything else none.
struct NamesVisitor {
    element: bool,
}

impl<'de> Visitor<'de> for NamesVisitor {
    type Value = Decorations;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of decoration names")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Decorations, A::Error> {
        let mut bits = Decorations::default();
        if !self.element {
            for _ in 0..lenient::MAX_LIST_LEN {
                match seq.next_element::<Name>()? {
                    Some(Name(name)) => bits = Decorations(bits.0 | name.0),
                    None => return Ok(bits),
                }
            }
        }
        lenient::skip_seq(seq).map(|()| bits)
    }
    fn visit_str<E>(self, v: &str) -> Result<Decorations, E> {
        Ok(Decorations::from_names([v]))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Decorations, A::Error> {
        lenient::skip_map(map).map(|()| Decorations::default())
    }
    fn visit_bool<E>(self, _: bool) -> Result<Decorations, E> {
        Ok(Decorations::default())
    }
    fn visit_i64<E>(self, _: i64) -> Result<Decorations, E> {
        Ok(Decorations::default())
    }
    fn visit_u64<E>(self, _: u64) -> Result<Decorations, E> {
        Ok(Decorations::default())
    }
    fn visit_f64<E>(self, _: f64) -> Result<Decorations, E> {
        Ok(Decorations::default())
    }
    fn visit_unit<E>(self) -> Result<Decorations, E> {
        Ok(Decorations::default())
    }
}

/// One element of `decoration`.
struct Name(Decorations);

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Name, D::Error> {
        d.deserialize_any(NamesVisitor { element: true }).map(Name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines with their strings resolved: kind, decoration bits, type, caption, text, name, value.
    type Shown = (LineKind, u32, [String; 5]);

    fn lines(json: &str) -> Vec<Shown> {
        let mut texts = Texts::default();
        let lines = Lines::read(&mut serde_json::Deserializer::from_str(json), &mut texts).unwrap();
        let text = |at| texts.get(at).to_owned();
        lines
            .iter()
            .map(|l| (l.kind, l.decorations.bits(), [l.raw_type, l.caption, l.text, l.name, l.value].map(text)))
            .collect()
    }

    fn decorations(json: &str) -> u32 {
        lines(&format!(r#"[{{"type":"textline","value":{{"decoration":{json}}}}}]"#))[0].1
    }

    #[test]
    fn the_four_types_and_their_fields() {
        let l = lines(
            r#"[{"type":"separator","value":{"caption":"Kundenkarte"}},
                {"type":"name-value","value":{"name":"TA Code:","value":"29008410","decoration":[]}},
                {"type":"textline","value":{"text":"Danke","decoration":["align-center","important"]}},
                {"type":"space"}]"#,
        );
        assert_eq!(l.len(), 4);
        assert_eq!((l[0].0, l[0].2[1].as_str()), (LineKind::Separator, "Kundenkarte"));
        assert_eq!((l[1].2[3].as_str(), l[1].2[4].as_str()), ("TA Code:", "29008410"));
        assert_eq!(l[2].1, 1 | 4);
        assert_eq!((l[3].0, l[3].2[0].as_str()), (LineKind::Space, "space"));
    }

    #[test]
    fn legacy_and_unknown_decorations() {
        let d = Decorations::from_names(["align_right", "blink", "align_left"]);
        assert_eq!(d.bits(), Decorations::ALIGN_LEFT.bits() | Decorations::ALIGN_RIGHT.bits());
    }

    #[test]
    fn unknown_types_and_junk_elements_are_kept_as_unknown_lines() {
        let l = lines(r#"[{"type":"qr-code","value":{"data":"x"}}, 17, {"value":{"text":"t"}}]"#);
        assert_eq!(l.len(), 3);
        assert_eq!((l[0].0, l[0].2[0].as_str()), (LineKind::Unknown, "qr-code"));
        assert_eq!((l[1].0, l[1].2[0].as_str()), (LineKind::Unknown, ""));
        assert_eq!((l[2].0, l[2].2[2].as_str()), (LineKind::Unknown, "t"));
    }

    #[test]
    fn numbers_in_text_fields_print_as_text() {
        let l = lines(r#"[{"type":"name-value","value":{"name":"Beleg","value":3,"decoration":"important"}}]"#);
        assert_eq!(l[0].2[4], "3");
        assert_eq!(l[0].1, Decorations::IMPORTANT.bits());
    }

    /// Names are read from a list or a single string; anything else names nothing, also a list inside the list.
    #[test]
    fn decorations_are_read_leniently() {
        assert_eq!(decorations(r#"["align-right",1,null,"important",{"x":1}]"#), 8 | 1);
        assert_eq!(decorations(r#""align_left""#), 2);
        assert_eq!(decorations(r#"[["important"],"align-center"]"#), 4);
        assert_eq!(decorations(r#"{"important":true}"#), 0);
        assert_eq!(decorations("7"), 0);
        let many = format!("[{},\"important\"]", vec!["\"x\""; lenient::MAX_LIST_LEN].join(","));
        assert_eq!(decorations(&many), 0, "names after the cap are not looked at");
    }
}
