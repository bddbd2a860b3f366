//! Receipt lines as the API sends them in `receipt` and `receipt_merchant`.
//!
//! Four types exist (`separator`, `textline`, `name-value`, `space`); anything else is kept as
//! [`LineKind::Unknown`] with its raw type, so that a new type never fails a receipt.

use serde::Deserializer;

use super::lenient::{self, Object, Read, Text, Texts};

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

/// One printable line. Strings are empty where the line has no such field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptLine {
    pub kind: LineKind,
    pub decorations: Decorations,
    /// The `type` exactly as sent, so that a caller can handle types this library does not know yet.
    pub raw_type: String,
    pub caption: String,
    pub text: String,
    pub name: String,
    pub value: String,
}

/// The JSON shape of a line: `{"type": ..., "value": {...}}`.
#[derive(Default)]
struct RawLine {
    kind: Option<String>,
    value: Option<RawValue>,
}

crate::lenient_fields!(RawLine {
    "type" => kind: Text,
    "value" => value: Object<RawValue>,
});

#[derive(Default)]
struct RawValue {
    caption: Option<String>,
    text: Option<String>,
    name: Option<String>,
    value: Option<String>,
    decoration: Vec<String>,
}

crate::lenient_fields!(RawValue {
    "caption" => caption: Text,
    "text" => text: Text,
    "name" => name: Text,
    "value" => value: Text,
    "decoration" => decoration: Texts,
});

impl From<Option<RawLine>> for ReceiptLine {
    fn from(raw: Option<RawLine>) -> ReceiptLine {
        let RawLine { kind, value } = raw.unwrap_or_default();
        let raw_type = kind.unwrap_or_default();
        let value = value.unwrap_or_default();
        ReceiptLine {
            kind: LineKind::from_type(&raw_type),
            decorations: Decorations::from_names(value.decoration.iter().map(String::as_str)),
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
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self::Out, D::Error> {
        let raw: Vec<Option<RawLine>> = lenient::list_with_gaps(d)?;
        Ok(raw.into_iter().map(ReceiptLine::from).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(json: &str) -> Vec<ReceiptLine> {
        Lines::read(&mut serde_json::Deserializer::from_str(json)).unwrap()
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
        assert_eq!((l[0].kind, l[0].caption.as_str()), (LineKind::Separator, "Kundenkarte"));
        assert_eq!((l[1].name.as_str(), l[1].value.as_str()), ("TA Code:", "29008410"));
        assert_eq!(l[2].decorations.bits(), 1 | 4);
        assert_eq!((l[3].kind, l[3].raw_type.as_str()), (LineKind::Space, "space"));
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
        assert_eq!((l[0].kind, l[0].raw_type.as_str()), (LineKind::Unknown, "qr-code"));
        assert_eq!((l[1].kind, l[1].raw_type.as_str()), (LineKind::Unknown, ""));
        assert_eq!((l[2].kind, l[2].text.as_str()), (LineKind::Unknown, "t"));
    }

    #[test]
    fn numbers_in_text_fields_print_as_text() {
        let l = lines(r#"[{"type":"name-value","value":{"name":"Beleg","value":3,"decoration":"important"}}]"#);
        assert_eq!(l[0].value, "3");
        assert_eq!(l[0].decorations, Decorations::IMPORTANT);
    }
}
