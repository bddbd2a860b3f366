//! `sx_receipt_render`: a receipt laid out for a printer, as UTF-8 text or ESC/POS bytes.

use std::ffi::c_char;

use super::boundary::{ffi_boundary, try_out_buf, try_ref, try_str, Failure};
use super::result::*;
use super::transaction::sx_transaction;
use crate::model::LineKind;
use crate::receipt::{self, Align, CodePage, EscPos, Format, Line, Options};

/// UTF-8 text; every row ends in "\n".
pub const SX_FORMAT_TEXT: u32 = 0;
/// Bytes for an ESC/POS printer, in the code page of `sx_render_options.codepage`.
pub const SX_FORMAT_ESCPOS: u32 = 1;

/// CP858: Western Europe with the euro sign (0xD5). The default. Selected with `ESC t 19`.
pub const SX_CODEPAGE_CP858: u32 = 0;
/// CP437: umlauts, no euro sign ("EUR" is printed). Selected with `ESC t 0`.
pub const SX_CODEPAGE_CP437: u32 = 1;
/// Windows-1252. Selected with `ESC t 16`.
pub const SX_CODEPAGE_WINDOWS_1252: u32 = 2;
/// ISO-8859-15 (Latin-9). Selected with `ESC t 40`.
pub const SX_CODEPAGE_ISO_8859_15: u32 = 3;

/// ESC/POS: no `ESC @` and no code-page selection at the start (the printer is set up already).
pub const SX_RENDER_NO_INIT: u32 = 1;
/// ESC/POS: feed three lines (`ESC d 3`) and cut (`GS V 66 0`) at the end.
pub const SX_RENDER_CUT: u32 = 2;

/// How `sx_receipt_render` lays out a receipt. All fields 0 (or a NULL pointer): 42 columns of UTF-8 text.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct sx_render_options {
    /// Characters per row, 20 to 80; 0 = 42. 58 mm paper: 32; 80 mm paper: 48 (42 in the compressed font).
    pub columns: u32,
    /// `SX_FORMAT_TEXT` (0) or `SX_FORMAT_ESCPOS` (1).
    pub format: u32,
    /// ESC/POS only: `SX_CODEPAGE_CP858` (0, default), `SX_CODEPAGE_CP437`, `SX_CODEPAGE_WINDOWS_1252` or
    /// `SX_CODEPAGE_ISO_8859_15`. Checked for every format.
    pub codepage: u32,
    /// ESC/POS only: bits `SX_RENDER_NO_INIT`, `SX_RENDER_CUT`. Unknown bits are refused for every format.
    pub flags: u32,
}

impl sx_render_options {
    fn to_options(self) -> Result<Options, Failure> {
        let invalid = Failure::invalid;
        let code_page = match self.codepage {
            SX_CODEPAGE_CP858 => CodePage::Cp858,
            SX_CODEPAGE_CP437 => CodePage::Cp437,
            SX_CODEPAGE_WINDOWS_1252 => CodePage::Windows1252,
            SX_CODEPAGE_ISO_8859_15 => CodePage::Iso8859_15,
            other => return Err(invalid(format!("codepage {other} is not one of the SX_CODEPAGE_ values (0 to 3)"))),
        };
        let unknown = self.flags & !(SX_RENDER_NO_INIT | SX_RENDER_CUT);
        if unknown != 0 {
            return Err(invalid(format!("flags {:#x}: the bits {unknown:#x} are no SX_RENDER_ flag", self.flags)));
        }
        let format = match self.format {
            SX_FORMAT_TEXT => Format::Text,
            SX_FORMAT_ESCPOS => Format::EscPos(EscPos {
                code_page,
                no_init: self.flags & SX_RENDER_NO_INIT != 0,
                cut: self.flags & SX_RENDER_CUT != 0,
            }),
            other => return Err(invalid(format!("format {other} is neither SX_FORMAT_TEXT nor SX_FORMAT_ESCPOS"))),
        };
        let columns = match self.columns {
            0 => Options::default().columns,
            n => usize::try_from(n).unwrap_or(usize::MAX),
        };
        Ok(Options { columns, format })
    }
}

/// Lays out a receipt (`which`: `SX_RECEIPT_CUSTOMER` or `SX_RECEIPT_MERCHANT`) for a printer and writes it
/// to `buf` by the buffer rule: with `cap >= len + 1` the bytes and a NUL are written and `*out_len = len`;
/// otherwise `SX_ERR_BUFFER_TOO_SMALL`, `*out_len = len`, nothing written (`buf` may be NULL when `cap` is 0:
/// a size query). Rendering the same receipt with the same options always gives the same bytes.
///
/// ESC/POS output is binary: it holds 0x00 bytes (in `ESC t 0`, `ESC E 0`, `GS V 66 0`), so use `*out_len`,
/// never strlen, and write it with fwrite/write. Text output is UTF-8 without 0x00.
///
/// Layout at `columns` characters, counted as the printer shows them: no row is wider and none ends in
/// spaces. A separator is its caption centred between `=` rules (or alone, centred, when it is long), or a
/// rule of `-` without a caption; a textline wraps at spaces, cuts a word longer than a row, and is left
/// aligned unless decorated align-center / align-right (also the legacy align_right); a name-value line is the
/// name at the left and the value ending in the last column, or when they do not fit the name (wrapped) and
/// then the value right-aligned; a space is an empty row; a line of an unknown type prints the strings it
/// carries as a left-aligned textline. Text is put in Unicode NFC first; control and zero-width characters are
/// not printed; a nonspacing mark sits on the character before it, a spacing combining mark (Mc, e.g. U+0903)
/// takes a column of its own, and a character a terminal shows double-wide (中) two. ESC/POS: `ESC @ ESC t n` first (unless `SX_RENDER_NO_INIT`), important lines between `ESC E 1`
/// and `ESC E 0`, alignment by spaces, rows ending in "\n", `ESC d 3 GS V 66 0` at the end with
/// `SX_RENDER_CUT`. A character the code page lacks is transliterated ("€" as "EUR", typographic quotes and
/// dashes as ASCII, "ő" as "o") or printed as "?": never dropped, never a byte outside the code page.
/// A receipt without lines gives "" (text) or only the set-up bytes (ESC/POS).
///
/// `SX_ERR_NULL_ARGUMENT` for a NULL `tx` or `out_len`, or a NULL `buf` with `cap > 0`.
/// `SX_ERR_INVALID_ARGUMENT` for `columns` not 0 and not 20 to 80, an unknown `format` or `codepage`, unknown
/// `flags` bits, or an unknown `which`.
/// Ownership: `options` is read during the call only (NULL = all fields 0); the caller owns `buf`.
/// Threads: any, also at once on the same `tx`.
///
/// # Safety
/// `tx` is NULL or a live transaction; `options` is NULL or readable; `buf` is NULL or writable for `cap`
/// bytes; `out_len` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_receipt_render(
    tx: *const sx_transaction,
    which: u32,
    options: *const sx_render_options,
    buf: *mut c_char,
    cap: usize,
    out_len: *mut usize,
) -> sx_result {
    ffi_boundary!({
        let tx = try_ref!(tx);
        let mut out = try_out_buf!(buf, cap, out_len);
        let options = if options.is_null() { sx_render_options::default() } else { *try_ref!(options) };
        out.write(&render(tx, which, options, None)?)
    })
}

/// The longest copy marker of `sx_receipt_render_copy`, in bytes.
pub const SX_COPY_MARKER_MAX: usize = 64;

/// Renders a receipt as `sx_receipt_render` does, for printing it again: `marker` (the register's words, e.g.
/// "*** KOPIE ***" or "*** COPY ***") as a bold centred line at the top and at the bottom, so that a copy is never
/// taken for the original. The receipt of an entry of the journal (`sx_journal_list_transaction`) prints again
/// this way after a restart, without the network.
///
/// `marker`: 1 to `SX_COPY_MARKER_MAX` (64) bytes of UTF-8 without control characters, else
/// `SX_ERR_INVALID_ARGUMENT` (NULL: `SX_ERR_NULL_ARGUMENT`); a marker wider than the row wraps as a textline
/// does. Everything else (options, the buffer rule, errors) as for `sx_receipt_render`. Ownership: `marker` and
/// `options` are read during the call only. Threads: any, also at once on the same `tx`.
///
/// # Safety
/// `tx` is NULL or a live transaction; `options` is NULL or readable; `marker` is NULL or NUL-terminated;
/// `buf` is NULL or writable for `cap` bytes; `out_len` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_receipt_render_copy(
    tx: *const sx_transaction,
    which: u32,
    options: *const sx_render_options,
    marker: *const c_char,
    buf: *mut c_char,
    cap: usize,
    out_len: *mut usize,
) -> sx_result {
    ffi_boundary!({
        let tx = try_ref!(tx);
        let mut out = try_out_buf!(buf, cap, out_len);
        let options = if options.is_null() { sx_render_options::default() } else { *try_ref!(options) };
        let marker = try_str!(marker);
        if marker.is_empty() || marker.len() > SX_COPY_MARKER_MAX {
            return Err(Failure::invalid(format!(
                "`marker` must be 1 to {SX_COPY_MARKER_MAX} bytes long, not {}",
                marker.len()
            )));
        }
        if let Some(at) = marker.chars().position(char::is_control) {
            return Err(Failure::invalid(format!("`marker` has a control character at character {at}")));
        }
        out.write(&render(tx, which, options, Some(marker))?)
    })
}

/// The receipt `which` of `tx` laid out by `options`, between two `marker` lines when there is one.
fn render(
    tx: &sx_transaction,
    which: u32,
    options: sx_render_options,
    marker: Option<&str>,
) -> Result<Vec<u8>, Failure> {
    let options = options.to_options()?;
    let lines = tx.layout_lines(which).ok_or_else(|| {
        Failure::invalid(format!("`which` is {which}, not SX_RECEIPT_CUSTOMER or SX_RECEIPT_MERCHANT"))
    })?;
    let marker = marker.map(|text| Line {
        kind: LineKind::Text,
        important: true,
        align: Align::Center,
        caption: "",
        text,
        name: "",
        value: "",
    });
    let lines = marker.into_iter().chain(lines).chain(marker);
    receipt::render(lines, &options).map_err(|e| Failure::invalid(e.to_string()))
}
