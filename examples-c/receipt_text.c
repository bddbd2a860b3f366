/* receipt_text: plain-text layout of smartx receipt lines; the rules are in receipt_text.h. */
#include "receipt_text.h"

#include <string.h>

enum alignment { ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT };

/* A printer column holds one character, so widths count UTF-8 code points:
 * every byte except the continuation bytes 10xxxxxx starts one. */
static size_t utf8_width(const char *s, size_t nbytes)
{
    size_t width = 0;
    for (size_t i = 0; i < nbytes; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            width++;
        }
    }
    return width;
}

/* Bytes taken by the first `max_chars` characters of s[0..nbytes), so a cut never splits one. */
static size_t utf8_prefix_bytes(const char *s, size_t nbytes, size_t max_chars)
{
    size_t chars = 0;
    for (size_t i = 0; i < nbytes; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (chars == max_chars) {
                return i;
            }
            chars++;
        }
    }
    return nbytes;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const char *skip_blanks(const char *p)
{
    while (*p != '\0' && is_blank(*p)) {
        p++;
    }
    return p;
}

static const char *word_end(const char *p)
{
    while (*p != '\0' && !is_blank(*p)) {
        p++;
    }
    return p;
}

static void put_repeated(FILE *out, char c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        putc(c, out);
    }
}

static size_t left_padding(size_t width, enum alignment align, size_t columns)
{
    if (width >= columns) {
        return 0;
    }
    switch (align) {
    case ALIGN_CENTER:
        return (columns - width) / 2;
    case ALIGN_RIGHT:
        return columns - width;
    default:
        return 0;
    }
}

/* Writes the words of [start, end) separated by single spaces (runs of blanks collapse). */
static void put_words(FILE *out, const char *start, const char *end)
{
    int first = 1;
    const char *p = skip_blanks(start);
    while (p < end) {
        const char *stop = word_end(p);
        if (stop > end) {
            stop = end; /* a word cut at the line end */
        }
        if (!first) {
            putc(' ', out);
        }
        fwrite(p, 1, (size_t)(stop - p), out);
        first = 0;
        p = skip_blanks(stop);
    }
}

/* Word wrap: each output line takes as many whole words as fit; a word wider than a whole
 * line is cut at the line width. Text without words still gives one (empty) line. */
static void put_wrapped(FILE *out, const char *text, enum alignment align, size_t columns)
{
    const char *p = skip_blanks(text);
    if (*p == '\0') {
        putc('\n', out);
        return;
    }
    while (*p != '\0') {
        const char *first_end = word_end(p);
        size_t first_bytes = (size_t)(first_end - p);
        size_t line_width = utf8_width(p, first_bytes);
        const char *line_end = first_end;

        if (line_width > columns) {
            line_end = p + utf8_prefix_bytes(p, first_bytes, columns);
            line_width = columns;
        } else {
            /* Add following words while they fit with one space before each. */
            for (;;) {
                const char *next = skip_blanks(line_end);
                if (*next == '\0') {
                    break;
                }
                const char *next_end = word_end(next);
                size_t next_width = utf8_width(next, (size_t)(next_end - next));
                if (line_width + 1 + next_width > columns) {
                    break;
                }
                line_width += 1 + next_width;
                line_end = next_end;
            }
        }
        put_repeated(out, ' ', left_padding(line_width, align, columns));
        put_words(out, p, line_end);
        putc('\n', out);
        p = skip_blanks(line_end);
    }
}

static void put_separator(FILE *out, const char *caption, size_t columns)
{
    size_t width = utf8_width(caption, strlen(caption));
    if (width == 0) {
        put_repeated(out, '-', columns);
        putc('\n', out);
    } else if (width + 4 <= columns) {
        /* "=== caption ===": at least one '=' and one space on each side. */
        size_t fill = columns - width - 2;
        put_repeated(out, '=', fill / 2);
        putc(' ', out);
        fputs(caption, out);
        putc(' ', out);
        put_repeated(out, '=', fill - fill / 2);
        putc('\n', out);
    } else {
        put_wrapped(out, caption, ALIGN_CENTER, columns);
    }
}

static void put_name_value(FILE *out, const char *name, const char *value, size_t columns)
{
    size_t name_width = utf8_width(name, strlen(name));
    size_t value_width = utf8_width(value, strlen(value));
    if (name_width + 1 + value_width <= columns) {
        fputs(name, out);
        put_repeated(out, ' ', columns - name_width - value_width);
        fputs(value, out);
        putc('\n', out);
    } else {
        put_wrapped(out, name, ALIGN_LEFT, columns);
        put_wrapped(out, value, ALIGN_RIGHT, columns);
    }
}

static enum alignment text_alignment(uint32_t decorations)
{
    if (decorations & SX_DECO_ALIGN_CENTER) {
        return ALIGN_CENTER;
    }
    if (decorations & SX_DECO_ALIGN_RIGHT) {
        return ALIGN_RIGHT;
    }
    return ALIGN_LEFT;
}

sx_result receipt_text_print(FILE *out, const sx_transaction *tx, uint32_t which, size_t columns)
{
    if (columns == 0) {
        return SX_ERR_INVALID_ARGUMENT;
    }
    size_t count = sx_receipt_count(tx, which);
    for (size_t i = 0; i < count; i++) {
        sx_receipt_line line;
        sx_result r = sx_receipt_line_get(tx, which, i, &line);
        if (r != SX_OK) {
            return r;
        }
        switch (line.kind) {
        case SX_LINE_SEPARATOR:
            put_separator(out, line.caption, columns);
            break;
        case SX_LINE_TEXT:
            put_wrapped(out, line.text, text_alignment(line.decorations), columns);
            break;
        case SX_LINE_NAME_VALUE:
            put_name_value(out, line.name, line.value, columns);
            break;
        case SX_LINE_SPACE:
            putc('\n', out);
            break;
        default:
            break; /* unknown kinds are kept by the library but have no layout yet */
        }
    }
    return SX_OK;
}
