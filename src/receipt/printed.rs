//! The printed form of a string: what the printer is sent and how many columns each piece fills. Deciding it
//! comes before layout, because it changes widths (a decomposed "é" is one column, "€" becomes "EUR" in CP437).

use unicode_normalization::char::{decompose_compatible, is_combining_mark};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
use unicode_width::UnicodeWidthChar;

use super::CodePage;

/// What the bytes of a receipt are: UTF-8 text, or a printer code page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Encoding {
    Utf8,
    CodePage(CodePage),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CellKind {
    Visible,
    /// A space where a line may break.
    Space,
    /// A no-break space (U+00A0 and its kin): printed blank, never a break.
    Glue,
}

/// One printer column, or two for a wide character in UTF-8: `bytes[start..end]` of its [`Printed`].
#[derive(Debug, Clone, Copy)]
pub(super) struct Cell {
    pub start: u32,
    pub end: u32,
    pub width: u8,
    pub kind: CellKind,
}

impl Cell {
    pub fn blank(self) -> bool {
        self.kind != CellKind::Visible
    }
}

/// A string as it prints. Reused between lines, so a receipt costs few allocations.
#[derive(Debug, Default)]
pub(super) struct Printed {
    pub bytes: Vec<u8>,
    pub cells: Vec<Cell>,
    /// The cell that combining marks attach to (UTF-8 only); None at the start and after a blank.
    open: Option<usize>,
}

impl Printed {
    /// Replaces the contents with the printed form of `text`: NFC first; control characters dropped (those
    /// that are white space become a space); zero-width characters other than combining marks dropped; a
    /// nonspacing mark on the cell before it, a spacing mark (Mc) in a cell of its own.
    pub fn set(&mut self, text: &str, encoding: Encoding) {
        self.bytes.clear();
        self.cells.clear();
        self.open = None;
        // Most receipt text is ASCII or already NFC: skip the normaliser's buffering then.
        if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
            self.fill(text.chars(), encoding);
        } else {
            self.fill(text.nfc(), encoding);
        }
    }

    fn fill(&mut self, chars: impl Iterator<Item = char>, encoding: Encoding) {
        for c in chars {
            if c.is_ascii_graphic() {
                self.push(&[c as u8], 1, CellKind::Visible);
            } else if c.is_whitespace() {
                let glue = matches!(c, '\u{A0}' | '\u{2007}' | '\u{202F}');
                self.push(b" ", 1, if glue { CellKind::Glue } else { CellKind::Space });
            } else if c.is_control() {
                // Never printed: only the renderer's own commands and line ends reach a printer.
            } else if is_combining_mark(c) && c.width() == Some(0) {
                // A nonspacing mark (Mn, Me) sits on the character before it. A spacing one (Mc, e.g. U+0903)
                // takes a column of its own, as a terminal shows it: it prints below as any visible character.
                self.mark(c, encoding);
            } else if c.width() == Some(0) {
                // Zero-width space, joiners, direction marks, byte-order mark: nothing to print.
            } else {
                match encoding {
                    Encoding::Utf8 => self.utf8(c),
                    Encoding::CodePage(page) => self.code_page(c, page),
                }
            }
        }
    }

    #[cfg(test)]
    pub fn width(&self) -> usize {
        self.cells.iter().map(|cell| usize::from(cell.width)).sum()
    }

    fn push(&mut self, bytes: &[u8], width: u8, kind: CellKind) {
        let start = self.bytes.len() as u32;
        self.bytes.extend_from_slice(bytes);
        self.cells.push(Cell { start, end: self.bytes.len() as u32, width, kind });
        self.open = (kind == CellKind::Visible).then(|| self.cells.len() - 1);
    }

    fn utf8(&mut self, c: char) {
        let width = if c.width() == Some(2) { 2 } else { 1 };
        self.push(c.encode_utf8(&mut [0; 4]).as_bytes(), width, CellKind::Visible);
    }

    /// A combining mark that NFC could not compose with the character before it.
    fn mark(&mut self, c: char, encoding: Encoding) {
        match (encoding, self.open) {
            // Shown on top of the cell before it, in that cell's column.
            (Encoding::Utf8, Some(cell)) if cell + 1 == self.cells.len() => {
                self.bytes.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                self.cells[cell].end = self.bytes.len() as u32;
            }
            // Alone, on a no-break space as Unicode suggests: one column.
            (Encoding::Utf8, _) => {
                let mut bytes = [0; 6];
                let len = '\u{A0}'.encode_utf8(&mut bytes).len();
                let len = len + c.encode_utf8(&mut bytes[len..]).len();
                self.push(&bytes[..len], 1, CellKind::Visible);
            }
            // The code page has no such accent: the letter prints without it ("x̂" prints as "x").
            (Encoding::CodePage(_), Some(_)) if is_accent(c) => {}
            (Encoding::CodePage(_), _) => self.push(b"?", 1, CellKind::Visible),
        }
    }

    /// `c` in the code page; else transliterated to characters it has; else "?". Never dropped.
    fn code_page(&mut self, c: char, page: CodePage) {
        if let Some(byte) = page.encode(c) {
            return self.push(&[byte], 1, CellKind::Visible);
        }
        if let Some(ascii) = transliteration(c) {
            for byte in ascii.bytes() {
                self.push(&[byte], 1, CellKind::Visible);
            }
            return;
        }
        // The compatibility decomposition without its accents: "ő" -> "o", "ﬁ" -> "fi", "①" -> "1".
        let mut parts = [0u8; 8];
        let (mut len, mut complete) = (0, true);
        decompose_compatible(c, |part| {
            if is_accent(part) {
                return;
            }
            match page.encode(part).filter(|_| len < parts.len()) {
                Some(byte) if byte != b' ' => {
                    parts[len] = byte;
                    len += 1;
                }
                _ => complete = false,
            }
        });
        if complete && len > 0 {
            for byte in &parts[..len] {
                self.push(&[*byte], 1, CellKind::Visible);
            }
        } else {
            self.push(b"?", 1, CellKind::Visible);
        }
    }
}

/// A combining accent that a letter may print without: the marks of the Combining Diacritical Marks block
/// except the overlays (U+0334 to U+0338), which change meaning ("≠" is "=" with a stroke: never "=").
fn is_accent(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{333}' | '\u{339}'..='\u{36F}')
}

/// ASCII for characters that some code pages lack and that have no useful compatibility decomposition.
fn transliteration(c: char) -> Option<&'static str> {
    Some(match c {
        '€' => "EUR",
        '‘' | '’' | '‚' | '‛' | '′' => "'",
        '“' | '”' | '„' | '‟' | '″' | '«' | '»' => "\"",
        '‹' => "<",
        '›' => ">",
        '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' => "-",
        '•' | '·' | '∙' => "*",
        'ẞ' => "SS",
        'Œ' => "OE",
        'œ' => "oe",
        'Æ' => "AE",
        'æ' => "ae",
        'Ø' => "O",
        'ø' => "o",
        'Ł' => "L",
        'ł' => "l",
        'Đ' => "D",
        'đ' => "d",
        '©' => "(C)",
        '®' => "(R)",
        '×' => "x",
        '÷' => "/",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printed(text: &str, encoding: Encoding) -> Printed {
        let mut p = Printed::default();
        p.set(text, encoding);
        p
    }

    const CP437: Encoding = Encoding::CodePage(CodePage::Cp437);
    const CP858: Encoding = Encoding::CodePage(CodePage::Cp858);

    #[test]
    fn decomposed_accents_are_one_column() {
        let p = printed("Cafe\u{301}", Encoding::Utf8);
        assert_eq!((p.bytes.as_slice(), p.width()), ("Café".as_bytes(), 4));
        assert_eq!(printed("Cafe\u{301}", CP858).bytes, b"Caf\x82");
        // No precomposed form: the mark stays on its letter in UTF-8, and is left off in a code page.
        let p = printed("x\u{302}y", Encoding::Utf8);
        assert_eq!((p.width(), p.cells.len()), (2, 2));
        assert_eq!(printed("x\u{302}y", CP858).bytes, b"xy");
        assert_eq!(printed("\u{302}y", CP858).bytes, b"?y", "a mark with no letter is a character too");
        assert_eq!(printed("\u{302}", Encoding::Utf8).width(), 1);
    }

    #[test]
    fn euro_quotes_dashes_and_unknown_characters() {
        assert_eq!(printed("5,30 €", CP858).bytes, b"5,30 \xD5");
        let p = printed("5,30 €", CP437);
        assert_eq!((p.bytes.as_slice(), p.width()), (b"5,30 EUR".as_slice(), 8));
        assert_eq!(printed("„Brötchen“ – 2…", CP437).bytes, b"\"Br\x94tchen\" - 2...");
        assert_eq!(printed("Łódź ﬁ ő 中", CP858).bytes, b"L\xA2dz fi o ?");
        assert_eq!(printed("≠ x\u{338} ≤", CP858).bytes, b"? x? ?", "a stroke is no accent to leave off");
        assert_eq!(printed("Œuvre", Encoding::CodePage(CodePage::Windows1252)).bytes, b"\x8Cuvre");
    }

    #[test]
    fn controls_and_zero_width_characters_never_print() {
        let p = printed("a\u{7}b\tc\u{200B}d\u{FEFF}\u{202E}e\u{1B}[0m", CP858);
        assert_eq!(p.bytes, b"ab cde[0m", "a zero-width space joins, as it shows");
        assert!(printed("\u{85}\u{9B}x", Encoding::Utf8).bytes.iter().all(|b| *b >= 0x20));
        let p = printed("1\u{A0}000", Encoding::Utf8);
        assert_eq!((p.bytes.as_slice(), p.cells[1].kind), (b"1 000".as_slice(), CellKind::Glue));
    }

    /// A spacing mark (category Mc, e.g. U+0903 DEVANAGARI SIGN VISARGA) takes a column of its own, as a terminal
    /// shows it; a nonspacing one (Mn) none.
    #[test]
    fn spacing_marks_take_a_column_nonspacing_ones_none() {
        let p = printed("\u{915}\u{903}", Encoding::Utf8);
        assert_eq!((p.bytes.as_slice(), p.width()), ("\u{915}\u{903}".as_bytes(), 2));
        assert_eq!(printed("\u{915}\u{94D}", Encoding::Utf8).width(), 1, "virama, Mn");
        assert_eq!(printed("\u{915}\u{93E}\u{903}", Encoding::Utf8).width(), 3, "two spacing marks");
        assert_eq!(printed("\u{903}", Encoding::Utf8).width(), 1, "alone");
        assert_eq!(printed("\u{915}\u{903}", CP858).bytes, b"??", "a code page has neither");
    }

    #[test]
    fn wide_characters_take_two_columns_in_text() {
        assert_eq!(printed("日本", Encoding::Utf8).width(), 4);
        assert_eq!(printed("日本", CP858).width(), 2);
    }
}
