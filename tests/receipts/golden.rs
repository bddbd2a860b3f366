//! Golden files: both fixtures' receipts, and tests/data/golden/shapes.json (long names and values, empty values,
//! an unknown type, legacy and mixed decorations, German and French text, decomposed accents, controls,
//! characters no code page has), rendered through the C ABI (sx_transaction_parse, sx_receipt_render)
//! at 32, 42 and 48 columns, as text and as ESC/POS in each code page, compared byte for byte with
//! tests/data/golden/. Each ESC/POS file has a hex dump beside it (`.hex`), so that a change reads as a diff.
//!
//! After an intended layout change: `SMARTX_BLESS=1 cargo test --test receipts golden`, then read the diff of
//! tests/data/golden/ (the `.txt` and `.hex` files) before committing it.

use crate::support;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use smartx::{
    sx_receipt_render, sx_render_options, sx_transaction, sx_transaction_free, sx_transaction_parse, SX_CODEPAGE_CP437,
    SX_CODEPAGE_CP858, SX_CODEPAGE_ISO_8859_15, SX_CODEPAGE_WINDOWS_1252, SX_ERR_BUFFER_TOO_SMALL, SX_FORMAT_ESCPOS,
    SX_FORMAT_TEXT, SX_OK, SX_RECEIPT_CUSTOMER, SX_RECEIPT_MERCHANT,
};
use support::{fixture, repo_dir};

/// Name, and the JSON file under the repository.
const FIXTURES: [(&str, &str); 3] = [
    ("start-cash", "fixtures/start-cash-response.json"),
    ("start-cashless", "fixtures/start-cashless-response.json"),
    ("shapes", "tests/data/golden/shapes.json"),
];
const COLUMNS: [u32; 3] = [32, 42, 48];
const RECEIPTS: [(u32, &str); 2] = [(SX_RECEIPT_CUSTOMER, "customer"), (SX_RECEIPT_MERCHANT, "merchant")];
const CODE_PAGES: [(u32, &str); 4] = [
    (SX_CODEPAGE_CP858, "cp858"),
    (SX_CODEPAGE_CP437, "cp437"),
    (SX_CODEPAGE_WINDOWS_1252, "windows-1252"),
    (SX_CODEPAGE_ISO_8859_15, "iso-8859-15"),
];

/// A parsed fixture, freed on drop.
struct Tx(*mut sx_transaction);

impl Tx {
    fn fixture(name: &str) -> Tx {
        Tx::parse(&std::fs::read(fixture(&format!("{name}-response.json"))).expect("fixture"))
    }

    fn parse(json: &[u8]) -> Tx {
        let mut tx = std::ptr::null_mut();
        // SAFETY: json is readable for its length; tx is writable.
        let rc = unsafe { sx_transaction_parse(json.as_ptr().cast(), json.len(), &mut tx) };
        assert_eq!(rc, SX_OK);
        Tx(tx)
    }

    /// Renders by the size query: ask with cap 0, allocate, read.
    fn render(&self, which: u32, options: &sx_render_options) -> Vec<u8> {
        let mut len = 0usize;
        // SAFETY: a live transaction, readable options, a size query with a NULL buffer and cap 0.
        let rc = unsafe { sx_receipt_render(self.0, which, options, std::ptr::null_mut(), 0, &mut len) };
        assert_eq!(rc, SX_ERR_BUFFER_TOO_SMALL);
        let mut buf = vec![0x55u8; len + 1];
        // SAFETY: buf is writable for len + 1 bytes.
        let rc = unsafe { sx_receipt_render(self.0, which, options, buf.as_mut_ptr().cast(), buf.len(), &mut len) };
        assert_eq!(rc, SX_OK);
        assert_eq!((buf.len(), buf[len]), (len + 1, 0), "the NUL after the bytes");
        buf.truncate(len);
        buf
    }
}

impl Drop for Tx {
    fn drop(&mut self) {
        // SAFETY: from sx_transaction_parse, freed once.
        unsafe { sx_transaction_free(self.0) };
    }
}

/// 16 bytes a row: offset, hex, and the printable ASCII (else '.').
fn hex_dump(bytes: &[u8]) -> String {
    let mut out = String::new();
    for (row, chunk) in bytes.chunks(16).enumerate() {
        let _ = write!(out, "{:06x} ", row * 16);
        for i in 0..16 {
            match chunk.get(i) {
                Some(b) => {
                    let _ = write!(out, " {b:02x}");
                }
                None => out.push_str("   "),
            }
        }
        out.push_str("  |");
        out.extend(chunk.iter().map(|&b| if (0x20..0x7f).contains(&b) { char::from(b) } else { '.' }));
        out.push_str("|\n");
    }
    out
}

fn golden_dir() -> PathBuf {
    repo_dir().join("tests/data/golden")
}

/// Compares with the committed file, or writes it when SMARTX_BLESS is set. Returns a mismatch description.
fn check(path: &Path, got: &[u8], bless: bool) -> Option<String> {
    if bless {
        std::fs::create_dir_all(path.parent().expect("a directory")).expect("create tests/data/golden");
        std::fs::write(path, got).expect("write a golden file");
        return None;
    }
    match std::fs::read(path) {
        Ok(want) if want == got => None,
        Ok(_) => Some(format!("{} differs", path.display())),
        Err(e) => Some(format!("{}: {e}", path.display())),
    }
}

#[test]
fn receipts_match_the_golden_files() {
    let bless = std::env::var_os("SMARTX_BLESS").is_some();
    let mut mismatches = Vec::new();
    let mut files = 0;
    for (name, file) in FIXTURES {
        let tx = Tx::parse(&std::fs::read(repo_dir().join(file)).expect("a receipt file"));
        for (which, receipt) in RECEIPTS {
            for columns in COLUMNS {
                let stem = golden_dir().join(name).join(format!("{receipt}-{columns}"));
                let options = sx_render_options { columns, format: SX_FORMAT_TEXT, codepage: 0, flags: 0 };
                let text = tx.render(which, &options);
                mismatches.extend(check(&stem.with_extension("txt"), &text, bless));
                files += 1;
                for (codepage, page) in CODE_PAGES {
                    let options = sx_render_options { columns, format: SX_FORMAT_ESCPOS, codepage, flags: 0 };
                    let bytes = tx.render(which, &options);
                    let path = golden_dir().join(name).join(format!("{receipt}-{columns}-{page}.escpos"));
                    mismatches.extend(check(&path, &bytes, bless));
                    let hex = path.with_extension("escpos.hex");
                    mismatches.extend(check(&hex, hex_dump(&bytes).as_bytes(), bless));
                    files += 2;
                }
            }
        }
    }
    assert_eq!(files, 3 * 2 * 3 * 9);
    assert!(
        mismatches.is_empty(),
        "{}\nIf the change is intended: SMARTX_BLESS=1 cargo test --test receipts golden, and review the diff",
        mismatches.join("\n")
    );
}

/// What the golden files hold, stated independently of them: the euro sign, the umlauts, the layout of the
/// card receipt at 42 columns.
#[test]
fn the_card_receipt_at_42_columns() {
    let tx = Tx::fixture("start-cashless");
    let text = tx.render(SX_RECEIPT_CUSTOMER, &sx_render_options { columns: 42, ..Default::default() });
    let text = String::from_utf8(text).expect("UTF-8");
    let name_value = |n: &str, v: &str| format!("{n}{}{v}", " ".repeat(42 - n.chars().count() - v.chars().count()));
    let want = [
        "============= Kartenzahlung ==============".to_string(),
        format!("{}* * Kundenbeleg * *", " ".repeat(11)),
        String::new(),
        name_value("Beleg-Nr.", "0003"),
        name_value("Betrag EUR", "5,30 €"),
        format!("{}Karte akzeptiert", " ".repeat(13)),
        "-".repeat(42),
        "Vielen Dank für Ihren Einkauf bei Bäckerei".to_string(),
        "Müller & Söhne. Bitte bewahren Sie diesen".to_string(),
        "Beleg für Rückfragen auf.".to_string(),
        name_value("Terminal-ID", "52500123"),
    ];
    assert_eq!(text.lines().collect::<Vec<_>>(), want, "\n{text}");
    assert!(text.ends_with('\n'));

    let escpos = |codepage| {
        let options = sx_render_options { columns: 42, format: SX_FORMAT_ESCPOS, codepage, flags: 0 };
        tx.render(SX_RECEIPT_CUSTOMER, &options)
    };
    let cp858 = escpos(SX_CODEPAGE_CP858);
    assert!(cp858.starts_with(b"\x1b@\x1bt\x13"), "ESC @, ESC t 19");
    let amount = format!("\x1bE\x01Betrag EUR{}5,30 \u{D5}\n\x1bE\x00", " ".repeat(26));
    let amount: Vec<u8> = amount.chars().map(|c| c as u8).collect();
    assert!(cp858.windows(amount.len()).any(|w| w == amount), "the euro sign is 0xD5 in CP858, bold line");
    let cp437 = escpos(SX_CODEPAGE_CP437);
    assert!(cp437.starts_with(b"\x1b@\x1bt\x00"));
    let amount = format!("Betrag EUR{}5,30 EUR\n", " ".repeat(24));
    assert!(cp437.windows(amount.len()).any(|w| w == amount.as_bytes()), "EUR in CP437, still 42 columns");
    assert!(cp437.windows(4).any(|w| w == b"f\x81r "), "ü is 0x81 in CP437");
    assert!(escpos(SX_CODEPAGE_WINDOWS_1252).windows(2).any(|w| w == b" \x80"), "€ is 0x80 in Windows-1252");
    assert!(escpos(SX_CODEPAGE_ISO_8859_15).windows(2).any(|w| w == b" \xa4"), "€ is 0xA4 in ISO-8859-15");
}

#[test]
fn hex_dump_layout() {
    assert_eq!(hex_dump(b"\x1b@A"), format!("000000  1b 40 41{}  |.@A|\n", "   ".repeat(13)));
}

/// The odd shapes at the narrowest width, row by row as the contract says.
#[test]
fn odd_shapes_at_20_columns() {
    let tx = Tx::parse(&std::fs::read(repo_dir().join("tests/data/golden/shapes.json")).expect("shapes.json"));
    let text = tx.render(SX_RECEIPT_CUSTOMER, &sx_render_options { columns: 20, ..Default::default() });
    let text = String::from_utf8(text).expect("UTF-8");
    let want = [
        "= Quittung / Reçu ==", // caption centred between rules, margins 1 and 2
        "  Café déjà vu – «",   // decomposed accents are one column each; align_center (legacy)
        "crème brûlée » für 2",
        "      Personen",
        "Ein sehr langer", // too long for one row with its value: the name wraps,
        "Artikelname mit",
        "Überlänge, der nicht",
        "passt",
        "          1.234,56 €", // then the value ends in the last column
        "Leer",                 // an empty value: the name alone
        "            nur Wert", // an empty name: the value alone, right-aligned
        "Kurz",
        "Ein Wert, der länger",
        "  ist als jede Zeile",
        " und daher umbrochen",
        "                wird",
        "Scan", // an unknown type: its strings, left aligned; the long word is cut
        "https://example.inva",
        "lid/r/123",
        "Straße „Zum Löwen“ —",
        "      Œuvre ≠ 中文 ✓", // align_right; the wide characters take two columns each
        "     Steuer[31m 19 %", // BEL and ESC left out, the no-break space kept, the zero-width space gone
        "",                     // space
    ];
    assert_eq!(text.lines().collect::<Vec<_>>(), want, "\n{text}");

    let options = sx_render_options { columns: 20, format: SX_FORMAT_ESCPOS, codepage: SX_CODEPAGE_CP437, flags: 0 };
    let bytes = tx.render(SX_RECEIPT_CUSTOMER, &options);
    let rows: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
    assert_eq!(rows[1], b"\x1bE\x01  Caf\x82 d\x82j\x85 vu - \xae", "ESC E 1, CP437 bytes, the dash in ASCII");
    assert!(rows.contains(&b"        1.234,56 EUR".as_slice()), "EUR, right-aligned at its own width");
    assert!(rows.contains(&b"       OEuvre ? ?? ?".as_slice()), "transliterated or '?', one column each");
    assert!(bytes.iter().all(|&b| b >= 0x20 || [0x00, 0x01, 0x0a, 0x1b, 0x74, 0x40].contains(&b)));
}
