//! Properties of the receipt layout over generated receipts: any lines, any width from 20 to 80, either format
//! and any code page. No row is wider than the width and none ends in a space; every visible character of the
//! input comes out, in order (transliterated where the code page lacks it); ESC/POS output holds only the
//! renderer's own commands, line ends and bytes the code page prints; nothing panics.

use proptest::prelude::*;
use smartx::model::LineKind;
use smartx::receipt::{render, Align, CodePage, EscPos, Format, Line, Options};
use unicode_normalization::UnicodeNormalization;
use unicode_width::UnicodeWidthStr;

/// Pieces of text: plain and accented letters, a decomposed "é", the euro sign, typographic quotes, a dash,
/// a character no code page has, wide ones, spaces of several kinds, controls and zero-width characters.
const PIECES: &[&str] = &[
    "a", "Z", "7", "ä", "Ö", "ß", "e\u{301}", "€", "„", "“", "–", "ő", "中", ".", ",", ":", "&", " ", " ", " ",
    "\u{A0}", "\t", "\n", "\u{7}", "\u{1B}", "\u{200B}", "\u{FEFF}", "Wort", "Quittung",
];

/// What a piece shows as, in text or in a code page (None: it shows as nothing or as white space).
fn shown(piece: &str, page: Option<CodePage>) -> String {
    let nfc: String = piece.nfc().collect();
    let visible: String =
        nfc.chars().filter(|c| !c.is_whitespace() && !c.is_control() && *c != '\u{200B}' && *c != '\u{FEFF}').collect();
    let Some(page) = page else { return visible };
    visible
        .chars()
        .map(|c| match page.encode(c) {
            Some(_) => c.to_string(),
            None => match c {
                '€' => "EUR".to_string(),
                '„' | '“' => "\"".to_string(),
                '–' => "-".to_string(),
                'ő' => "o".to_string(),
                _ => "?".to_string(),
            },
        })
        .collect()
}

fn text() -> impl Strategy<Value = Vec<&'static str>> {
    prop::collection::vec(prop::sample::select(PIECES), 0..40)
}

#[derive(Debug, Clone)]
struct GenLine {
    kind: LineKind,
    important: bool,
    align: Align,
    strings: [Vec<&'static str>; 4],
}

impl GenLine {
    fn joined(&self) -> [String; 4] {
        self.strings.clone().map(|pieces| pieces.concat())
    }

    /// The pieces this line prints, in order.
    fn printed_pieces(&self) -> Vec<&'static str> {
        let [caption, text, name, value] = &self.strings;
        match self.kind {
            LineKind::Space => vec![],
            LineKind::Separator => caption.clone(),
            LineKind::Text => text.clone(),
            LineKind::NameValue => [name.clone(), value.clone()].concat(),
            LineKind::Unknown => [caption.clone(), text.clone(), name.clone(), value.clone()].concat(),
        }
    }
}

fn line() -> impl Strategy<Value = GenLine> {
    let kind = prop::sample::select(vec![
        LineKind::Separator,
        LineKind::Text,
        LineKind::NameValue,
        LineKind::Space,
        LineKind::Unknown,
    ]);
    let align = prop::sample::select(vec![Align::Left, Align::Center, Align::Right]);
    (kind, any::<bool>(), align, [text(), text(), text(), text()])
        .prop_map(|(kind, important, align, strings)| GenLine { kind, important, align, strings })
}

fn format() -> impl Strategy<Value = Format> {
    prop_oneof![
        Just(Format::Text),
        (prop::sample::select(CodePage::ALL.to_vec()), any::<bool>(), any::<bool>())
            .prop_map(|(code_page, no_init, cut)| Format::EscPos(EscPos { code_page, no_init, cut })),
    ]
}

/// The rows of ESC/POS output with the renderer's commands taken out; fails on any other control byte.
fn escpos_rows(bytes: &[u8], page: CodePage) -> Result<Vec<Vec<u8>>, String> {
    let mut rows = vec![Vec::new()];
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        let command = match rest {
            [0x1B, b'@', ..] => 2,
            [0x1B, b't', n, ..] if *n == page.escpos_table() => 3,
            [0x1B, b'E', 0 | 1, ..] => 3,
            [0x1B, b'd', 3, 0x1D, b'V', 66, 0] => 7,
            [b'\n', ..] => {
                rows.push(Vec::new());
                1
            }
            [b, ..] if page.decode(*b).is_some() => {
                rows.last_mut().expect("a row").push(*b);
                1
            }
            [b, ..] => return Err(format!("byte {b:#04x} at {i} is neither a command nor printable in {page:?}")),
            [] => unreachable!(),
        };
        i += command;
    }
    if rows.last().is_some_and(Vec::is_empty) {
        rows.pop();
    }
    Ok(rows)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn layout_properties(lines in prop::collection::vec(line(), 0..12), columns in 20usize..=80, format in format()) {
        let joined: Vec<[String; 4]> = lines.iter().map(GenLine::joined).collect();
        let view = lines.iter().zip(&joined).map(|(l, [caption, text, name, value])| Line {
            kind: l.kind, important: l.important, align: l.align, caption, text, name, value,
        });
        let out = render(view, &Options { columns, format }).expect("valid options");

        let (rows, page): (Vec<String>, Option<CodePage>) = match format {
            Format::Text => {
                let text = String::from_utf8(out).expect("text output is UTF-8");
                prop_assert!(text.is_empty() || text.ends_with('\n'));
                for c in text.chars() {
                    prop_assert!(c == '\n' || !c.is_control(), "control {:?} in text", c);
                }
                (text.lines().map(str::to_string).collect(), None)
            }
            Format::EscPos(EscPos { code_page, .. }) => {
                let rows = escpos_rows(&out, code_page).map_err(TestCaseError::fail)?;
                for row in &rows {
                    prop_assert!(row.len() <= columns, "{} bytes in a row of {columns}", row.len());
                }
                let decode = |row: &Vec<u8>| row.iter().map(|b| code_page.decode(*b).expect("checked")).collect();
                (rows.iter().map(decode).collect(), Some(code_page))
            }
        };
        for row in &rows {
            if page.is_none() {
                prop_assert!(row.width() <= columns, "{row:?} is {} columns wide, more than {columns}", row.width());
            }
            prop_assert!(!row.ends_with(' '), "trailing space in {row:?}");
        }

        // Every visible character, in order. Rule characters of separators are taken out of both sides.
        let strip = |s: &str| s.chars().filter(|c| !c.is_whitespace() && *c != '=' && *c != '-').collect::<String>();
        let want: String = lines.iter().flat_map(GenLine::printed_pieces).map(|p| strip(&shown(p, page))).collect();
        let got: String = rows.iter().map(|r| strip(r)).collect();
        prop_assert_eq!(got, want);
    }
}
