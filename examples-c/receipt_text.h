/*
 * receipt_text: lays out the receipt lines of a smartx transaction as plain text
 * for a receipt printer with a fixed number of columns (42 in start_cash).
 *
 * Layout (columns are characters, i.e. UTF-8 code points, never bytes):
 *   separator with caption  the caption centred between '=' fills:
 *                           "============== Kundenkarte ==============="
 *                           (a caption too long for that is centred and wrapped)
 *   separator, no caption   a rule of dashes across the whole width
 *   textline                wrapped on spaces (a word longer than a line is cut),
 *                           centred or right aligned by its decorations, else left
 *   name-value              name at the left, value at the right of one line exactly
 *                           `columns` wide; if they do not fit with a space between,
 *                           the name goes on its own line and the value right aligned
 *                           below it
 *   space                   an empty line
 *   anything else           skipped (new line kinds must never break a receipt)
 * Plain text has no bold, so the "important" decoration is not shown.
 * Lines carry no trailing spaces (a name-value line ends with its value).
 */
#ifndef RECEIPT_TEXT_H
#define RECEIPT_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "smartx.h"

/* Writes receipt `which` (SX_RECEIPT_CUSTOMER or SX_RECEIPT_MERCHANT) of `tx` to `out`,
 * `columns` wide (at least 1). Returns SX_OK, the failing sx_receipt_line_get result,
 * or SX_ERR_INVALID_ARGUMENT when `columns` is 0. Output errors show in ferror(out). */
sx_result receipt_text_print(FILE *out, const sx_transaction *tx, uint32_t which, size_t columns);

#endif /* RECEIPT_TEXT_H */
