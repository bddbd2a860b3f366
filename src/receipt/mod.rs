//! Receipt layout: the lines of a receipt in, printer rows out, as UTF-8 text or as ESC/POS bytes in a code
//! page. Knows nothing of C and does no I/O.
//!
//! The rules (those of the C contract, `sx_receipt_render` in include/smartx.h): no row is wider than the
//! columns and none ends in spaces; text is put in Unicode NFC first and measured as the printer shows it
//! (after encoding: "€" is three columns where it prints as "EUR"); control characters never reach the output.
//! A separator is its caption centred between `=` rules, or a rule of `-` without one; a textline wraps at
//! spaces, cuts words longer than a row and is aligned as decorated; a name-value line holds the name at the
//! left and the value in the last column, or the name (wrapped) and then the value right-aligned below; a
//! space is an empty row; an unknown type prints the strings it carries as a left-aligned textline.

mod codepage;
#[rustfmt::skip]
mod codepage_tables;
mod layout;
mod printed;

use std::fmt;

pub use codepage::CodePage;

use crate::model::{Decorations, LineKind, ReceiptLine, Texts};

/// The narrowest and widest rows a receipt is laid out for.
pub const COLUMNS: std::ops::RangeInclusive<usize> = 20..=80;

/// How to render a receipt. The default is 42 columns of UTF-8 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Characters per row, 20 to 80: 32 on 58 mm paper, 42 or 48 on 80 mm paper.
    pub columns: usize,
    pub format: Format,
}

impl Default for Options {
    fn default() -> Options {
        Options { columns: 42, format: Format::Text }
    }
}

/// The bytes a receipt is rendered to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// UTF-8; every row ends in "\n"; bold is not shown.
    Text,
    /// Bytes for an ESC/POS printer.
    EscPos(EscPos),
}

/// The ESC/POS output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EscPos {
    pub code_page: CodePage,
    /// Skip `ESC @` and the code-page selection at the start (the printer is already set up).
    pub no_init: bool,
    /// Feed three lines and cut the paper at the end.
    pub cut: bool,
}

/// Alignment of a textline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

/// A receipt line as the layout reads it; borrowed, so that any store of lines can be rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    pub kind: LineKind,
    /// Bold.
    pub important: bool,
    /// For textlines (and nothing else).
    pub align: Align,
    pub caption: &'a str,
    pub text: &'a str,
    pub name: &'a str,
    pub value: &'a str,
}

impl Align {
    /// Centre wins over right, right over left, when a line carries several.
    pub fn from_decorations(decorations: Decorations) -> Align {
        if decorations.contains(Decorations::ALIGN_CENTER) {
            Align::Center
        } else if decorations.contains(Decorations::ALIGN_RIGHT) {
            Align::Right
        } else {
            Align::Left
        }
    }
}

impl<'a> Line<'a> {
    /// A line of a transaction's receipt, its strings in `texts` (the transaction's [`Texts`]).
    pub fn of(line: &ReceiptLine, texts: &'a Texts) -> Line<'a> {
        Line {
            kind: line.kind,
            important: line.decorations.contains(Decorations::IMPORTANT),
            align: Align::from_decorations(line.decorations),
            caption: texts.get(line.caption),
            text: texts.get(line.text),
            name: texts.get(line.name),
            value: texts.get(line.value),
        }
    }
}

/// Options that cannot be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptionsError {
    Columns(usize),
}

impl fmt::Display for OptionsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OptionsError::Columns(n) => {
                write!(f, "{n} columns: a receipt is laid out for {} to {}", COLUMNS.start(), COLUMNS.end())
            }
        }
    }
}

impl std::error::Error for OptionsError {}

/// `lines` between two `marker` lines (bold, centred) when there is a marker: a receipt printed again as a copy
/// (`sx_receipt_render_copy`, the journal's reprint), so that a copy is never taken for the original.
pub fn between_markers<'a>(
    lines: impl IntoIterator<Item = Line<'a>>,
    marker: Option<&'a str>,
) -> impl Iterator<Item = Line<'a>> {
    let marker = marker.map(|text| Line {
        kind: LineKind::Text,
        important: true,
        align: Align::Center,
        caption: "",
        text,
        name: "",
        value: "",
    });
    marker.into_iter().chain(lines).chain(marker)
}

/// Renders `lines` as `options` say. A receipt without lines is empty text, or only the ESC/POS set-up.
pub fn render<'a>(lines: impl IntoIterator<Item = Line<'a>>, options: &Options) -> Result<Vec<u8>, OptionsError> {
    if !COLUMNS.contains(&options.columns) {
        return Err(OptionsError::Columns(options.columns));
    }
    Ok(layout::render(lines, options.columns, options.format))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line<'a>(
        kind: LineKind,
        align: Align,
        caption: &'a str,
        text: &'a str,
        name: &'a str,
        value: &'a str,
    ) -> Line<'a> {
        Line { kind, important: false, align, caption, text, name, value }
    }

    fn text(text: &str, align: Align) -> Line<'_> {
        line(LineKind::Text, align, "", text, "", "")
    }

    fn name_value<'a>(name: &'a str, value: &'a str) -> Line<'a> {
        line(LineKind::NameValue, Align::Left, "", "", name, value)
    }

    fn rows(lines: &[Line], columns: usize) -> Vec<String> {
        let out = render(lines.iter().copied(), &Options { columns, format: Format::Text }).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.is_empty() || out.ends_with('\n'));
        out.lines().map(str::to_string).collect()
    }

    #[test]
    fn separators() {
        fn sep(caption: &str) -> Line<'_> {
            line(LineKind::Separator, Align::Left, caption, "", "", "")
        }
        assert_eq!(rows(&[sep("Kundenkarte")], 42), ["============== Kundenkarte ==============="]);
        assert_eq!(rows(&[sep("")], 20), ["-".repeat(20)]);
        assert_eq!(rows(&[sep("   ")], 20), ["-".repeat(20)]);
        assert_eq!(rows(&[sep(&"D".repeat(16))], 20), [format!("= {} =", "D".repeat(16))]);
        assert_eq!(rows(&[sep(&"C".repeat(17))], 20), [format!(" {}", "C".repeat(17))]);
        assert_eq!(rows(&[sep("Cafe\u{301}")], 20), ["======= Café ======="]);
    }

    #[test]
    fn textlines_wrap_cut_and_align() {
        let long = format!("{} tail", "W".repeat(25));
        assert_eq!(rows(&[text(&long, Align::Left)], 20), ["W".repeat(20), "WWWWW tail".to_string()]);
        assert_eq!(rows(&[text("one two  three", Align::Left)], 20), ["one two  three"]);
        assert_eq!(rows(&[text("one two three", Align::Left)], 20)[0], "one two three");
        assert_eq!(rows(&[text("aaaa bbbb cccc dddd eeee", Align::Left)], 20), ["aaaa bbbb cccc dddd", "eeee"]);
        assert_eq!(rows(&[text("mid", Align::Center)], 20), ["        mid"]);
        assert_eq!(rows(&[text("right", Align::Right)], 20), [format!("{}right", " ".repeat(15))]);
        assert_eq!(rows(&[text("   ", Align::Right), text("", Align::Left)], 20), ["", ""]);
        assert_eq!(rows(&[text("  lead and trail  ", Align::Left)], 20), ["lead and trail"]);
    }

    #[test]
    fn name_values() {
        assert_eq!(rows(&[name_value("TA Code:", "29008410")], 20), ["TA Code:    29008410"]);
        assert_eq!(rows(&[name_value("Name", "")], 20), ["Name"]);
        assert_eq!(rows(&[name_value("", "5,30")], 20), [format!("{}5,30", " ".repeat(16))]);
        assert_eq!(rows(&[name_value("", "")], 20), [""]);
        assert_eq!(
            rows(&[name_value("A fairly long name here", "and a value")], 20),
            ["A fairly long name", "here", "         and a value"]
        );
        assert_eq!(
            rows(&[name_value(&"N".repeat(10), &"V".repeat(9))], 20),
            [format!("{} {}", "N".repeat(10), "V".repeat(9))]
        );
        assert_eq!(
            rows(&[name_value(&"N".repeat(10), &"V".repeat(10))], 20),
            ["N".repeat(10), format!("{}{}", " ".repeat(10), "V".repeat(10))]
        );
    }

    #[test]
    fn space_and_unknown_types() {
        let unknown = line(LineKind::Unknown, Align::Right, "Cap", "text", "", "val");
        assert_eq!(rows(&[unknown, line(LineKind::Space, Align::Left, "x", "", "", "")], 20), ["Cap text val", ""]);
        assert!(rows(&[], 20).is_empty());
    }

    #[test]
    fn bad_columns_are_refused() {
        for columns in [0, 19, 81] {
            let options = Options { columns, format: Format::Text };
            assert_eq!(render([], &options), Err(OptionsError::Columns(columns)));
        }
    }

    #[test]
    fn escpos_commands_bold_and_cut() {
        let mut bold = text("Sum €", Align::Left);
        bold.important = true;
        let escpos = EscPos { code_page: CodePage::Cp437, no_init: false, cut: true };
        let out = render([bold], &Options { columns: 20, format: Format::EscPos(escpos) }).unwrap();
        assert_eq!(out, b"\x1b@\x1bt\x00\x1bE\x01Sum EUR\n\x1bE\x00\x1bd\x03\x1dVB\x00");
        let escpos = EscPos { code_page: CodePage::Cp858, no_init: true, cut: true };
        assert!(render([], &Options { columns: 20, format: Format::EscPos(escpos) }).unwrap().is_empty());
        let escpos = EscPos { code_page: CodePage::Iso8859_15, ..EscPos::default() };
        assert_eq!(render([], &Options { columns: 20, format: Format::EscPos(escpos) }).unwrap(), b"\x1b@\x1bt\x28");
    }
}
