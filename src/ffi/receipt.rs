//! `sx_receipt_`: the receipt lines of a transaction one by one (`sx_receipt_count`, `sx_receipt_line_get`), and
//! laid out for a printer as UTF-8 text or ESC/POS bytes (`sx_receipt_render`).

use std::ffi::c_char;

use super::boundary::{ffi_boundary, ref_or, try_out, try_out_buf, try_ref, try_str, Failure};
use super::result::*;
use super::transaction::sx_transaction;
use crate::model::LineKind;
use crate::receipt::{self, CodePage, EscPos, Format, Options};

/// The customer receipt (`receipt`), for both the customer and the merchant when there is no merchant copy.
pub const SX_RECEIPT_CUSTOMER: u32 = 0;
/// The merchant copy (`receipt_merchant`).
pub const SX_RECEIPT_MERCHANT: u32 = 1;

/// A type this library does not know; see `type` for the raw name. `sx_receipt_render` prints its non-empty
/// `caption`, `text`, `name` and `value` joined by spaces, left-aligned, so that nothing the API put on the
/// receipt is lost; a register laying out lines itself should do the same rather than skip it.
pub const SX_LINE_UNKNOWN: u32 = 0;
/// A headline: centred `caption`, or a rule when the caption is empty.
pub const SX_LINE_SEPARATOR: u32 = 1;
/// A line of `text`; long text wraps.
pub const SX_LINE_TEXT: u32 = 2;
/// `name` at the left and `value` at the right of the same line.
pub const SX_LINE_NAME_VALUE: u32 = 3;
/// An empty line.
pub const SX_LINE_SPACE: u32 = 4;

/// Print bold.
pub const SX_DECO_IMPORTANT: u32 = 1;
/// Align left (also the legacy spelling `align_left`).
pub const SX_DECO_ALIGN_LEFT: u32 = 2;
/// Centre.
pub const SX_DECO_ALIGN_CENTER: u32 = 4;
/// Align right (also the legacy spelling `align_right`).
pub const SX_DECO_ALIGN_RIGHT: u32 = 8;

/// One receipt line. Filled by `sx_receipt_line_get`.
///
/// The five strings are UTF-8, never NULL ("" when absent), owned by the transaction and valid until
/// `sx_transaction_free`; do not free them.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct sx_receipt_line {
    /// `SX_LINE_UNKNOWN`, `SX_LINE_SEPARATOR`, `SX_LINE_TEXT`, `SX_LINE_NAME_VALUE` or `SX_LINE_SPACE`.
    pub kind: u32,
    /// A bit set of `SX_DECO_` values; unknown decorations set none.
    pub decorations: u32,
    /// The raw "type" string, e.g. "name-value".
    pub r#type: *const c_char,
    /// The separator caption.
    pub caption: *const c_char,
    /// The textline text.
    pub text: *const c_char,
    /// The name of a name-value line.
    pub name: *const c_char,
    /// The value of a name-value line.
    pub value: *const c_char,
}

/// The `SX_LINE_` value of a line kind.
fn kind_code(kind: LineKind) -> u32 {
    match kind {
        LineKind::Unknown => SX_LINE_UNKNOWN,
        LineKind::Separator => SX_LINE_SEPARATOR,
        LineKind::Text => SX_LINE_TEXT,
        LineKind::NameValue => SX_LINE_NAME_VALUE,
        LineKind::Space => SX_LINE_SPACE,
    }
}

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
    receipt::render(receipt::between_markers(lines, marker), &options).map_err(|e| Failure::invalid(e.to_string()))
}

/// The number of lines of a receipt: `which` is `SX_RECEIPT_CUSTOMER` or `SX_RECEIPT_MERCHANT`.
/// 0 for a NULL `tx`, an unknown `which`, or a receipt the answer did not have.
/// Threads: any, also at once on the same `tx`.
///
/// # Safety
/// `tx` is NULL or a live transaction.
#[no_mangle]
pub unsafe extern "C" fn sx_receipt_count(tx: *const sx_transaction, which: u32) -> usize {
    ffi_boundary!(fallback = 0; {
        ref_or!(tx, 0).receipt(which).map_or(0, <[_]>::len)
    })
}

/// Fills `*out` with line `index` (from 0) of a receipt (`which` as for `sx_receipt_count`).
///
/// `SX_ERR_NULL_ARGUMENT` for a NULL `tx` or `out`, `SX_ERR_INVALID_ARGUMENT` for an unknown `which`,
/// `SX_ERR_OUT_OF_RANGE` for `index >= sx_receipt_count(tx, which)`; `*out` is written only on `SX_OK`.
/// Ownership: the strings in `*out` belong to `tx` and stay valid until `sx_transaction_free(tx)`.
/// Threads: any, also at once on the same `tx`.
///
/// # Safety
/// `tx` is NULL or a live transaction; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_receipt_line_get(
    tx: *const sx_transaction,
    which: u32,
    index: usize,
    out: *mut sx_receipt_line,
) -> sx_result {
    ffi_boundary!({
        let tx = try_ref!(tx);
        let out = try_out!(out);
        let lines = tx.receipt(which).ok_or_else(|| {
            Failure::invalid(format!("`which` is {which}, not SX_RECEIPT_CUSTOMER or SX_RECEIPT_MERCHANT"))
        })?;
        let line = lines.get(index).ok_or_else(|| {
            Failure::new(SX_ERR_OUT_OF_RANGE, format!("line {index} asked for, the receipt has {}", lines.len()))
        })?;
        let [r#type, caption, text, name, value] =
            [line.raw_type, line.caption, line.text, line.name, line.value].map(|text| tx.c_string(Some(text)));
        out.write(sx_receipt_line {
            kind: kind_code(line.kind),
            decorations: line.decorations.bits(),
            r#type,
            caption,
            text,
            name,
            value,
        });
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Decorations;

    #[test]
    fn decoration_bits_are_the_contract_values() {
        assert_eq!(Decorations::IMPORTANT.bits(), SX_DECO_IMPORTANT);
        assert_eq!(Decorations::ALIGN_LEFT.bits(), SX_DECO_ALIGN_LEFT);
        assert_eq!(Decorations::ALIGN_CENTER.bits(), SX_DECO_ALIGN_CENTER);
        assert_eq!(Decorations::ALIGN_RIGHT.bits(), SX_DECO_ALIGN_RIGHT);
    }
}
