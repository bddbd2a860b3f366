//! Lines to rows, written straight into the output bytes.

use std::ops::Range;

use super::printed::{CellKind, Encoding, Printed};
use super::{Align, Format, Line};
use crate::model::LineKind;

const ESC: u8 = 0x1B;
const GS: u8 = 0x1D;

/// A run of cells of one [`Printed`].
type Span = Range<usize>;

pub(super) fn render<'a>(lines: impl IntoIterator<Item = Line<'a>>, columns: usize, format: Format) -> Vec<u8> {
    let (encoding, escpos) = match format {
        Format::Text => (Encoding::Utf8, None),
        Format::EscPos(escpos) => (Encoding::CodePage(escpos.code_page), Some(escpos)),
    };
    let mut out = Writer { bytes: Vec::with_capacity(1024), columns };
    if let Some(escpos) = escpos.filter(|e| !e.no_init) {
        out.bytes.extend_from_slice(&[ESC, b'@', ESC, b't', escpos.code_page.escpos_table()]);
    }
    let mut scratch = Scratch::default();
    let mut any = false;
    for line in lines {
        any = true;
        let bold = line.important && escpos.is_some();
        if bold {
            out.bytes.extend_from_slice(&[ESC, b'E', 1]);
        }
        scratch.line(&line, encoding, &mut out);
        if bold {
            out.bytes.extend_from_slice(&[ESC, b'E', 0]);
        }
    }
    if escpos.is_some_and(|e| e.cut) && any {
        out.bytes.extend_from_slice(&[ESC, b'd', 3, GS, b'V', 66, 0]);
    }
    out.bytes
}

/// Buffers reused from line to line.
#[derive(Default)]
struct Scratch {
    first: Printed,
    second: Printed,
    rows: Vec<Span>,
    joined: String,
}

impl Scratch {
    fn line(&mut self, line: &Line, encoding: Encoding, out: &mut Writer) {
        let columns = out.columns;
        match line.kind {
            LineKind::Space => out.row(&[]),
            LineKind::Separator => {
                self.first.set(line.caption, encoding);
                let caption = trim(&self.first, 0..self.first.cells.len());
                let width = width(&self.first, &caption);
                if width == 0 {
                    out.rule(b'-', columns);
                    out.end_row();
                } else if width + 4 <= columns {
                    let left = (columns - width - 2) / 2;
                    out.rule(b'=', left);
                    out.bytes.push(b' ');
                    out.span(&self.first, &caption);
                    out.bytes.push(b' ');
                    out.rule(b'=', columns - width - 2 - left);
                    out.end_row();
                } else {
                    self.textline(Align::Center, out);
                }
            }
            LineKind::Text => {
                self.first.set(line.text, encoding);
                self.textline(line.align, out);
            }
            LineKind::NameValue => {
                self.first.set(line.name, encoding);
                self.second.set(line.value, encoding);
                self.name_value(out);
            }
            LineKind::Unknown => {
                self.joined.clear();
                for part in [line.caption, line.text, line.name, line.value] {
                    if !part.trim().is_empty() {
                        if !self.joined.is_empty() {
                            self.joined.push(' ');
                        }
                        self.joined.push_str(part);
                    }
                }
                self.first.set(&self.joined, encoding);
                self.textline(Align::Left, out);
            }
        }
    }

    /// `self.first` wrapped and aligned; one empty row when it prints nothing.
    fn textline(&mut self, align: Align, out: &mut Writer) {
        wrap(&self.first, out.columns, &mut self.rows);
        if self.rows.is_empty() {
            return out.row(&[]);
        }
        for row in &self.rows {
            let pad = out.columns - width(&self.first, row);
            let pad = match align {
                Align::Left => 0,
                Align::Center => pad / 2,
                Align::Right => pad,
            };
            out.row(&[(pad, &self.first, row.clone())]);
        }
    }

    /// Name `self.first`, value `self.second`.
    fn name_value(&mut self, out: &mut Writer) {
        let columns = out.columns;
        let name = trim(&self.first, 0..self.first.cells.len());
        let value = trim(&self.second, 0..self.second.cells.len());
        let (name_width, value_width) = (width(&self.first, &name), width(&self.second, &value));
        if name_width > 0 && value_width > 0 && name_width + 1 + value_width <= columns {
            let gap = columns - name_width - value_width;
            return out.row(&[(0, &self.first, name), (gap, &self.second, value)]);
        }
        if name_width > 0 || value_width == 0 {
            self.textline(Align::Left, out);
        }
        if value_width > 0 {
            std::mem::swap(&mut self.first, &mut self.second);
            self.textline(Align::Right, out);
            std::mem::swap(&mut self.first, &mut self.second);
        }
    }
}

struct Writer {
    bytes: Vec<u8>,
    columns: usize,
}

impl Writer {
    /// One row: each piece is preceded by its count of spaces.
    fn row(&mut self, pieces: &[(usize, &Printed, Span)]) {
        for (pad, printed, span) in pieces {
            self.rule(b' ', *pad);
            self.span(printed, span);
        }
        self.end_row();
    }

    fn span(&mut self, printed: &Printed, span: &Span) {
        if let (Some(first), Some(last)) = (printed.cells.get(span.start), span.end.checked_sub(1)) {
            let end = printed.cells[last].end;
            self.bytes.extend_from_slice(&printed.bytes[first.start as usize..end as usize]);
        }
    }

    fn rule(&mut self, byte: u8, count: usize) {
        self.bytes.extend(std::iter::repeat_n(byte, count));
    }

    fn end_row(&mut self) {
        self.bytes.push(b'\n');
    }
}

fn width(printed: &Printed, span: &Span) -> usize {
    printed.cells[span.clone()].iter().map(|cell| usize::from(cell.width)).sum()
}

/// `span` without blank cells at either end.
fn trim(printed: &Printed, span: Span) -> Span {
    let cells = &printed.cells[span.clone()];
    let Some(first) = cells.iter().position(|c| !c.blank()) else {
        return span.start..span.start;
    };
    let last = cells.iter().rposition(|c| !c.blank()).unwrap_or(first);
    span.start + first..span.start + last + 1
}

/// Greedy wrapping into rows of at most `columns`: breaks at spaces (dropped at the break), a word wider than
/// a row starts a row of its own and is cut. Rows come out trimmed; a printed form of only blanks gives none.
fn wrap(printed: &Printed, columns: usize, rows: &mut Vec<Span>) {
    rows.clear();
    let cells = &printed.cells;
    let cell_width = |i: usize| usize::from(cells[i].width);
    // The row being filled: its first cell, end and width.
    let mut open: Option<(usize, usize, usize)> = None;
    let mut i = 0;
    while i < cells.len() {
        if cells[i].kind == CellKind::Space {
            i += 1;
            continue;
        }
        let mut end = i;
        let mut word_width = 0;
        while end < cells.len() && cells[end].kind != CellKind::Space {
            word_width += cell_width(end);
            end += 1;
        }
        if let Some((start, row_end, row_width)) = open.take() {
            let gap: usize = (row_end..i).map(cell_width).sum();
            if row_width + gap + word_width <= columns {
                open = Some((start, end, row_width + gap + word_width));
                i = end;
                continue;
            }
            push_row(printed, start..row_end, rows);
        }
        let mut start = i;
        loop {
            let (mut cut, mut cut_width) = (start, 0);
            while cut < end && cut_width + cell_width(cut) <= columns {
                cut_width += cell_width(cut);
                cut += 1;
            }
            if cut == end {
                open = Some((start, end, cut_width));
                break;
            }
            push_row(printed, start..cut, rows);
            start = cut;
        }
        i = end;
    }
    if let Some((start, end, _)) = open {
        push_row(printed, start..end, rows);
    }
}

fn push_row(printed: &Printed, span: Span, rows: &mut Vec<Span>) {
    let row = trim(printed, span);
    if !row.is_empty() {
        rows.push(row);
    }
}
