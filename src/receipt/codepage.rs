//! The four single-byte code pages an ESC/POS printer is told to use, from tables generated out of Python's
//! codecs module (no maintained crate covers all four: `oem_cp` has CP437 and CP858 only, `encoding_rs` the
//! Windows and ISO pages only).

use super::codepage_tables::*;

/// A printer code page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CodePage {
    /// CP858: CP850 (Western Europe) with the euro sign at 0xD5. The default.
    #[default]
    Cp858,
    /// CP437: the original IBM PC set; umlauts, no euro sign.
    Cp437,
    /// Windows-1252.
    Windows1252,
    /// ISO-8859-15 (Latin-9): Latin-1 with the euro sign.
    Iso8859_15,
}

impl CodePage {
    pub const ALL: [CodePage; 4] = [CodePage::Cp858, CodePage::Cp437, CodePage::Windows1252, CodePage::Iso8859_15];

    /// `n` of `ESC t n`, the command that selects this code page on Epson-compatible printers.
    pub fn escpos_table(self) -> u8 {
        match self {
            CodePage::Cp437 => 0,
            CodePage::Windows1252 => 16,
            CodePage::Cp858 => 19,
            CodePage::Iso8859_15 => 40,
        }
    }

    fn upper(self) -> &'static [Option<char>; 128] {
        match self {
            CodePage::Cp858 => &CP858_UPPER,
            CodePage::Cp437 => &CP437_UPPER,
            CodePage::Windows1252 => &WINDOWS_1252_UPPER,
            CodePage::Iso8859_15 => &ISO_8859_15_UPPER,
        }
    }

    fn encode_table(self) -> &'static [(char, u8)] {
        match self {
            CodePage::Cp858 => &CP858_ENCODE,
            CodePage::Cp437 => &CP437_ENCODE,
            CodePage::Windows1252 => &WINDOWS_1252_ENCODE,
            CodePage::Iso8859_15 => &ISO_8859_15_ENCODE,
        }
    }

    /// The byte that prints `c`, if this code page has it as a printable character (never a control byte).
    pub fn encode(self, c: char) -> Option<u8> {
        match c {
            ' '..='~' => Some(c as u8),
            _ if (c as u32) < 0x80 => None,
            _ => {
                let table = self.encode_table();
                table.binary_search_by_key(&c, |&(ch, _)| ch).ok().map(|i| table[i].1)
            }
        }
    }

    /// The character `byte` prints as, if it is a printable character of this code page.
    pub fn decode(self, byte: u8) -> Option<char> {
        match byte {
            b' '..=b'~' => Some(char::from(byte)),
            0x80..=0xFF => self.upper()[usize::from(byte - 0x80)],
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_and_decode_agree_for_every_byte() {
        for page in CodePage::ALL {
            for byte in 0..=255u8 {
                if let Some(c) = page.decode(byte) {
                    assert_eq!(page.encode(c), Some(byte), "{page:?} {byte:#04x}");
                }
            }
            assert_eq!(page.encode('\n'), None);
            assert_eq!(page.encode('\u{7f}'), None);
            assert_eq!(page.encode('\u{81}'), None, "C1 controls are never printable");
        }
    }

    #[test]
    fn the_euro_sign_and_umlauts() {
        assert_eq!(CodePage::Cp858.encode('€'), Some(0xD5));
        assert_eq!(CodePage::Cp437.encode('€'), None);
        assert_eq!(CodePage::Windows1252.encode('€'), Some(0x80));
        assert_eq!(CodePage::Iso8859_15.encode('€'), Some(0xA4));
        for page in CodePage::ALL {
            for c in "äöüÄÖÜßé".chars() {
                assert!(page.encode(c).is_some(), "{page:?} lacks {c}");
            }
        }
        assert_eq!(CodePage::Cp437.encode('ü'), Some(0x81));
        assert_eq!(CodePage::Windows1252.decode(0x81), None, "undefined in Windows-1252");
        assert_eq!(CodePage::Iso8859_15.decode(0x85), None, "a C1 control in ISO-8859-15");
    }

    /// The committed tables are what Python's codecs module says (a published mapping, not our own reading).
    #[test]
    fn tables_match_pythons_codecs() {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/codepage_tables.py");
        let out = std::process::Command::new("python3")
            .arg(script)
            .arg("--check")
            .output()
            .unwrap_or_else(|e| panic!("cannot run python3 (CI installs it): {e}"));
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
}
