"""Low-level ctypes declarations of smartx: GENERATED from include/smartx.h by bindings/generate.py.

Do not edit: run `python3 bindings/generate.py` after changing the C API; the tests fail when this file is
stale. The Pythonic layer (smartx/__init__.py) is written by hand on top of this.
"""

import ctypes

# Log levels of `sx_client_set_log`: a line of level `l` is written when `l <= max_level`.
SX_LOG_ERROR = 1
# The reasons for renewals, repeats and failures.
SX_LOG_WARN = 2
# One line per request: method, path, status, time taken.
SX_LOG_INFO = 3
SX_LOG_DEBUG = 4
# `sx_contract_payment_methods` flags: ask as in demo mode (`is_demo: true`).
SX_METHODS_DEMO = 1
# `sx_contract_payment_methods` flags: the flex.API/APIv2 product names (`apiv2_products: true`).
SX_METHODS_APIV2_NAMES = 2
# `sx_ident.present`: `valid` was in the answer.
SX_IDENT_HAS_VALID = 1
# `sx_ident.present`: `merchantcard.points` was in the answer.
SX_IDENT_HAS_POINTS = 2
# `sx_ident.present`: `merchantcard.cash_balance` was in the answer.
SX_IDENT_HAS_CASH_BALANCE = 4
# `sx_ident.present`: `merchantcard.bonus_balance` was in the answer.
SX_IDENT_HAS_BONUS_BALANCE = 8
# `sx_ident.present`: `merchantcard.balance` was in the answer.
SX_IDENT_HAS_BALANCE = 16
# `sx_journal_entry.call`: `sx_transaction_create`.
SX_CALL_CREATE = 1
# `sx_journal_entry.call`: a start of any method, `cashless_direct` and `sx_client_start_cash` too.
SX_CALL_START = 2
# `sx_journal_entry.call`: `sx_transaction_cancel`.
SX_CALL_CANCEL = 3
# `sx_journal_entry.call`: `sx_transaction_abort`.
SX_CALL_ABORT = 4
# `sx_journal_entry.call`: `sx_transaction_cancel_by_receipt`.
SX_CALL_CANCEL_BY_RECEIPT = 5
# `sx_journal_entry.outcome`: sent or perhaps sent; the result is not known yet.
SX_OUTCOME_PENDING = 0
# `sx_journal_entry.outcome`: the API did it (created, paid, cancelled, aborted).
SX_OUTCOME_DONE = 1
# `sx_journal_entry.outcome`: it did not happen (not sent, refused, declined, or read back as not done).
SX_OUTCOME_NOT_DONE = 2
# `sx_transaction_check`: the status is none the library knows. Do not start again; ask a person.
SX_VERDICT_UNKNOWN = 0
# `sx_transaction_check`: paid (status `ok` or a later state). Print the receipt; do not start again.
SX_VERDICT_PAID = 1
# `sx_transaction_check`: not paid. `created`: the start never ran, starting again is safe; `aborted`,
# `failed`, `cancelled`/`canceled`, `timeout`: this transaction is over, create a new one to sell again.
SX_VERDICT_NOT_PAID = 2
# `sx_transaction_check`: the terminal is still at it (`processing`, `pending`, `approved`): wait, check again.
SX_VERDICT_IN_PROGRESS = 3
# `sx_product.present`: `id` was in the answer.
SX_PRODUCT_HAS_ID = 1
# `sx_product.present`: `parent` was in the answer.
SX_PRODUCT_HAS_PARENT = 2
# `sx_product.present`: `quantity` was in the answer.
SX_PRODUCT_HAS_QUANTITY = 4
# `sx_product.present`: `unit_price_cents` (`priceOne`) was in the answer.
SX_PRODUCT_HAS_UNIT_PRICE = 8
# `sx_product.present`: `vat_percent` (`tax`) was in the answer.
SX_PRODUCT_HAS_VAT = 16
# The customer receipt (`receipt`), for both the customer and the merchant when there is no merchant copy.
SX_RECEIPT_CUSTOMER = 0
# The merchant copy (`receipt_merchant`).
SX_RECEIPT_MERCHANT = 1
# A type this library does not know; see `type` for the raw name. `sx_receipt_render` prints its non-empty
# `caption`, `text`, `name` and `value` joined by spaces, left-aligned, so that nothing the API put on the
# receipt is lost; a register laying out lines itself should do the same rather than skip it.
SX_LINE_UNKNOWN = 0
# A headline: centred `caption`, or a rule when the caption is empty.
SX_LINE_SEPARATOR = 1
# A line of `text`; long text wraps.
SX_LINE_TEXT = 2
# `name` at the left and `value` at the right of the same line.
SX_LINE_NAME_VALUE = 3
# An empty line.
SX_LINE_SPACE = 4
# Print bold.
SX_DECO_IMPORTANT = 1
# Align left (also the legacy spelling `align_left`).
SX_DECO_ALIGN_LEFT = 2
# Centre.
SX_DECO_ALIGN_CENTER = 4
# Align right (also the legacy spelling `align_right`).
SX_DECO_ALIGN_RIGHT = 8
# UTF-8 text; every row ends in "\n".
SX_FORMAT_TEXT = 0
# Bytes for an ESC/POS printer, in the code page of `sx_render_options.codepage`.
SX_FORMAT_ESCPOS = 1
# CP858: Western Europe with the euro sign (0xD5). The default. Selected with `ESC t 19`.
SX_CODEPAGE_CP858 = 0
# CP437: umlauts, no euro sign ("EUR" is printed). Selected with `ESC t 0`.
SX_CODEPAGE_CP437 = 1
# Windows-1252. Selected with `ESC t 16`.
SX_CODEPAGE_WINDOWS_1252 = 2
# ISO-8859-15 (Latin-9). Selected with `ESC t 40`.
SX_CODEPAGE_ISO_8859_15 = 3
# ESC/POS: no `ESC @` and no code-page selection at the start (the printer is set up already).
SX_RENDER_NO_INIT = 1
# ESC/POS: feed three lines (`ESC d 3`) and cut (`GS V 66 0`) at the end.
SX_RENDER_CUT = 2
# The longest copy marker of `sx_receipt_render_copy`, in bytes.
SX_COPY_MARKER_MAX = 64
# `sx_transaction_status_code`: a status this library does not know (the string is in `sx_transaction_status`),
# or none.
SX_STATUS_UNKNOWN = 0
# "created": made, not started.
SX_STATUS_CREATED = 1
# "processing".
SX_STATUS_PROCESSING = 2
# "approved".
SX_STATUS_APPROVED = 3
# "pending".
SX_STATUS_PENDING = 4
# "ok": paid.
SX_STATUS_OK = 5
# "received".
SX_STATUS_RECEIVED = 6
# "shipped".
SX_STATUS_SHIPPED = 7
# "collection".
SX_STATUS_COLLECTION = 8
# "collected".
SX_STATUS_COLLECTED = 9
# "failed" (e.g. a declined card).
SX_STATUS_FAILED = 10
# "aborted".
SX_STATUS_ABORTED = 11
# "timeout".
SX_STATUS_TIMEOUT = 12
# "finished".
SX_STATUS_FINISHED = 13
# "deleted".
SX_STATUS_DELETED = 14
# "cancelled", also spelt "canceled".
SX_STATUS_CANCELLED = 15
# Done.
SX_OK = 0
# A required pointer was NULL; nothing was sent.
SX_ERR_NULL_ARGUMENT = 1
# A malformed id, token, URL, option or UTF-8; nothing was sent.
SX_ERR_INVALID_ARGUMENT = 2
# `*out_len` holds the needed length (without the NUL); nothing was written.
SX_ERR_BUFFER_TOO_SMALL = 3
# An index past the end.
SX_ERR_OUT_OF_RANGE = 4
# The value asked for is not in the answer (a field the API left out or sent as null, a JSON pointer that
# leads nowhere); the out-parameter was not written.
SX_ERR_ABSENT = 5
# The request was never sent (host name not found, DNS or connect timeout, refused, unreachable): safe to try
# again.
SX_ERR_CONNECT = 10
# The request was sent but no complete answer came back (timeout after sending, reset, truncated body): read
# the transaction back before trying again. Never treat this as "not paid". Never given for a failure before
# the request's first byte was sent.
SX_ERR_OUTCOME_UNKNOWN = 11
# The TLS handshake failed (certificate, plain HTTP on an https port, close, reset, corrupt record or alert
# during the handshake); nothing was sent. Also an `http://` base URL pointed at a TLS port: the request in
# clear reached a TLS server, which answered with a TLS record ("the server at HOST:PORT speaks TLS: use
# https://. Nothing was executed"); a TLS server never executes a request in clear.
SX_ERR_TLS = 12
# HTTP 401, or 403 with an authentication code (2xxx): get a new token.
SX_ERR_UNAUTHORIZED = 20
# The API answered with its error body (`"status":"error"`); the message names `error`, `error_details`,
# `code` and `supportId`. Not "nothing was paid": a start refused because the transaction was already started
# may have been paid by an earlier call (one whose answer was lost); its message says to read it back.
SX_ERR_API = 21
# Any other non-2xx answer (HTML, empty, a redirect, which is never followed). After a 5xx, a 1xx or a 304 the
# message says the request was received: read the transaction back before trying again.
SX_ERR_HTTP = 22
# A 2xx answer that cannot be read as a transaction, or larger than 16 MiB. For a payment: it was probably
# registered; read the transaction back, do not pay again.
SX_ERR_BAD_RESPONSE = 30
# A transaction came back, but its `status` is not `ok` (e.g. `failed`).
SX_ERR_NOT_OK = 31
# The caller cancelled the call (e.g. `sx_client_cancel` during pairing).
SX_ERR_CANCELLED = 40
# A device code or refresh token expired: start again.
SX_ERR_EXPIRED = 41
# The journal (`sx_client_open_journal`) could not be opened, read or written, or none is open. For a call of
# the client this means nothing was sent.
SX_ERR_JOURNAL = 50
# An internal bug was caught at the boundary; the process goes on.
SX_ERR_PANIC = 99

CONSTANTS = {
    "SX_LOG_ERROR": SX_LOG_ERROR,
    "SX_LOG_WARN": SX_LOG_WARN,
    "SX_LOG_INFO": SX_LOG_INFO,
    "SX_LOG_DEBUG": SX_LOG_DEBUG,
    "SX_METHODS_DEMO": SX_METHODS_DEMO,
    "SX_METHODS_APIV2_NAMES": SX_METHODS_APIV2_NAMES,
    "SX_IDENT_HAS_VALID": SX_IDENT_HAS_VALID,
    "SX_IDENT_HAS_POINTS": SX_IDENT_HAS_POINTS,
    "SX_IDENT_HAS_CASH_BALANCE": SX_IDENT_HAS_CASH_BALANCE,
    "SX_IDENT_HAS_BONUS_BALANCE": SX_IDENT_HAS_BONUS_BALANCE,
    "SX_IDENT_HAS_BALANCE": SX_IDENT_HAS_BALANCE,
    "SX_CALL_CREATE": SX_CALL_CREATE,
    "SX_CALL_START": SX_CALL_START,
    "SX_CALL_CANCEL": SX_CALL_CANCEL,
    "SX_CALL_ABORT": SX_CALL_ABORT,
    "SX_CALL_CANCEL_BY_RECEIPT": SX_CALL_CANCEL_BY_RECEIPT,
    "SX_OUTCOME_PENDING": SX_OUTCOME_PENDING,
    "SX_OUTCOME_DONE": SX_OUTCOME_DONE,
    "SX_OUTCOME_NOT_DONE": SX_OUTCOME_NOT_DONE,
    "SX_VERDICT_UNKNOWN": SX_VERDICT_UNKNOWN,
    "SX_VERDICT_PAID": SX_VERDICT_PAID,
    "SX_VERDICT_NOT_PAID": SX_VERDICT_NOT_PAID,
    "SX_VERDICT_IN_PROGRESS": SX_VERDICT_IN_PROGRESS,
    "SX_PRODUCT_HAS_ID": SX_PRODUCT_HAS_ID,
    "SX_PRODUCT_HAS_PARENT": SX_PRODUCT_HAS_PARENT,
    "SX_PRODUCT_HAS_QUANTITY": SX_PRODUCT_HAS_QUANTITY,
    "SX_PRODUCT_HAS_UNIT_PRICE": SX_PRODUCT_HAS_UNIT_PRICE,
    "SX_PRODUCT_HAS_VAT": SX_PRODUCT_HAS_VAT,
    "SX_RECEIPT_CUSTOMER": SX_RECEIPT_CUSTOMER,
    "SX_RECEIPT_MERCHANT": SX_RECEIPT_MERCHANT,
    "SX_LINE_UNKNOWN": SX_LINE_UNKNOWN,
    "SX_LINE_SEPARATOR": SX_LINE_SEPARATOR,
    "SX_LINE_TEXT": SX_LINE_TEXT,
    "SX_LINE_NAME_VALUE": SX_LINE_NAME_VALUE,
    "SX_LINE_SPACE": SX_LINE_SPACE,
    "SX_DECO_IMPORTANT": SX_DECO_IMPORTANT,
    "SX_DECO_ALIGN_LEFT": SX_DECO_ALIGN_LEFT,
    "SX_DECO_ALIGN_CENTER": SX_DECO_ALIGN_CENTER,
    "SX_DECO_ALIGN_RIGHT": SX_DECO_ALIGN_RIGHT,
    "SX_FORMAT_TEXT": SX_FORMAT_TEXT,
    "SX_FORMAT_ESCPOS": SX_FORMAT_ESCPOS,
    "SX_CODEPAGE_CP858": SX_CODEPAGE_CP858,
    "SX_CODEPAGE_CP437": SX_CODEPAGE_CP437,
    "SX_CODEPAGE_WINDOWS_1252": SX_CODEPAGE_WINDOWS_1252,
    "SX_CODEPAGE_ISO_8859_15": SX_CODEPAGE_ISO_8859_15,
    "SX_RENDER_NO_INIT": SX_RENDER_NO_INIT,
    "SX_RENDER_CUT": SX_RENDER_CUT,
    "SX_COPY_MARKER_MAX": SX_COPY_MARKER_MAX,
    "SX_STATUS_UNKNOWN": SX_STATUS_UNKNOWN,
    "SX_STATUS_CREATED": SX_STATUS_CREATED,
    "SX_STATUS_PROCESSING": SX_STATUS_PROCESSING,
    "SX_STATUS_APPROVED": SX_STATUS_APPROVED,
    "SX_STATUS_PENDING": SX_STATUS_PENDING,
    "SX_STATUS_OK": SX_STATUS_OK,
    "SX_STATUS_RECEIVED": SX_STATUS_RECEIVED,
    "SX_STATUS_SHIPPED": SX_STATUS_SHIPPED,
    "SX_STATUS_COLLECTION": SX_STATUS_COLLECTION,
    "SX_STATUS_COLLECTED": SX_STATUS_COLLECTED,
    "SX_STATUS_FAILED": SX_STATUS_FAILED,
    "SX_STATUS_ABORTED": SX_STATUS_ABORTED,
    "SX_STATUS_TIMEOUT": SX_STATUS_TIMEOUT,
    "SX_STATUS_FINISHED": SX_STATUS_FINISHED,
    "SX_STATUS_DELETED": SX_STATUS_DELETED,
    "SX_STATUS_CANCELLED": SX_STATUS_CANCELLED,
    "SX_OK": SX_OK,
    "SX_ERR_NULL_ARGUMENT": SX_ERR_NULL_ARGUMENT,
    "SX_ERR_INVALID_ARGUMENT": SX_ERR_INVALID_ARGUMENT,
    "SX_ERR_BUFFER_TOO_SMALL": SX_ERR_BUFFER_TOO_SMALL,
    "SX_ERR_OUT_OF_RANGE": SX_ERR_OUT_OF_RANGE,
    "SX_ERR_ABSENT": SX_ERR_ABSENT,
    "SX_ERR_CONNECT": SX_ERR_CONNECT,
    "SX_ERR_OUTCOME_UNKNOWN": SX_ERR_OUTCOME_UNKNOWN,
    "SX_ERR_TLS": SX_ERR_TLS,
    "SX_ERR_UNAUTHORIZED": SX_ERR_UNAUTHORIZED,
    "SX_ERR_API": SX_ERR_API,
    "SX_ERR_HTTP": SX_ERR_HTTP,
    "SX_ERR_BAD_RESPONSE": SX_ERR_BAD_RESPONSE,
    "SX_ERR_NOT_OK": SX_ERR_NOT_OK,
    "SX_ERR_CANCELLED": SX_ERR_CANCELLED,
    "SX_ERR_EXPIRED": SX_ERR_EXPIRED,
    "SX_ERR_JOURNAL": SX_ERR_JOURNAL,
    "SX_ERR_PANIC": SX_ERR_PANIC,
}


# A basket: currency, products and the register's references. Opaque: made by `sx_basket_new`, freed by
# `sx_basket_free`.
#
# Not thread-safe: build it on one thread. Once built, `sx_transaction_create` only reads it, so several
# threads may create from the same basket at once if nobody changes it meanwhile.
class sx_basket(ctypes.Structure):
    """Opaque: only pointers to it exist."""


# A loyalty merchant card (`loyalty.merchantcards`). Opaque: made by `sx_card_find`, freed by `sx_card_free`.
# Read-only, so a `const sx_card *` may be read from several threads at once.
class sx_card(ctypes.Structure):
    """Opaque: only pointers to it exist."""


# A client: its configuration, log and tokens. Opaque: made by `sx_client_new`, freed by `sx_client_free`.
#
# Thread-safe: share one client between threads; every function may be called on it from any thread at once.
class sx_client(ctypes.Structure):
    """Opaque: only pointers to it exist."""


# A smart device. Opaque: made by `sx_device_get` or `sx_device_get_routed`, freed by `sx_device_free`.
# Read-only. It keeps neither the device's `user_pin` nor its terminal passwords (`products`): they are never
# read, so they cannot be shown or logged.
class sx_device(ctypes.Structure):
    """Opaque: only pointers to it exist."""


# A snapshot of entries of a journal (`sx_journal_pending`, `sx_journal_recent`). Opaque: freed by
# `sx_journal_list_free`. Later calls do not change it. Read-only, so a `const sx_journal_list *` may be read
# from several threads at once.
class sx_journal_list(ctypes.Structure):
    """Opaque: only pointers to it exist."""


# The payment methods a contract allows, as the API names them. Opaque: made by
# `sx_contract_payment_methods`, freed by `sx_payment_methods_free`. Read-only.
class sx_payment_methods(ctypes.Structure):
    """Opaque: only pointers to it exist."""


# The answer of `sx_transaction_pre_check`. Opaque; freed by `sx_pre_transaction_free`. Read-only, so a
# `const sx_pre_transaction *` may be read from several threads at once.
class sx_pre_transaction(ctypes.Structure):
    """Opaque: only pointers to it exist."""


# A parsed Smart Transaction. Opaque: made by `sx_transaction_parse` or a `sx_transaction_` call (create, get,
# start, cancel, abort, check), freed by `sx_transaction_free`.
#
# Read-only after parsing, so a `const sx_transaction *` may be read from several threads at once.
class sx_transaction(ctypes.Structure):
    """Opaque: only pointers to it exist."""


# A page of transactions found by `sx_transaction_list_by_ref`. Opaque: freed by `sx_transaction_list_free`, which
# frees its transactions too.
#
# Read-only once made, so a `const sx_transaction_list *` may be read from several threads at once.
class sx_transaction_list(ctypes.Structure):
    """Opaque: only pointers to it exist."""

# The result of a call: `SX_OK` (0) or one of the `SX_ERR_` codes. A `uint32_t`, never a C enum, so that
# every language sees the same size. The values are fixed forever.
sx_result = ctypes.c_uint32

# Receives one log line: `level` is `SX_LOG_ERROR` to `SX_LOG_DEBUG`, `message` a NUL-terminated UTF-8 line
# valid during the call only. Called on the thread that made the library call; it must not call into the
# library. A message never holds a token, secret, refresh token, device code or full card number.
sx_log_callback = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_uint32, ctypes.c_char_p)

# Receives the code to show the merchant during `sx_client_pair`, once, on the pairing thread: the merchant
# enters `user_code` at `verification_url` within `expires_in_s` seconds. The strings are valid during the
# call only; it must not call into the library.
sx_pair_callback = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint32)


# A card or other identification presented for the transaction (`idents[]`). Filled by
# `sx_transaction_ident_get`.
#
# The strings are UTF-8, never NULL ("" when absent), owned by the transaction and valid until
# `sx_transaction_free`; do not free them. `card_number` is a full card number: a register shows it, but never
# writes it to a log. An integer or flag that was absent (or null) is 0 with its bit clear in `present`.
class sx_ident(ctypes.Structure):
    _fields_ = [
        ("id", ctypes.c_char_p),
        ("prefix", ctypes.c_char_p),
        ("name", ctypes.c_char_p),
        ("type", ctypes.c_char_p),
        ("card_number", ctypes.c_char_p),
        ("card_group_name", ctypes.c_char_p),
        ("lock_status", ctypes.c_char_p),
        ("stock_status", ctypes.c_char_p),
        ("points", ctypes.c_int64),
        ("cash_balance", ctypes.c_int64),
        ("bonus_balance", ctypes.c_int64),
        ("balance", ctypes.c_int64),
        ("valid", ctypes.c_uint32),
        ("present", ctypes.c_uint32),
    ]


# One entry of the journal. Filled by `sx_journal_list_get`.
#
# The strings are UTF-8, never NULL ("" when absent), owned by the list and valid until
# `sx_journal_list_free`; do not free them.
class sx_journal_entry(ctypes.Structure):
    _fields_ = [
        ("seq", ctypes.c_int64),
        ("call", ctypes.c_uint32),
        ("outcome", ctypes.c_uint32),
        ("result", sx_result),
        ("http_status", ctypes.c_int32),
        ("began_ms", ctypes.c_int64),
        ("settled_ms", ctypes.c_int64),
        ("transaction_id", ctypes.c_char_p),
        ("method", ctypes.c_char_p),
        ("reference", ctypes.c_char_p),
    ]


# One basket position. Filled by `sx_transaction_product_get` and `sx_pre_transaction_bonus_get`.
#
# The four strings are UTF-8, never NULL ("" when absent), owned by the object they came from and valid until
# it is freed (`sx_transaction_free`, `sx_pre_transaction_free`); do not free them. A number given as a
# string in the answer (`"priceOne": "349"`) reads the same as the number; `articleNumber` and `ean` given as
# numbers read as their digits. An integer that was absent (or null, or not a whole number) is 0 with its bit
# clear in `present`: test the bit where 0 would mean something.
class sx_product(ctypes.Structure):
    _fields_ = [
        ("desc", ctypes.c_char_p),
        ("article_number", ctypes.c_char_p),
        ("ean", ctypes.c_char_p),
        ("item_type", ctypes.c_char_p),
        ("id", ctypes.c_int64),
        ("parent", ctypes.c_int64),
        ("quantity", ctypes.c_int64),
        ("unit_price_cents", ctypes.c_int64),
        ("vat_percent", ctypes.c_int64),
        ("present", ctypes.c_uint32),
    ]


# How `sx_receipt_render` lays out a receipt. All fields 0 (or a NULL pointer): 42 columns of UTF-8 text.
class sx_render_options(ctypes.Structure):
    _fields_ = [
        ("columns", ctypes.c_uint32),
        ("format", ctypes.c_uint32),
        ("codepage", ctypes.c_uint32),
        ("flags", ctypes.c_uint32),
    ]


# One receipt line. Filled by `sx_receipt_line_get`.
#
# The five strings are UTF-8, never NULL ("" when absent), owned by the transaction and valid until
# `sx_transaction_free`; do not free them.
class sx_receipt_line(ctypes.Structure):
    _fields_ = [
        ("kind", ctypes.c_uint32),
        ("decorations", ctypes.c_uint32),
        ("type", ctypes.c_char_p),
        ("caption", ctypes.c_char_p),
        ("text", ctypes.c_char_p),
        ("name", ctypes.c_char_p),
        ("value", ctypes.c_char_p),
    ]


# A reference to another object (`transactions[]`), e.g. the loyalty transaction a payment made. Filled by
# `sx_transaction_reference_get`. The strings are never NULL ("" when absent), owned by the transaction and
# valid until `sx_transaction_free`.
class sx_reference(ctypes.Structure):
    _fields_ = [
        ("object", ctypes.c_char_p),
        ("id", ctypes.c_char_p),
    ]


STRUCTS = {
    "sx_ident": sx_ident,
    "sx_journal_entry": sx_journal_entry,
    "sx_product": sx_product,
    "sx_render_options": sx_render_options,
    "sx_receipt_line": sx_receipt_line,
    "sx_reference": sx_reference,
}

# Every function of the header: (name, restype, argtypes).
FUNCTIONS = [
    ("sx_basket_new", sx_result, [ctypes.c_char_p, ctypes.POINTER(ctypes.POINTER(sx_basket))]),
    ("sx_basket_free", None, [ctypes.POINTER(sx_basket)]),
    ("sx_basket_add_product", sx_result, [ctypes.POINTER(sx_basket), ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int32, ctypes.c_int64, ctypes.c_uint32]),
    ("sx_basket_set_refs", sx_result, [ctypes.POINTER(sx_basket), ctypes.c_char_p, ctypes.c_char_p]),
    ("sx_basket_set_ident", sx_result, [ctypes.POINTER(sx_basket), ctypes.c_char_p]),
    ("sx_card_find", sx_result, [ctypes.POINTER(sx_client), ctypes.c_char_p, ctypes.POINTER(ctypes.POINTER(sx_card))]),
    ("sx_card_free", None, [ctypes.POINTER(sx_card)]),
    ("sx_card_id", ctypes.c_char_p, [ctypes.POINTER(sx_card)]),
    ("sx_card_number", ctypes.c_char_p, [ctypes.POINTER(sx_card)]),
    ("sx_card_number_masked", ctypes.c_char_p, [ctypes.POINTER(sx_card)]),
    ("sx_card_group_name", ctypes.c_char_p, [ctypes.POINTER(sx_card)]),
    ("sx_card_expiry", ctypes.c_char_p, [ctypes.POINTER(sx_card)]),
    ("sx_card_lock_status", ctypes.c_char_p, [ctypes.POINTER(sx_card)]),
    ("sx_card_balance", sx_result, [ctypes.POINTER(sx_card), ctypes.POINTER(ctypes.c_int64)]),
    ("sx_card_cash_balance", sx_result, [ctypes.POINTER(sx_card), ctypes.POINTER(ctypes.c_int64)]),
    ("sx_card_bonus_balance", sx_result, [ctypes.POINTER(sx_card), ctypes.POINTER(ctypes.c_int64)]),
    ("sx_card_points", sx_result, [ctypes.POINTER(sx_card), ctypes.POINTER(ctypes.c_int64)]),
    ("sx_card_locked", sx_result, [ctypes.POINTER(sx_card), ctypes.POINTER(ctypes.c_uint32)]),
    ("sx_card_check_csc", sx_result, [ctypes.POINTER(sx_client), ctypes.POINTER(sx_card), ctypes.c_char_p, ctypes.POINTER(ctypes.c_uint32)]),
    ("sx_card_check_passcode", sx_result, [ctypes.POINTER(sx_client), ctypes.POINTER(sx_card), ctypes.c_char_p, ctypes.POINTER(ctypes.c_uint32)]),
    ("sx_card_balance_receipt", sx_result, [ctypes.POINTER(sx_client), ctypes.POINTER(sx_card), ctypes.c_char_p, ctypes.POINTER(ctypes.POINTER(sx_transaction))]),
    ("sx_client_new", sx_result, [ctypes.c_char_p, ctypes.POINTER(ctypes.POINTER(sx_client))]),
    ("sx_client_free", None, [ctypes.POINTER(sx_client)]),
    ("sx_client_set_timeouts", sx_result, [ctypes.POINTER(sx_client), ctypes.c_uint32, ctypes.c_uint32, ctypes.c_uint32]),
    ("sx_client_add_ca_file", sx_result, [ctypes.POINTER(sx_client), ctypes.c_char_p]),
    ("sx_client_set_proxy", sx_result, [ctypes.POINTER(sx_client), ctypes.c_char_p]),
    ("sx_client_set_log", sx_result, [ctypes.POINTER(sx_client), sx_log_callback, ctypes.c_void_p, ctypes.c_uint32]),
    ("sx_client_use_token", sx_result, [ctypes.POINTER(sx_client), ctypes.c_char_p]),
    ("sx_client_use_client_credentials", sx_result, [ctypes.POINTER(sx_client), ctypes.c_char_p, ctypes.c_char_p]),
    ("sx_client_use_refresh_token", sx_result, [ctypes.POINTER(sx_client), ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p]),
    ("sx_client_pair", sx_result, [ctypes.POINTER(sx_client), ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, sx_pair_callback, ctypes.c_void_p]),
    ("sx_client_prepare", sx_result, [ctypes.POINTER(sx_client)]),
    ("sx_client_cancel", None, [ctypes.POINTER(sx_client)]),
    ("sx_client_refresh_token", sx_result, [ctypes.POINTER(sx_client), ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_size_t)]),
    ("sx_client_start_cash", sx_result, [ctypes.POINTER(sx_client), ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_size_t)]),
    ("sx_set_base_url", sx_result, [ctypes.c_char_p]),
    ("sx_set_timeouts", sx_result, [ctypes.c_uint32, ctypes.c_uint32]),
    ("sx_shutdown", None, []),
    ("sx_device_get", sx_result, [ctypes.POINTER(sx_client), ctypes.c_char_p, ctypes.POINTER(ctypes.POINTER(sx_device))]),
    ("sx_device_get_routed", sx_result, [ctypes.POINTER(sx_client), ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(ctypes.POINTER(sx_device))]),
    ("sx_device_free", None, [ctypes.POINTER(sx_device)]),
    ("sx_device_online", sx_result, [ctypes.POINTER(sx_device), ctypes.POINTER(ctypes.c_uint32)]),
    ("sx_device_id", ctypes.c_char_p, [ctypes.POINTER(sx_device)]),
    ("sx_device_type", ctypes.c_char_p, [ctypes.POINTER(sx_device)]),
    ("sx_device_description", ctypes.c_char_p, [ctypes.POINTER(sx_device)]),
    ("sx_device_vendor", ctypes.c_char_p, [ctypes.POINTER(sx_device)]),
    ("sx_device_tid", ctypes.c_char_p, [ctypes.POINTER(sx_device)]),
    ("sx_contract_payment_methods", sx_result, [ctypes.POINTER(sx_client), ctypes.c_char_p, ctypes.POINTER(sx_basket), ctypes.c_uint32, ctypes.POINTER(ctypes.POINTER(sx_payment_methods))]),
    ("sx_payment_methods_count", ctypes.c_size_t, [ctypes.POINTER(sx_payment_methods)]),
    ("sx_payment_methods_get", sx_result, [ctypes.POINTER(sx_payment_methods), ctypes.c_size_t, ctypes.POINTER(ctypes.c_char_p)]),
    ("sx_payment_methods_free", None, [ctypes.POINTER(sx_payment_methods)]),
    ("sx_transaction_ident_count", ctypes.c_size_t, [ctypes.POINTER(sx_transaction)]),
    ("sx_transaction_ident_get", sx_result, [ctypes.POINTER(sx_transaction), ctypes.c_size_t, ctypes.POINTER(sx_ident)]),
    ("sx_client_open_journal", sx_result, [ctypes.POINTER(sx_client), ctypes.c_char_p]),
    ("sx_journal_pending", sx_result, [ctypes.POINTER(sx_client), ctypes.POINTER(ctypes.POINTER(sx_journal_list))]),
    ("sx_journal_recent", sx_result, [ctypes.POINTER(sx_client), ctypes.c_uint32, ctypes.POINTER(ctypes.POINTER(sx_journal_list))]),
    ("sx_journal_list_count", ctypes.c_size_t, [ctypes.POINTER(sx_journal_list)]),
    ("sx_journal_list_get", sx_result, [ctypes.POINTER(sx_journal_list), ctypes.c_size_t, ctypes.POINTER(sx_journal_entry)]),
    ("sx_journal_list_transaction", ctypes.POINTER(sx_transaction), [ctypes.POINTER(sx_journal_list), ctypes.c_size_t]),
    ("sx_journal_list_free", None, [ctypes.POINTER(sx_journal_list)]),
    ("sx_client_reconcile", sx_result, [ctypes.POINTER(sx_client), ctypes.POINTER(ctypes.c_size_t), ctypes.POINTER(ctypes.c_size_t)]),
    ("sx_journal_settle", sx_result, [ctypes.POINTER(sx_client), ctypes.c_int64, ctypes.c_uint32]),
    ("sx_last_error_message", sx_result, [ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_size_t)]),
    ("sx_last_http_status", ctypes.c_int32, []),
    ("sx_last_response", sx_result, [ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_size_t)]),
    ("sx_transaction_create", sx_result, [ctypes.POINTER(sx_client), ctypes.POINTER(sx_basket), ctypes.POINTER(ctypes.POINTER(sx_transaction))]),
    ("sx_transaction_get", sx_result, [ctypes.POINTER(sx_client), ctypes.c_char_p, ctypes.POINTER(ctypes.POINTER(sx_transaction))]),
    ("sx_transaction_start", sx_result, [ctypes.POINTER(sx_client), ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(ctypes.POINTER(sx_transaction))]),
    ("sx_transaction_update", sx_result, [ctypes.POINTER(sx_client), ctypes.c_char_p, ctypes.POINTER(sx_basket), ctypes.POINTER(ctypes.POINTER(sx_transaction))]),
    ("sx_transaction_start_cashless_direct", sx_result, [ctypes.POINTER(sx_client), ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(ctypes.POINTER(sx_transaction))]),
    ("sx_transaction_cancel", sx_result, [ctypes.POINTER(sx_client), ctypes.c_char_p, ctypes.POINTER(ctypes.POINTER(sx_transaction))]),
    ("sx_transaction_abort", sx_result, [ctypes.POINTER(sx_client), ctypes.c_char_p, ctypes.POINTER(ctypes.POINTER(sx_transaction))]),
    ("sx_transaction_check", sx_result, [ctypes.POINTER(sx_client), ctypes.c_char_p, ctypes.POINTER(ctypes.c_uint32), ctypes.POINTER(ctypes.POINTER(sx_transaction))]),
    ("sx_transaction_cancel_by_receipt", sx_result, [ctypes.POINTER(sx_client), ctypes.c_char_p, ctypes.POINTER(ctypes.POINTER(sx_transaction))]),
    ("sx_terminal_end_of_day", sx_result, [ctypes.POINTER(sx_client), ctypes.POINTER(ctypes.POINTER(sx_transaction))]),
    ("sx_terminal_diagnosis", sx_result, [ctypes.POINTER(sx_client), ctypes.POINTER(ctypes.POINTER(sx_transaction))]),
    ("sx_transaction_pre_check", sx_result, [ctypes.POINTER(sx_client), ctypes.c_char_p, ctypes.POINTER(ctypes.POINTER(sx_pre_transaction))]),
    ("sx_pre_transaction_missing_sum", sx_result, [ctypes.POINTER(sx_pre_transaction), ctypes.POINTER(ctypes.c_int64)]),
    ("sx_pre_transaction_bonus_count", ctypes.c_size_t, [ctypes.POINTER(sx_pre_transaction)]),
    ("sx_pre_transaction_bonus_get", sx_result, [ctypes.POINTER(sx_pre_transaction), ctypes.c_size_t, ctypes.POINTER(sx_product)]),
    ("sx_pre_transaction_free", None, [ctypes.POINTER(sx_pre_transaction)]),
    ("sx_receipt_render", sx_result, [ctypes.POINTER(sx_transaction), ctypes.c_uint32, ctypes.POINTER(sx_render_options), ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_size_t)]),
    ("sx_receipt_render_copy", sx_result, [ctypes.POINTER(sx_transaction), ctypes.c_uint32, ctypes.POINTER(sx_render_options), ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_size_t)]),
    ("sx_receipt_count", ctypes.c_size_t, [ctypes.POINTER(sx_transaction), ctypes.c_uint32]),
    ("sx_receipt_line_get", sx_result, [ctypes.POINTER(sx_transaction), ctypes.c_uint32, ctypes.c_size_t, ctypes.POINTER(sx_receipt_line)]),
    ("sx_version", ctypes.c_char_p, []),
    ("sx_result_name", ctypes.c_char_p, [sx_result]),
    ("sx_result_advice", sx_result, [sx_result, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_size_t)]),
    ("sx_start_cash", sx_result, [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_size_t)]),
    ("sx_transaction_parse", sx_result, [ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.POINTER(sx_transaction))]),
    ("sx_transaction_id", ctypes.c_char_p, [ctypes.POINTER(sx_transaction)]),
    ("sx_transaction_status", ctypes.c_char_p, [ctypes.POINTER(sx_transaction)]),
    ("sx_transaction_sum", ctypes.c_int64, [ctypes.POINTER(sx_transaction)]),
    ("sx_transaction_free", None, [ctypes.POINTER(sx_transaction)]),
    ("sx_transaction_payment_method", ctypes.c_char_p, [ctypes.POINTER(sx_transaction)]),
    ("sx_transaction_trans_id", ctypes.c_char_p, [ctypes.POINTER(sx_transaction)]),
    ("sx_transaction_receipt_number", ctypes.c_char_p, [ctypes.POINTER(sx_transaction)]),
    ("sx_transaction_currency", ctypes.c_char_p, [ctypes.POINTER(sx_transaction)]),
    ("sx_transaction_merchant_id", ctypes.c_char_p, [ctypes.POINTER(sx_transaction)]),
    ("sx_transaction_merchant_name", ctypes.c_char_p, [ctypes.POINTER(sx_transaction)]),
    ("sx_transaction_created", ctypes.c_char_p, [ctypes.POINTER(sx_transaction)]),
    ("sx_transaction_updated", ctypes.c_char_p, [ctypes.POINTER(sx_transaction)]),
    ("sx_transaction_merchant_ref", ctypes.c_char_p, [ctypes.POINTER(sx_transaction)]),
    ("sx_transaction_transaction_ref", ctypes.c_char_p, [ctypes.POINTER(sx_transaction)]),
    ("sx_transaction_intent", ctypes.c_char_p, [ctypes.POINTER(sx_transaction)]),
    ("sx_transaction_device_source", ctypes.c_char_p, [ctypes.POINTER(sx_transaction)]),
    ("sx_transaction_device_destination", ctypes.c_char_p, [ctypes.POINTER(sx_transaction)]),
    ("sx_transaction_status_code", ctypes.c_uint32, [ctypes.POINTER(sx_transaction)]),
    ("sx_transaction_missing_sum", sx_result, [ctypes.POINTER(sx_transaction), ctypes.POINTER(ctypes.c_int64)]),
    ("sx_transaction_gratuity", sx_result, [ctypes.POINTER(sx_transaction), ctypes.POINTER(ctypes.c_int64)]),
    ("sx_transaction_is_demo", sx_result, [ctypes.POINTER(sx_transaction), ctypes.POINTER(ctypes.c_uint32)]),
    ("sx_transaction_receipt_merchant_print", sx_result, [ctypes.POINTER(sx_transaction), ctypes.POINTER(ctypes.c_uint32)]),
    ("sx_transaction_product_count", ctypes.c_size_t, [ctypes.POINTER(sx_transaction)]),
    ("sx_transaction_product_get", sx_result, [ctypes.POINTER(sx_transaction), ctypes.c_size_t, ctypes.POINTER(sx_product)]),
    ("sx_transaction_reference_count", ctypes.c_size_t, [ctypes.POINTER(sx_transaction)]),
    ("sx_transaction_reference_get", sx_result, [ctypes.POINTER(sx_transaction), ctypes.c_size_t, ctypes.POINTER(sx_reference)]),
    ("sx_transaction_get_json", sx_result, [ctypes.POINTER(sx_transaction), ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_size_t)]),
    ("sx_transaction_list_by_ref", sx_result, [ctypes.POINTER(sx_client), ctypes.c_char_p, ctypes.c_uint32, ctypes.c_uint32, ctypes.POINTER(ctypes.POINTER(sx_transaction_list))]),
    ("sx_transaction_list_count", ctypes.c_size_t, [ctypes.POINTER(sx_transaction_list)]),
    ("sx_transaction_list_total", ctypes.c_size_t, [ctypes.POINTER(sx_transaction_list)]),
    ("sx_transaction_list_get", ctypes.POINTER(sx_transaction), [ctypes.POINTER(sx_transaction_list), ctypes.c_size_t]),
    ("sx_transaction_list_free", None, [ctypes.POINTER(sx_transaction_list)]),
]


def declare(lib: ctypes.CDLL) -> ctypes.CDLL:
    """Sets restype and argtypes of every function on a loaded library; returns it."""
    for name, restype, argtypes in FUNCTIONS:
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes
    return lib
