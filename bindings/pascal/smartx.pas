{ smartx: secuconnect Smart Transactions for cash registers, for Delphi and Free Pascal.
  GENERATED from include/smartx.h by bindings/generate.py: do not edit; run
  `python3 bindings/generate.py` after changing the C API. The tests fail when this file is stale.

  Every function is cdecl and uses fixed-width types; records have the C layout (not packed).
  Strings in are UTF-8 (pass PAnsiChar(UTF8String(s))); strings out follow the buffer rule of smartx.h.
  Pascal reserved words used as C names get a trailing underscore (the record field `type` is `type_`). }
unit smartx;

{$IFDEF FPC}
  {$MODE DELPHI}
  {$PACKRECORDS C}
{$ELSE}
  {$ALIGN 8}
  {$MINENUMSIZE 4}
{$ENDIF}

interface

const
  // The library's file: smartx.dll beside the program on Windows; on Linux Free Pascal links -lsmartx
  // (libsmartx.so at link time, its soname libsmartx.so.0 at run time); Delphi for Linux loads libsmartx.so.
{$IF DEFINED(MSWINDOWS)}
  SMARTX_LIB = 'smartx.dll';
{$ELSEIF DEFINED(FPC)}
  SMARTX_LIB = 'smartx';
{$ELSE}
  SMARTX_LIB = 'libsmartx.so';
{$IFEND}

const
  // Log levels of `sx_client_set_log`: a line of level `l` is written when `l <= max_level`.
  SX_LOG_ERROR = 1;
  // The reasons for renewals, repeats and failures.
  SX_LOG_WARN = 2;
  // One line per request: method, path, status, time taken.
  SX_LOG_INFO = 3;
  SX_LOG_DEBUG = 4;
  // `sx_contract_payment_methods` flags: ask as in demo mode (`is_demo: true`).
  SX_METHODS_DEMO = 1;
  // `sx_contract_payment_methods` flags: the flex.API/APIv2 product names (`apiv2_products: true`).
  SX_METHODS_APIV2_NAMES = 2;
  // `sx_ident.present`: `valid` was in the answer.
  SX_IDENT_HAS_VALID = 1;
  // `sx_ident.present`: `merchantcard.points` was in the answer.
  SX_IDENT_HAS_POINTS = 2;
  // `sx_ident.present`: `merchantcard.cash_balance` was in the answer.
  SX_IDENT_HAS_CASH_BALANCE = 4;
  // `sx_ident.present`: `merchantcard.bonus_balance` was in the answer.
  SX_IDENT_HAS_BONUS_BALANCE = 8;
  // `sx_ident.present`: `merchantcard.balance` was in the answer.
  SX_IDENT_HAS_BALANCE = 16;
  // `sx_journal_entry.call`: `sx_transaction_create`.
  SX_CALL_CREATE = 1;
  // `sx_journal_entry.call`: a start of any method, `cashless_direct` and `sx_client_start_cash` too.
  SX_CALL_START = 2;
  // `sx_journal_entry.call`: `sx_transaction_cancel`.
  SX_CALL_CANCEL = 3;
  // `sx_journal_entry.call`: `sx_transaction_abort`.
  SX_CALL_ABORT = 4;
  // `sx_journal_entry.call`: `sx_transaction_cancel_by_receipt`.
  SX_CALL_CANCEL_BY_RECEIPT = 5;
  // `sx_journal_entry.outcome`: sent or perhaps sent; the result is not known yet.
  SX_OUTCOME_PENDING = 0;
  // `sx_journal_entry.outcome`: the API did it (created, paid, cancelled, aborted).
  SX_OUTCOME_DONE = 1;
  // `sx_journal_entry.outcome`: it did not happen (not sent, refused, declined, or read back as not done).
  SX_OUTCOME_NOT_DONE = 2;
  // `sx_transaction_check`: the status is none the library knows. Do not start again; ask a person.
  SX_VERDICT_UNKNOWN = 0;
  // `sx_transaction_check`: paid (status `ok` or a later state). Print the receipt; do not start again.
  SX_VERDICT_PAID = 1;
  // `sx_transaction_check`: not paid. `created`: the start never ran, starting again is safe; `aborted`,
  // `failed`, `cancelled`/`canceled`, `timeout`: this transaction is over, create a new one to sell again.
  SX_VERDICT_NOT_PAID = 2;
  // `sx_transaction_check`: the terminal is still at it (`processing`, `pending`, `approved`): wait, check again.
  SX_VERDICT_IN_PROGRESS = 3;
  // `sx_product.present`: `id` was in the answer.
  SX_PRODUCT_HAS_ID = 1;
  // `sx_product.present`: `parent` was in the answer.
  SX_PRODUCT_HAS_PARENT = 2;
  // `sx_product.present`: `quantity` was in the answer.
  SX_PRODUCT_HAS_QUANTITY = 4;
  // `sx_product.present`: `unit_price_cents` (`priceOne`) was in the answer.
  SX_PRODUCT_HAS_UNIT_PRICE = 8;
  // `sx_product.present`: `vat_percent` (`tax`) was in the answer.
  SX_PRODUCT_HAS_VAT = 16;
  // The customer receipt (`receipt`), for both the customer and the merchant when there is no merchant copy.
  SX_RECEIPT_CUSTOMER = 0;
  // The merchant copy (`receipt_merchant`).
  SX_RECEIPT_MERCHANT = 1;
  // A type this library does not know; see `type` for the raw name. `sx_receipt_render` prints its non-empty
  // `caption`, `text`, `name` and `value` joined by spaces, left-aligned, so that nothing the API put on the
  // receipt is lost; a register laying out lines itself should do the same rather than skip it.
  SX_LINE_UNKNOWN = 0;
  // A headline: centred `caption`, or a rule when the caption is empty.
  SX_LINE_SEPARATOR = 1;
  // A line of `text`; long text wraps.
  SX_LINE_TEXT = 2;
  // `name` at the left and `value` at the right of the same line.
  SX_LINE_NAME_VALUE = 3;
  // An empty line.
  SX_LINE_SPACE = 4;
  // Print bold.
  SX_DECO_IMPORTANT = 1;
  // Align left (also the legacy spelling `align_left`).
  SX_DECO_ALIGN_LEFT = 2;
  // Centre.
  SX_DECO_ALIGN_CENTER = 4;
  // Align right (also the legacy spelling `align_right`).
  SX_DECO_ALIGN_RIGHT = 8;
  // UTF-8 text; every row ends in "\n".
  SX_FORMAT_TEXT = 0;
  // Bytes for an ESC/POS printer, in the code page of `sx_render_options.codepage`.
  SX_FORMAT_ESCPOS = 1;
  // CP858: Western Europe with the euro sign (0xD5). The default. Selected with `ESC t 19`.
  SX_CODEPAGE_CP858 = 0;
  // CP437: umlauts, no euro sign ("EUR" is printed). Selected with `ESC t 0`.
  SX_CODEPAGE_CP437 = 1;
  // Windows-1252. Selected with `ESC t 16`.
  SX_CODEPAGE_WINDOWS_1252 = 2;
  // ISO-8859-15 (Latin-9). Selected with `ESC t 40`.
  SX_CODEPAGE_ISO_8859_15 = 3;
  // ESC/POS: no `ESC @` and no code-page selection at the start (the printer is set up already).
  SX_RENDER_NO_INIT = 1;
  // ESC/POS: feed three lines (`ESC d 3`) and cut (`GS V 66 0`) at the end.
  SX_RENDER_CUT = 2;
  // The longest copy marker of `sx_receipt_render_copy`, in bytes.
  SX_COPY_MARKER_MAX = 64;
  // `sx_transaction_status_code`: a status this library does not know (the string is in `sx_transaction_status`),
  // or none.
  SX_STATUS_UNKNOWN = 0;
  // "created": made, not started.
  SX_STATUS_CREATED = 1;
  // "processing".
  SX_STATUS_PROCESSING = 2;
  // "approved".
  SX_STATUS_APPROVED = 3;
  // "pending".
  SX_STATUS_PENDING = 4;
  // "ok": paid.
  SX_STATUS_OK = 5;
  // "received".
  SX_STATUS_RECEIVED = 6;
  // "shipped".
  SX_STATUS_SHIPPED = 7;
  // "collection".
  SX_STATUS_COLLECTION = 8;
  // "collected".
  SX_STATUS_COLLECTED = 9;
  // "failed" (e.g. a declined card).
  SX_STATUS_FAILED = 10;
  // "aborted".
  SX_STATUS_ABORTED = 11;
  // "timeout".
  SX_STATUS_TIMEOUT = 12;
  // "finished".
  SX_STATUS_FINISHED = 13;
  // "deleted".
  SX_STATUS_DELETED = 14;
  // "cancelled", also spelt "canceled".
  SX_STATUS_CANCELLED = 15;
  // Done.
  SX_OK = 0;
  // A required pointer was NULL; nothing was sent.
  SX_ERR_NULL_ARGUMENT = 1;
  // A malformed id, token, URL, option or UTF-8; nothing was sent.
  SX_ERR_INVALID_ARGUMENT = 2;
  // `*out_len` holds the needed length (without the NUL); nothing was written.
  SX_ERR_BUFFER_TOO_SMALL = 3;
  // An index past the end.
  SX_ERR_OUT_OF_RANGE = 4;
  // The value asked for is not in the answer (a field the API left out or sent as null, a JSON pointer that
  // leads nowhere); the out-parameter was not written.
  SX_ERR_ABSENT = 5;
  // The request was never sent (host name not found, DNS or connect timeout, refused, unreachable): safe to try
  // again.
  SX_ERR_CONNECT = 10;
  // The request was sent but no complete answer came back (timeout after sending, reset, truncated body): read
  // the transaction back before trying again. Never treat this as "not paid". Never given for a failure before
  // the request's first byte was sent.
  SX_ERR_OUTCOME_UNKNOWN = 11;
  // The TLS handshake failed (certificate, plain HTTP on an https port, close, reset, corrupt record or alert
  // during the handshake); nothing was sent. Also an `http://` base URL pointed at a TLS port: the request in
  // clear reached a TLS server, which answered with a TLS record ("the server at HOST:PORT speaks TLS: use
  // https://. Nothing was executed"); a TLS server never executes a request in clear.
  SX_ERR_TLS = 12;
  // HTTP 401, or 403 with an authentication code (2xxx): get a new token.
  SX_ERR_UNAUTHORIZED = 20;
  // The API answered with its error body (`"status":"error"`); the message names `error`, `error_details`,
  // `code` and `supportId`. Not "nothing was paid": a start refused because the transaction was already started
  // may have been paid by an earlier call (one whose answer was lost); its message says to read it back.
  SX_ERR_API = 21;
  // Any other non-2xx answer (HTML, empty, a redirect, which is never followed). After a 5xx, a 1xx or a 304 the
  // message says the request was received: read the transaction back before trying again.
  SX_ERR_HTTP = 22;
  // A 2xx answer that cannot be read as a transaction, or larger than 16 MiB. For a payment: it was probably
  // registered; read the transaction back, do not pay again.
  SX_ERR_BAD_RESPONSE = 30;
  // A transaction came back, but its `status` is not `ok` (e.g. `failed`).
  SX_ERR_NOT_OK = 31;
  // The caller cancelled the call (e.g. `sx_client_cancel` during pairing).
  SX_ERR_CANCELLED = 40;
  // A device code or refresh token expired: start again.
  SX_ERR_EXPIRED = 41;
  // The journal (`sx_client_open_journal`) could not be opened, read or written, or none is open. For a call of
  // the client this means nothing was sent.
  SX_ERR_JOURNAL = 50;
  // An internal bug was caught at the boundary; the process goes on.
  SX_ERR_PANIC = 99;

type
  PInt64 = ^Int64;
  PNativeUInt = ^NativeUInt;
  PPAnsiChar = ^PAnsiChar;
  PUInt32 = ^UInt32;
  Psx_basket = ^sx_basket;
  PPsx_basket = ^Psx_basket;
  Psx_card = ^sx_card;
  PPsx_card = ^Psx_card;
  Psx_client = ^sx_client;
  PPsx_client = ^Psx_client;
  Psx_device = ^sx_device;
  PPsx_device = ^Psx_device;
  Psx_ident = ^sx_ident;
  Psx_journal_entry = ^sx_journal_entry;
  Psx_journal_list = ^sx_journal_list;
  PPsx_journal_list = ^Psx_journal_list;
  Psx_payment_methods = ^sx_payment_methods;
  PPsx_payment_methods = ^Psx_payment_methods;
  Psx_pre_transaction = ^sx_pre_transaction;
  PPsx_pre_transaction = ^Psx_pre_transaction;
  Psx_product = ^sx_product;
  Psx_receipt_line = ^sx_receipt_line;
  Psx_reference = ^sx_reference;
  Psx_render_options = ^sx_render_options;
  Psx_transaction = ^sx_transaction;
  PPsx_transaction = ^Psx_transaction;
  Psx_transaction_list = ^sx_transaction_list;
  PPsx_transaction_list = ^Psx_transaction_list;

  // A basket: currency, products and the register's references. Opaque: made by `sx_basket_new`, freed by
  // `sx_basket_free`.
  //
  // Not thread-safe: build it on one thread. Once built, `sx_transaction_create` only reads it, so several
  // threads may create from the same basket at once if nobody changes it meanwhile.
  sx_basket = record end; { opaque: only pointers to it exist }

  // A loyalty merchant card (`loyalty.merchantcards`). Opaque: made by `sx_card_find`, freed by `sx_card_free`.
  // Read-only, so a `const sx_card *` may be read from several threads at once.
  sx_card = record end; { opaque: only pointers to it exist }

  // A client: its configuration, log and tokens. Opaque: made by `sx_client_new`, freed by `sx_client_free`.
  //
  // Thread-safe: share one client between threads; every function may be called on it from any thread at once.
  sx_client = record end; { opaque: only pointers to it exist }

  // A smart device. Opaque: made by `sx_device_get` or `sx_device_get_routed`, freed by `sx_device_free`.
  // Read-only. It keeps neither the device's `user_pin` nor its terminal passwords (`products`): they are never
  // read, so they cannot be shown or logged.
  sx_device = record end; { opaque: only pointers to it exist }

  // A snapshot of entries of a journal (`sx_journal_pending`, `sx_journal_recent`). Opaque: freed by
  // `sx_journal_list_free`. Later calls do not change it. Read-only, so a `const sx_journal_list *` may be read
  // from several threads at once.
  sx_journal_list = record end; { opaque: only pointers to it exist }

  // The payment methods a contract allows, as the API names them. Opaque: made by
  // `sx_contract_payment_methods`, freed by `sx_payment_methods_free`. Read-only.
  sx_payment_methods = record end; { opaque: only pointers to it exist }

  // The answer of `sx_transaction_pre_check`. Opaque; freed by `sx_pre_transaction_free`. Read-only, so a
  // `const sx_pre_transaction *` may be read from several threads at once.
  sx_pre_transaction = record end; { opaque: only pointers to it exist }

  // A parsed Smart Transaction. Opaque: made by `sx_transaction_parse` or a `sx_transaction_` call (create, get,
  // start, cancel, abort, check), freed by `sx_transaction_free`.
  //
  // Read-only after parsing, so a `const sx_transaction *` may be read from several threads at once.
  sx_transaction = record end; { opaque: only pointers to it exist }

  // A page of transactions found by `sx_transaction_list_by_ref`. Opaque: freed by `sx_transaction_list_free`, which
  // frees its transactions too.
  //
  // Read-only once made, so a `const sx_transaction_list *` may be read from several threads at once.
  sx_transaction_list = record end; { opaque: only pointers to it exist }

  // The result of a call: `SX_OK` (0) or one of the `SX_ERR_` codes. A `uint32_t`, never a C enum, so that
  // every language sees the same size. The values are fixed forever.
  sx_result = UInt32;

  // Receives one log line: `level` is `SX_LOG_ERROR` to `SX_LOG_DEBUG`, `message` a NUL-terminated UTF-8 line
  // valid during the call only. Called on the thread that made the library call; it must not call into the
  // library. A message never holds a token, secret, refresh token, device code or full card number.
  sx_log_callback = procedure(user_data: Pointer; level: UInt32; message_: PAnsiChar); cdecl;

  // Receives the code to show the merchant during `sx_client_pair`, once, on the pairing thread: the merchant
  // enters `user_code` at `verification_url` within `expires_in_s` seconds. The strings are valid during the
  // call only; it must not call into the library.
  sx_pair_callback = procedure(user_data: Pointer; user_code: PAnsiChar; verification_url: PAnsiChar; expires_in_s: UInt32); cdecl;

  // A card or other identification presented for the transaction (`idents[]`). Filled by
  // `sx_transaction_ident_get`.
  //
  // The strings are UTF-8, never NULL ("" when absent), owned by the transaction and valid until
  // `sx_transaction_free`; do not free them. `card_number` is a full card number: a register shows it, but never
  // writes it to a log. An integer or flag that was absent (or null) is 0 with its bit clear in `present`.
  sx_ident = record
    id: PAnsiChar;
    prefix: PAnsiChar;
    name: PAnsiChar;
    type_: PAnsiChar;
    card_number: PAnsiChar;
    card_group_name: PAnsiChar;
    lock_status: PAnsiChar;
    stock_status: PAnsiChar;
    points: Int64;
    cash_balance: Int64;
    bonus_balance: Int64;
    balance: Int64;
    valid: UInt32;
    present: UInt32;
  end;

  // One entry of the journal. Filled by `sx_journal_list_get`.
  //
  // The strings are UTF-8, never NULL ("" when absent), owned by the list and valid until
  // `sx_journal_list_free`; do not free them.
  sx_journal_entry = record
    seq: Int64;
    call: UInt32;
    outcome: UInt32;
    result_: sx_result;
    http_status: Int32;
    began_ms: Int64;
    settled_ms: Int64;
    transaction_id: PAnsiChar;
    method: PAnsiChar;
    reference: PAnsiChar;
  end;

  // One basket position. Filled by `sx_transaction_product_get` and `sx_pre_transaction_bonus_get`.
  //
  // The four strings are UTF-8, never NULL ("" when absent), owned by the object they came from and valid until
  // it is freed (`sx_transaction_free`, `sx_pre_transaction_free`); do not free them. A number given as a
  // string in the answer (`"priceOne": "349"`) reads the same as the number; `articleNumber` and `ean` given as
  // numbers read as their digits. An integer that was absent (or null, or not a whole number) is 0 with its bit
  // clear in `present`: test the bit where 0 would mean something.
  sx_product = record
    desc: PAnsiChar;
    article_number: PAnsiChar;
    ean: PAnsiChar;
    item_type: PAnsiChar;
    id: Int64;
    parent: Int64;
    quantity: Int64;
    unit_price_cents: Int64;
    vat_percent: Int64;
    present: UInt32;
  end;

  // How `sx_receipt_render` lays out a receipt. All fields 0 (or a NULL pointer): 42 columns of UTF-8 text.
  sx_render_options = record
    columns: UInt32;
    format: UInt32;
    codepage: UInt32;
    flags: UInt32;
  end;

  // One receipt line. Filled by `sx_receipt_line_get`.
  //
  // The five strings are UTF-8, never NULL ("" when absent), owned by the transaction and valid until
  // `sx_transaction_free`; do not free them.
  sx_receipt_line = record
    kind: UInt32;
    decorations: UInt32;
    type_: PAnsiChar;
    caption: PAnsiChar;
    text: PAnsiChar;
    name: PAnsiChar;
    value: PAnsiChar;
  end;

  // A reference to another object (`transactions[]`), e.g. the loyalty transaction a payment made. Filled by
  // `sx_transaction_reference_get`. The strings are never NULL ("" when absent), owned by the transaction and
  // valid until `sx_transaction_free`.
  sx_reference = record
    object_: PAnsiChar;
    id: PAnsiChar;
  end;

// Makes an empty basket for `currency`, three capital letters (ISO 4217, e.g. "EUR").
//
// On `SX_OK`, `*out` receives a new basket the caller owns and frees with `sx_basket_free`; otherwise
// `*out` is left as it was (`SX_ERR_NULL_ARGUMENT`, `SX_ERR_INVALID_ARGUMENT` for another currency).
// Sends nothing. Ownership: `currency` is read during the call only. Threads: any.
//
// # Safety
// `currency` is NULL or NUL-terminated; `out` is NULL or writable.
function sx_basket_new(currency: PAnsiChar; out_: PPsx_basket): sx_result; cdecl; external SMARTX_LIB;

// Frees a basket made by `sx_basket_new`. NULL is a no-op; freeing twice is undefined behaviour.
// A transaction created from the basket does not need it any more. Threads: once no other thread uses it.
//
// # Safety
// `basket` is NULL or a basket from `sx_basket_new` not yet freed.
procedure sx_basket_free(basket: Psx_basket); cdecl; external SMARTX_LIB;

// Adds a product: `quantity` × `unit_price_cents` (gross, integer cents), `vat_percent` a whole VAT
// percentage (0 to 100). `desc` is required (not blank); `article_number` and `ean` may be NULL. Texts are
// UTF-8, at most 1024 bytes, without control characters. Quantity and price may be negative (a return, a
// coupon); the basket's total is checked by `sx_transaction_create` (an overflow or a negative total is
// `SX_ERR_INVALID_ARGUMENT` there, and nothing is sent). A basket holds at most 10000 products (as many as the
// library reads of a list in an answer): the 10001st is `SX_ERR_INVALID_ARGUMENT`.
//
// `SX_ERR_NULL_ARGUMENT` / `SX_ERR_INVALID_ARGUMENT` leave the basket as it was. Ownership: the strings are
// copied. Threads: not at once on the same basket.
//
// # Safety
// `basket` is NULL or a live basket; the strings are NULL or NUL-terminated.
function sx_basket_add_product(basket: Psx_basket; desc: PAnsiChar; article_number: PAnsiChar; ean: PAnsiChar; quantity: Int32; unit_price_cents: Int64; vat_percent: UInt32): sx_result; cdecl; external SMARTX_LIB;

// Sets the register's own references, sent as `merchantRef` and `transactionRef` (e.g. the till and its
// receipt number, to find the transaction again). NULL or "" sends none; a call replaces both. Texts as for
// `sx_basket_add_product`. On failure the basket keeps its earlier references.
// Ownership: the strings are copied. Threads: not at once on the same basket.
//
// # Safety
// `basket` is NULL or a live basket; the strings are NULL or NUL-terminated.
function sx_basket_set_refs(basket: Psx_basket; merchant_ref: PAnsiChar; transaction_ref: PAnsiChar): sx_result; cdecl; external SMARTX_LIB;

// Sets the customer's loyalty card number, sent with `sx_transaction_create` and `sx_transaction_update` as
// the transaction's ident (`"idents": [{"type": "card", "value": ...}]`), so that the card's balance and
// points apply. `card_number` is 1 to 64 of `0-9 A-Z a-z` (remove a scanner's spaces and dashes first); NULL
// clears it. Otherwise `SX_ERR_INVALID_ARGUMENT`, and the basket keeps its earlier card.
//
// The number never appears in full in a log line or an error message of this library (they show the last
// four digits at most). Sends nothing. Ownership: the string is copied. Threads: not at once on the same
// basket.
//
// # Safety
// `basket` is NULL or a live basket; `card_number` is NULL or NUL-terminated.
function sx_basket_set_ident(basket: Psx_basket; card_number: PAnsiChar): sx_result; cdecl; external SMARTX_LIB;

// Finds the loyalty card with `card_number` (the balance enquiry):
// `GET /api/v2/Loyalty/MerchantCards?q=card.cardnumber:{card_number}`.
//
// `SX_OK`: `*out` receives the card. `SX_ERR_ABSENT`: no card has this number (the API answers 200 with
// `count: 0`); `*out` untouched. Nothing else means "unknown card". `SX_ERR_BAD_RESPONSE`: the answer found
// several cards, a card with another number (the answer to another request), or a card whose amounts are not
// whole cents. `card_number` is 1 to 64 of `0-9 A-Z a-z` (a scanner's spaces or dashes removed), else
// `SX_ERR_INVALID_ARGUMENT` and nothing sent. Blocks for at most the total timeout.
//
// Whether the card can pay is `sx_card_locked`, not its stock status (the API's own example card is
// "inactive" and usable).
//
// Ownership: on `SX_OK` `*out` is the caller's, freed with `sx_card_free`; `card_number` is read during the
// call only. Threads: any, at once on a shared client; the last response is per thread.
//
// # Safety
// `client` is NULL or a live client; `card_number` is NULL or NUL-terminated; `out` is NULL or writable.
function sx_card_find(client: Psx_client; card_number: PAnsiChar; out_: PPsx_card): sx_result; cdecl; external SMARTX_LIB;

// Frees a card from `sx_card_find`, and with it every string it handed out. NULL is a no-op; freeing twice is
// undefined behaviour. Threads: any, once no other thread uses `card`.
//
// # Safety
// `card` is NULL or a card from this library not yet freed.
procedure sx_card_free(card: Psx_card); cdecl; external SMARTX_LIB;

// The card's id, `id` ("MCD_..."): what the API's per-card calls name.
//
// UTF-8, never NULL ("" when absent or `card` is NULL), owned by the card and valid until `sx_card_free(card)`.
// Threads: any.
//
// # Safety
// `card` is NULL or a live card.
function sx_card_id(card: Psx_card): PAnsiChar; cdecl; external SMARTX_LIB;

// The card number in full, `card.cardnumber`, as the API sent it (equal to the number searched for). For
// the register's own use: show and log `sx_card_number_masked`.
//
// UTF-8, never NULL ("" when absent or `card` is NULL), owned by the card and valid until `sx_card_free(card)`.
// Threads: any.
//
// # Safety
// `card` is NULL or a live card.
function sx_card_number(card: Psx_card): PAnsiChar; cdecl; external SMARTX_LIB;

// The card number masked to its last four digits, e.g. "************1652": what a screen, a log or a
// message may show.
//
// UTF-8, never NULL ("" when absent or `card` is NULL), owned by the card and valid until `sx_card_free(card)`.
// Threads: any.
//
// # Safety
// `card` is NULL or a live card.
function sx_card_number_masked(card: Psx_card): PAnsiChar; cdecl; external SMARTX_LIB;

// The card group's display name, `cardgroup.display_name` (the programme, e.g. "Geschenkgutschein").
//
// UTF-8, never NULL ("" when absent or `card` is NULL), owned by the card and valid until `sx_card_free(card)`.
// Threads: any.
//
// # Safety
// `card` is NULL or a live card.
function sx_card_group_name(card: Psx_card): PAnsiChar; cdecl; external SMARTX_LIB;

// The card's expiry, `expiry_date`, as the API wrote it (its format is documented nowhere); "" when the
// card has none (absent or null).
//
// UTF-8, never NULL ("" when absent or `card` is NULL), owned by the card and valid until `sx_card_free(card)`.
// Threads: any.
//
// # Safety
// `card` is NULL or a live card.
function sx_card_expiry(card: Psx_card): PAnsiChar; cdecl; external SMARTX_LIB;

// `lock_status` as the API wrote it ("locked", "unlocked"); `sx_card_locked` reads it.
//
// UTF-8, never NULL ("" when absent or `card` is NULL), owned by the card and valid until `sx_card_free(card)`.
// Threads: any.
//
// # Safety
// `card` is NULL or a live card.
function sx_card_lock_status(card: Psx_card): PAnsiChar; cdecl; external SMARTX_LIB;

// The total money balance in cents, `balance`, into `*out` (in the API's example, cash 300 + bonus 52 =
// 352; the sum rule is shown by example only, so the register shows `balance` as the API sent it).
//
// `SX_ERR_ABSENT` (and `*out` untouched) when the answer left it out or sent null; `SX_ERR_NULL_ARGUMENT` for a
// NULL `card` or `out`. Threads: any.
//
// # Safety
// `card` is NULL or a live card; `out` is NULL or writable.
function sx_card_balance(card: Psx_card; out_: PInt64): sx_result; cdecl; external SMARTX_LIB;

// The money loaded onto the card, in cents, `cash_balance`, into `*out`.
//
// `SX_ERR_ABSENT` (and `*out` untouched) when the answer left it out or sent null; `SX_ERR_NULL_ARGUMENT` for a
// NULL `card` or `out`. Threads: any.
//
// # Safety
// `card` is NULL or a live card; `out` is NULL or writable.
function sx_card_cash_balance(card: Psx_card; out_: PInt64): sx_result; cdecl; external SMARTX_LIB;

// The money collected as bonus, in cents, `bonus_balance`, into `*out`.
//
// `SX_ERR_ABSENT` (and `*out` untouched) when the answer left it out or sent null; `SX_ERR_NULL_ARGUMENT` for a
// NULL `card` or `out`. Threads: any.
//
// # Safety
// `card` is NULL or a live card; `out` is NULL or writable.
function sx_card_bonus_balance(card: Psx_card; out_: PInt64): sx_result; cdecl; external SMARTX_LIB;

// The points balance, `points`, into `*out`.
//
// `SX_ERR_ABSENT` (and `*out` untouched) when the answer left it out or sent null; `SX_ERR_NULL_ARGUMENT` for a
// NULL `card` or `out`. Threads: any.
//
// # Safety
// `card` is NULL or a live card; `out` is NULL or writable.
function sx_card_points(card: Psx_card; out_: PInt64): sx_result; cdecl; external SMARTX_LIB;

// Whether the card is locked, into `*out`: 1 locked ("If true, you cannot use the card to pay"), 0 not
// (`lock_status` "unlocked"). `SX_ERR_ABSENT` (`*out` untouched) when the answer does not say (no
// `lock_status`, or a value the library does not know: see `sx_card_lock_status`). The stock status is no part
// of it. `SX_ERR_NULL_ARGUMENT` for a NULL `card` or `out`. Threads: any.
//
// # Safety
// `card` is NULL or a live card; `out` is NULL or writable.
function sx_card_locked(card: Psx_card; out_: PUInt32): sx_result; cdecl; external SMARTX_LIB;

// Checks a card security code: `POST /api/v2/Loyalty/MerchantCards/{id}/checkCsc` with
// `{"cardnumber", "csc"}`. `csc`: 1 to 8 digits, sent as a string (leading zeros kept).
//
// `SX_OK` with `*out_valid` 1 (right) or 0 (wrong): a "no" is a result, not an error. An answer without a
// boolean `result` is `SX_ERR_BAD_RESPONSE` (never read as a yes); an API error is `SX_ERR_API`. `*out_valid`
// is written on `SX_OK` only. Blocks for at most the total timeout. The code is never logged.
//
// Ownership: `card` and `csc` are read during the call only. Threads: any, at once on a shared client.
//
// # Safety
// `client` and `card` are NULL or live; `csc` is NULL or NUL-terminated; `out_valid` is NULL or writable.
function sx_card_check_csc(client: Psx_client; card: Psx_card; csc: PAnsiChar; out_valid: PUInt32): sx_result; cdecl; external SMARTX_LIB;

// Checks the card's passcode (PIN): `POST /api/v2/Loyalty/MerchantCards/{id}/checkPasscode` with
// `{"cardnumber", "pin"}`. `passcode`: 1 to 9 digits. The API's spec sends `pin` as an integer, which loses a
// leading zero: a passcode starting with 0 is `SX_ERR_INVALID_ARGUMENT` and nothing is sent.
//
// `SX_OK` with `*out_valid` 1 (right) or 0 (wrong); otherwise as `sx_card_check_csc`. Whether a card needs a
// passcode at the till is not the register's to decide from the card's `passcode` field (its meanings
// disagree between the SDKs). Threads: any.
//
// # Safety
// `client` and `card` are NULL or live; `passcode` is NULL or NUL-terminated; `out_valid` is NULL or writable.
function sx_card_check_passcode(client: Psx_client; card: Psx_card; passcode: PAnsiChar; out_valid: PUInt32): sx_result; cdecl; external SMARTX_LIB;

// The card's balance slip: `POST /api/v2/Loyalty/MerchantCards/{id}/getCardBalanceReceipt` with
// `{"cardnumber", "terminal_id"}`. `terminal_id` may be NULL (not sent); what it must hold is documented
// nowhere (1 to 64 visible ASCII characters when given).
//
// `SX_OK`: `*out` receives a receipt document: its customer receipt (`SX_RECEIPT_CUSTOMER`) holds the
// answer's `receipt_header[]` lines then its `receipt[]` lines, so that `sx_receipt_render` prints the slip in
// one more call, exactly as a transaction's; `sx_transaction_get_json` reads `/balance`, `/cash_balance`,
// `/bonus_balance`, `/points`. It is no transaction: its id and status are "". `SX_ERR_NOT_OK`: the API
// answered `valid: false` (the card cannot be used); `*out` untouched. `SX_ERR_BAD_RESPONSE`: an amount that
// is not whole cents, or lines that are not a list. Blocks for at most the total timeout.
//
// Ownership: `*out` (on `SX_OK`) is the caller's, freed with `sx_transaction_free`. Threads: any.
//
// # Safety
// `client` and `card` are NULL or live; `terminal_id` is NULL or NUL-terminated; `out` is NULL or writable.
function sx_card_balance_receipt(client: Psx_client; card: Psx_card; terminal_id: PAnsiChar; out_: PPsx_transaction): sx_result; cdecl; external SMARTX_LIB;

// Makes a client and writes it to `*out`. Sends nothing.
//
// `base_url`: `"testing"` (`https://connect-testing.secuconnect.com`) or `"live"` (`https://connect.secucard.com`)
// name the two hosts; any other text is a URL checked as by `sx_set_base_url`; NULL means the environment
// variable `SX_BASE_URL`, else testing. Invalid: `SX_ERR_INVALID_ARGUMENT`, `*out` untouched.
// Defaults: 10 s connect, 60 s total, 5 minutes for calls that wait for a card terminal; the system's trusted
// roots (Mozilla's where the system has none); no proxy (never one from the environment); no log; no token.
// A call's timeout covers all of it, the token requests it makes included (see `sx_client_set_timeouts`).
// Ownership: the caller owns `*out` and frees it with `sx_client_free`. Threads: any.
//
// # Safety
// `base_url` is NULL or NUL-terminated; `out` is NULL or writable.
function sx_client_new(base_url: PAnsiChar; out_: PPsx_client): sx_result; cdecl; external SMARTX_LIB;

// Frees a client, its tokens and its connections; NULL does nothing.
//
// Threads: call it once no other thread uses the client (no call, pairing or log callback under way). The log
// callback is never called once it returned.
//
// # Safety
// `client` is NULL or came from `sx_client_new` and is not used afterwards.
procedure sx_client_free(client: Psx_client); cdecl; external SMARTX_LIB;

// Sets the timeouts of the client's later calls, in milliseconds; 0 means the default of each.
//
// `connect_ms` bounds connecting (default 10000; a timeout there is `SX_ERR_CONNECT`, nothing sent);
// `total_ms` bounds a whole call, answer included (default 60000; a timeout after sending is
// `SX_ERR_OUTCOME_UNKNOWN`); `terminal_ms` replaces `total_ms` for the calls that wait for a card terminal
// (start cashless and cashless_direct, canceltrx, endOfDay, diagnosis; default 300000).
//
// The deadline rule: a call ends within its timeout from its start, whatever it sends on the way: the token
// requests (a renewal, or waiting for another thread's renewal), its own request and the one repeat after a
// refused token all share it; each request gets the time left, and connecting the connect timeout or the time
// left, whichever is shorter. A token request ends within `total_ms` at most, also in a call that waits for a
// terminal. When the time runs out before the call's own request was sent (a slow or silent token endpoint),
// the call fails with `SX_ERR_CONNECT` and a message saying that it was not sent: safe to try again.
// Threads: any; calls under way keep their values, later calls open new connections.
//
// # Safety
// `client` is NULL or a live client.
function sx_client_set_timeouts(client: Psx_client; connect_ms: UInt32; total_ms: UInt32; terminal_ms: UInt32): sx_result; cdecl; external SMARTX_LIB;

// Trusts the CA certificates of a PEM file on top of the roots (a private CA of a test system or a proxy).
//
// The file is read and checked now: a missing or unreadable file, bad PEM, or a file with no certificate is
// `SX_ERR_INVALID_ARGUMENT`, and nothing changes. May be called more than once; the certificates add up.
// Ownership: the path is read during the call only; the certificates are copied. Threads: any; later calls
// use the new roots.
//
// # Safety
// `client` is NULL or a live client; `pem_path` is NULL or NUL-terminated.
function sx_client_add_ca_file(client: Psx_client; pem_path: PAnsiChar): sx_result; cdecl; external SMARTX_LIB;

// Sends the client's later calls through an HTTP CONNECT proxy, `http://host:port` (no user name, path or
// query); NULL removes the proxy. The proxy sees the host and port of each call; the calls themselves go
// through the tunnel, with TLS to the API host. Never taken from the environment (`HTTPS_PROXY` is ignored).
// Invalid: `SX_ERR_INVALID_ARGUMENT`, nothing changes. A proxy that cannot be reached makes calls fail with
// `SX_ERR_CONNECT`. Threads: any; calls under way keep their way.
//
// # Safety
// `client` is NULL or a live client; `proxy_url` is NULL or NUL-terminated.
function sx_client_set_proxy(client: Psx_client; proxy_url: PAnsiChar): sx_result; cdecl; external SMARTX_LIB;

// Sends the client's log lines of level `max_level` and below to `callback` (`SX_LOG_ERROR` 1 to
// `SX_LOG_DEBUG` 4; 0 or a NULL callback: no log). More than 4: `SX_ERR_INVALID_ARGUMENT`.
//
// At `SX_LOG_INFO` one line per request (method, path, status or failure, time taken); at `SX_LOG_WARN` the
// reasons for renewals and repeats; at `SX_LOG_ERROR` failures. No line ever holds a token, client secret,
// refresh token or device code, nor any piece of one of 6 characters or more, and card numbers are masked to
// their last four digits, at every level.
//
// Changing the log: once `sx_client_set_log` (or `sx_client_free`) returns, the earlier callback is never
// called again, also not by calls under way on other threads (their later lines go to the new callback): it
// waits for lines being written to the earlier callback on other threads, so that the earlier `user_data` may
// be freed as soon as it returns. Called from inside the log callback it would wait for itself: it returns
// `SX_ERR_INVALID_ARGUMENT` there and changes nothing.
// Ownership: `user_data` is passed back as it is; the library never frees it. Threads: the callback is called
// on the thread that makes a call, possibly on several threads at once; it must not call into the library
// (`sx_client_set_log` from inside it is refused, see above).
//
// # Safety
// `client` is NULL or a live client; `callback` is NULL or a function that may be called with `user_data`
// from any thread at once until the client is freed or the log is changed.
function sx_client_set_log(client: Psx_client; callback: sx_log_callback; user_data: Pointer; max_level: UInt32): sx_result; cdecl; external SMARTX_LIB;

// Uses a token the register got elsewhere for the client's later calls. It is never renewed: a call it is
// refused for fails with `SX_ERR_UNAUTHORIZED` and is not repeated. 1 to 4096 visible ASCII characters, else
// `SX_ERR_INVALID_ARGUMENT`. Replaces earlier credentials and tokens. Ownership: copied. Threads: any.
//
// # Safety
// `client` is NULL or a live client; `access_token` is NULL or NUL-terminated.
function sx_client_use_token(client: Psx_client; access_token: PAnsiChar): sx_result; cdecl; external SMARTX_LIB;

// Gets tokens with the `client_credentials` grant, at the first call and whenever one is due: kept in
// memory, renewed `expires_in - 10` s after issue (with the refresh token first if one came with it), and
// after a refusal of the token (HTTP 401, or 403 with code 2003) renewed and the call sent once more. A token
// answer without `expires_in` (it is optional in OAuth), or with one that is not 0 to 86400 seconds, gets a
// lifetime of 5 minutes: renewed early rather than refused. A 401 from the token endpoint is
// `SX_ERR_UNAUTHORIZED` whatever its body. When no token can be got, the call is not sent; its message says so. Both
// 1 to 4096 visible ASCII characters. Sends nothing now. Replaces earlier credentials and tokens.
// When the refresh is refused, the client credentials get the token for the same call; when it fails
// otherwise (a 5xx, an answer that is not OAuth's, no answer in time), that call fails, the refresh token is
// dropped, and the next call gets its token with the client credentials.
// Ownership: copied. Threads: any; one thread renews at a time while the others wait for its token, each no
// longer than its own call's timeout; when the renewal fails, the threads that waited for it fail with it.
//
// # Safety
// `client` is NULL or a live client; `client_id` and `client_secret` are NULL or NUL-terminated.
function sx_client_use_client_credentials(client: Psx_client; client_id: PAnsiChar; client_secret: PAnsiChar): sx_result; cdecl; external SMARTX_LIB;

// Gets tokens with a refresh token kept from an earlier pairing (`sx_client_refresh_token`), at the first
// call and whenever one is due, as for `sx_client_use_client_credentials`. When the refresh token is refused
// or has expired, calls fail with `SX_ERR_EXPIRED`: pair again. A refresh that fails otherwise (a 5xx, an
// answer that is not OAuth's, no answer in time) fails that call and keeps the refresh token for the next one:
// there is no other way to a token here. Sends nothing now. Ownership: copied. Threads: any.
//
// # Safety
// `client` is NULL or a live client; the strings are NULL or NUL-terminated.
function sx_client_use_refresh_token(client: Psx_client; client_id: PAnsiChar; client_secret: PAnsiChar; refresh_token: PAnsiChar): sx_result; cdecl; external SMARTX_LIB;

// Pairs the till with the merchant's account (the device flow) and blocks until the merchant confirms
// (`SX_OK`: the client now holds the tokens and renews them with the refresh token; keep that one with
// `sx_client_refresh_token` for the next start), the code expires (`SX_ERR_EXPIRED`), `sx_client_cancel` is
// called from another thread (`SX_ERR_CANCELLED`, within a second), the merchant refuses
// (`SX_ERR_UNAUTHORIZED`) or a request fails (its own code).
//
// `on_code` receives the code to show the merchant, once, before the polling starts. Polls every `interval`
// seconds the server names, but never more than once a second (an interval under 1 s, 0 included, is 1 s; a
// missing or negative one is RFC 8628's 5 s); `authorization_pending` keeps polling, `slow_down` adds 5 s.
// Each request of the pairing has the total timeout; a cancel also ends a poll that waits for its answer. `client_id`,
// `client_secret` and `device_uuid` (e.g. "/vendor/acme/cashier/till-7") are 1 to 4096 visible ASCII
// characters. Ownership: the strings are read during the call; `user_data` is passed to `on_code` as it is.
// Threads: any; other calls on the client go on meanwhile.
//
// # Safety
// `client` is NULL or a live client; the strings are NULL or NUL-terminated; `on_code` is NULL or a function
// that may be called with `user_data` on this thread.
function sx_client_pair(client: Psx_client; client_id: PAnsiChar; client_secret: PAnsiChar; device_uuid: PAnsiChar; on_code: sx_pair_callback; user_data: Pointer): sx_result; cdecl; external SMARTX_LIB;

// Gets the client ready for a payment, so that the payment itself costs one round trip: call it when the
// cashier starts a sale (the first item scanned, or the "total" key), while the customer is still busy.
//
// It renews the token now if it would be due within the next 5 minutes (at most halfway through its life),
// then makes a connection to the API ready: looks the host up, connects and completes TLS, or finds the pooled
// connection still open. A server closes idle connections after seconds, and a payment after an idle gap would
// otherwise pay the look-up, TCP, TLS and a renewal before its own request.
//
// It sends no API request and changes nothing. It returns within the connect timeout (`sx_client_set_timeouts`).
// Called again while the token and the connection are fresh, it sends nothing and costs microseconds (a
// probe of the pooled connection): call it as often as convenient. Results: `SX_OK`; `SX_ERR_CONNECT` (no
// connection, or the token endpoint unreachable or its answer lost); `SX_ERR_TLS`; `SX_ERR_UNAUTHORIZED`
// (no credentials, or credentials refused), `SX_ERR_EXPIRED` (pair again), as the calls would. Whatever it
// returns, the next call works as without it. Sets the last error, not the last HTTP status or response.
// Threads: any, also while other calls of the client are under way (it readies one more pooled connection).
//
// # Safety
// `client` is NULL or a live client.
function sx_client_prepare(client: Psx_client): sx_result; cdecl; external SMARTX_LIB;

// Ends the `sx_client_pair` calls under way on this client, from any thread: they return `SX_ERR_CANCELLED`
// within a second, also while a poll waits for its answer (on Windows such a poll runs to its timeout first).
// A pairing started later is not affected. NULL does nothing.
//
// # Safety
// `client` is NULL or a live client.
procedure sx_client_cancel(client: Psx_client); cdecl; external SMARTX_LIB;

// The client's refresh token (from pairing, or given), to store and give back with
// `sx_client_use_refresh_token` the next morning. Written by the buffer rule; "" (length 0) when the client
// holds none. It is a secret: store it as one. Threads: any; returns at once, also while a renewal is on the
// wire.
//
// # Safety
// `client` is NULL or a live client; `buf` is NULL or writable for `cap` bytes; `out_len` is NULL or writable.
function sx_client_refresh_token(client: Psx_client; buf: PAnsiChar; cap: NativeUInt; out_len: PNativeUInt): sx_result; cdecl; external SMARTX_LIB;

// `sx_start_cash` with the client's configuration and token: registers a payment the register took itself
// for the Smart Transaction `id`. The answer, the result codes and the buffer rule are those of
// `sx_start_cash`. A refused token (HTTP 401, or 403 with code 2003: not executed) is renewed and the call sent
// once more, unless the token is fixed; nothing else is ever repeated. Threads: any, at once; the last error,
// status and response are per thread.
//
// # Safety
// `client` is NULL or a live client; `id` is NULL or NUL-terminated; `out_buf` is NULL or writable for
// `out_cap` bytes; `out_len` is NULL or writable.
function sx_client_start_cash(client: Psx_client; id: PAnsiChar; out_buf: PAnsiChar; out_cap: NativeUInt; out_len: PNativeUInt): sx_result; cdecl; external SMARTX_LIB;

// Sets the API base URL for every later call in the process, e.g. `https://connect.secucard.com`.
//
// Default: the environment variable `SX_BASE_URL` read at first use, else
// `https://connect-testing.secuconnect.com`. `https://` is accepted for any host; `http://` only for a
// loopback host (127.0.0.0/8, ::1, localhost), so that a token never travels in clear text. Anything else,
// or a URL with a user, query or fragment, gives `SX_ERR_INVALID_ARGUMENT` and changes nothing. The check
// looks nothing up and connects nowhere. A trailing slash is ignored; a path prefix is kept.
// Ownership: `url` is copied; the caller keeps it. Threads: any; calls under way finish with the old URL.
//
// # Safety
// `url` is NULL or a NUL-terminated string.
function sx_set_base_url(url: PAnsiChar): sx_result; cdecl; external SMARTX_LIB;

// Sets the timeouts of every later call in the process, in milliseconds. 0 for one of them means its built-in
// default (10 s connect, 60 s total), not the environment variable's value: a value set by function always
// replaces both the environment and earlier calls.
//
// `connect_ms` bounds connecting (default 10000; env `SX_CONNECT_TIMEOUT_MS`); a call that times out there
// gives `SX_ERR_CONNECT`: nothing was sent. `total_ms` bounds the whole call, answer included (default
// 60000; env `SX_TIMEOUT_MS`); a call that times out after connecting gives `SX_ERR_OUTCOME_UNKNOWN`.
// The next call opens new connections with these values. Threads: any; calls under way keep their values.
function sx_set_timeouts(connect_ms: UInt32; total_ms: UInt32): sx_result; cdecl; external SMARTX_LIB;

// Frees the global state before the library is unloaded (`dlclose`, `FreeLibrary`): the shared HTTP client,
// its idle connections, the settings made with `sx_set_*`, and the calling thread's last error and response.
// The library's one thread of its own, a host-name look-up (named `smartx-dns`, at most 4 at once), cannot be
// stopped while the system resolver blocks in it: it ends when the resolver gives up (typically 5 to 30 s),
// also after this call. IP literals and `localhost` are never looked up. Before unloading after a DNS failure,
// wait that long, or until no thread named `smartx-dns` is left.
//
// A later call sets the library up afresh (from the environment and the defaults). Other threads' last
// error and response are freed when those threads end. Threads: any; a call under way on another thread
// finishes normally, but unload the library only when no call is under way.
procedure sx_shutdown; cdecl; external SMARTX_LIB;

// Reads a device: `GET /api/v2/Smart/Devices/{device_id}` ("SDV_..."), e.g. the `device_destination` of a
// card payment (`sx_transaction_device_destination`): the terminal that took it.
//
// `SX_OK`: `*out` receives the device. An answer about another device, or a device whose `online` is not true
// or false, is `SX_ERR_BAD_RESPONSE`; an unknown id is the API's error (`SX_ERR_API`, or `SX_ERR_HTTP` for a
// bare 404). `device_id`: 1 to 128 of `A-Z a-z 0-9 _ -`, not `me`; else `SX_ERR_INVALID_ARGUMENT`, nothing
// sent. Blocks for at most the total timeout.
//
// Ownership: on `SX_OK` `*out` is the caller's, freed with `sx_device_free`. Threads: any.
//
// # Safety
// `client` is NULL or a live client; `device_id` is NULL or NUL-terminated; `out` is NULL or writable.
function sx_device_get(client: Psx_client; device_id: PAnsiChar; out_: PPsx_device): sx_result; cdecl; external SMARTX_LIB;

// The device routed to `device_id` for `routing_type` ("cashier", "zvt", "shopmodule", "webterminal"):
// `GET /api/v2/Smart/Devices/{device_id}/routing/{routing_type}`. A GUESS at the SDKs' way to find the till's
// terminal: with the register's own id and "zvt". The spec's only words are "Returns the specified Smart Device
// if it is assigned to a routing", and no example exists: check `sx_device_type` of the answer. Any device
// with an id is accepted. `SX_ERR_INVALID_ARGUMENT` for another `routing_type`, nothing sent.
//
// Ownership: on `SX_OK` `*out` is the caller's, freed with `sx_device_free`. Threads: any.
//
// # Safety
// `client` is NULL or a live client; `device_id` and `routing_type` are NULL or NUL-terminated; `out` is NULL or
// writable.
function sx_device_get_routed(client: Psx_client; device_id: PAnsiChar; routing_type: PAnsiChar; out_: PPsx_device): sx_result; cdecl; external SMARTX_LIB;

// Frees a device. NULL is a no-op; freeing twice is undefined behaviour. Threads: any, once no other thread
// uses `device`.
//
// # Safety
// `device` is NULL or a device from this library not yet freed.
procedure sx_device_free(device: Psx_device); cdecl; external SMARTX_LIB;

// Whether the API says the device is online, `online`, into `*out` (1 online, 0 offline). The API's only
// liveness field: it does NOT prove the terminal can pay (nothing says "ready", "busy" or "PIN pad in use").
// Only a payment or the terminal's diagnosis (`sx_terminal_diagnosis`) does. `SX_ERR_ABSENT` (`*out`
// untouched) when the answer has none; `SX_ERR_NULL_ARGUMENT` for a NULL `device` or `out`. Threads: any.
//
// # Safety
// `device` is NULL or a live device; `out` is NULL or writable.
function sx_device_online(device: Psx_device; out_: PUInt32): sx_result; cdecl; external SMARTX_LIB;

// The device's id, `id` ("SDV_...").
//
// UTF-8, never NULL ("" when absent or `device` is NULL), owned by the device and valid until
// `sx_device_free(device)`. Threads: any.
//
// # Safety
// `device` is NULL or a live device.
function sx_device_id(device: Psx_device): PAnsiChar; cdecl; external SMARTX_LIB;

// The device's type, `type`: "cashier" (a register), "zvt" (a card terminal), "shopmodule", "webterminal".
//
// UTF-8, never NULL ("" when absent or `device` is NULL), owned by the device and valid until
// `sx_device_free(device)`. Threads: any.
//
// # Safety
// `device` is NULL or a live device.
function sx_device_type(device: Psx_device): PAnsiChar; cdecl; external SMARTX_LIB;

// The device's description, `description`, as the merchant named it.
//
// UTF-8, never NULL ("" when absent or `device` is NULL), owned by the device and valid until
// `sx_device_free(device)`. Threads: any.
//
// # Safety
// `device` is NULL or a live device.
function sx_device_description(device: Psx_device): PAnsiChar; cdecl; external SMARTX_LIB;

// The device's vendor, `vendor` (e.g. "ingenico", "ccv", "android").
//
// UTF-8, never NULL ("" when absent or `device` is NULL), owned by the device and valid until
// `sx_device_free(device)`. Threads: any.
//
// # Safety
// `device` is NULL or a live device.
function sx_device_vendor(device: Psx_device): PAnsiChar; cdecl; external SMARTX_LIB;

// The terminal id, `tid`.
//
// UTF-8, never NULL ("" when absent or `device` is NULL), owned by the device and valid until
// `sx_device_free(device)`. Threads: any.
//
// # Safety
// `device` is NULL or a live device.
function sx_device_tid(device: Psx_device): PAnsiChar; cdecl; external SMARTX_LIB;

// The payment methods the contract allows for a basket's currency:
// `POST /api/v2/General/Contracts/{contract_id}/getAvailablePaymentMethods` with `{"currency": <the basket's>,
// "is_demo", "apiv2_products"}` (POST, but it changes nothing). `flags`: `SX_METHODS_DEMO`,
// `SX_METHODS_APIV2_NAMES`; other bits are `SX_ERR_INVALID_ARGUMENT`.
//
// `SX_OK`: `*out` receives the list: strings the register maps to its buttons. The API enumerates them
// nowhere; that they match `sx_transaction_start`'s method names is plausible, not documented. An answer that is
// not a JSON list of strings is `SX_ERR_BAD_RESPONSE`. The contract id ("GCR_...") is needed in e-commerce;
// a register with a card terminal may not need this call at all. Blocks for at most the total timeout.
//
// Ownership: on `SX_OK` `*out` is the caller's, freed with `sx_payment_methods_free`; `basket` is read during
// the call only. Threads: any.
//
// # Safety
// `client` and `basket` are NULL or live; `contract_id` is NULL or NUL-terminated; `out` is NULL or writable.
function sx_contract_payment_methods(client: Psx_client; contract_id: PAnsiChar; basket: Psx_basket; flags: UInt32; out_: PPsx_payment_methods): sx_result; cdecl; external SMARTX_LIB;

// The number of methods; 0 for a NULL `methods`. Threads: any.
//
// # Safety
// `methods` is NULL or a live list.
function sx_payment_methods_count(methods: Psx_payment_methods): NativeUInt; cdecl; external SMARTX_LIB;

// Method `index` (from 0) into `*out`, e.g. "creditcard": UTF-8, owned by the list and valid until
// `sx_payment_methods_free(methods)`. `SX_ERR_OUT_OF_RANGE` for `index >= sx_payment_methods_count(methods)`,
// `SX_ERR_NULL_ARGUMENT` for a NULL `methods` or `out`; `*out` is written only on `SX_OK`. Threads: any.
//
// # Safety
// `methods` is NULL or a live list; `out` is NULL or writable.
function sx_payment_methods_get(methods: Psx_payment_methods; index_: NativeUInt; out_: PPAnsiChar): sx_result; cdecl; external SMARTX_LIB;

// Frees a list from `sx_contract_payment_methods`, and its strings. NULL is a no-op. Threads: any, once no
// other thread uses `methods`.
//
// # Safety
// `methods` is NULL or a list from this library not yet freed.
procedure sx_payment_methods_free(methods: Psx_payment_methods); cdecl; external SMARTX_LIB;

// The number of idents (`idents[]`: loyalty cards and the like); 0 for a NULL `tx` or none. Threads: any.
//
// # Safety
// `tx` is NULL or a live transaction.
function sx_transaction_ident_count(tx: Psx_transaction): NativeUInt; cdecl; external SMARTX_LIB;

// Fills `*out` with ident `index` (from 0).
//
// `SX_ERR_NULL_ARGUMENT` for a NULL `tx` or `out`, `SX_ERR_OUT_OF_RANGE` for
// `index >= sx_transaction_ident_count(tx)`; `*out` is written only on `SX_OK`.
// Ownership: the strings in `*out` belong to `tx` and stay valid until `sx_transaction_free(tx)`.
// Threads: any, also at once on the same `tx`.
//
// # Safety
// `tx` is NULL or a live transaction; `out` is NULL or writable.
function sx_transaction_ident_get(tx: Psx_transaction; index_: NativeUInt; out_: Psx_ident): sx_result; cdecl; external SMARTX_LIB;

// Opens the client's journal at `path` (UTF-8), or creates the file (never its folder) with mode 0600 on
// unix. A 0-byte file is a new journal, and so is an SQLite file with nothing in it (no table, no application id:
// what a process killed during its very first open leaves). Call it once, before the first call of the client, then
// `sx_client_reconcile` to settle what an earlier run left in flight.
//
// `SX_ERR_INVALID_ARGUMENT`: the client has a journal already (a failed open does not count).
// `SX_ERR_JOURNAL`: the file cannot be created, opened or written (a missing folder, no permission, a
// read-only file, folder or file system, a full disk, a lock held by another past the client's connect
// timeout: a journal that could not take an entry is refused here, at start-up, and the message names the
// cause), or it is not a smartx journal, or it is damaged (it fails
// SQLite's integrity check or its schema is not ours): such a file is left byte for byte as it was, never
// recreated, truncated or repaired; the message says why. Several clients and processes may open one file.
// Ownership: `path` is read during the call only. Threads: any.
//
// # Safety
// `client` is NULL or a live client; `path` is NULL or NUL-terminated.
function sx_client_open_journal(client: Psx_client; path: PAnsiChar): sx_result; cdecl; external SMARTX_LIB;

// The PENDING entries of the client's journal, oldest first: the calls whose result is not known yet. `*out`
// receives a new list the caller owns and frees with `sx_journal_list_free`; on failure it is left as it was.
// `SX_ERR_JOURNAL` when no journal is open or the file cannot be read. Threads: any.
//
// # Safety
// `client` is NULL or a live client; `out` is NULL or writable.
function sx_journal_pending(client: Psx_client; out_: PPsx_journal_list): sx_result; cdecl; external SMARTX_LIB;

// The newest `max_entries` entries of the client's journal (0: every entry), newest first: to print a receipt
// again, or to show the day's calls. `*out` as for `sx_journal_pending`. Threads: any.
//
// # Safety
// `client` is NULL or a live client; `out` is NULL or writable.
function sx_journal_recent(client: Psx_client; max_entries: UInt32; out_: PPsx_journal_list): sx_result; cdecl; external SMARTX_LIB;

// The number of entries in a list (0 for NULL). Threads: any.
//
// # Safety
// `list` is NULL or a live list.
function sx_journal_list_count(list: Psx_journal_list): NativeUInt; cdecl; external SMARTX_LIB;

// Writes entry `index` (from 0) of a list to `*out`. `SX_ERR_OUT_OF_RANGE` for `index >= count`, `*out`
// untouched. Ownership: the strings of `*out` belong to the list and stay valid until
// `sx_journal_list_free`. Threads: any, also at once on one list.
//
// # Safety
// `list` is NULL or a live list; `out` is NULL or writable.
function sx_journal_list_get(list: Psx_journal_list; index_: NativeUInt; out_: Psx_journal_entry): sx_result; cdecl; external SMARTX_LIB;

// The transaction of entry `index` as its answer or a read-back of reconcile gave it (a paid start: the
// receipt to print again, with `sx_receipt_render` or `sx_receipt_render_copy`, without the network); NULL
// when there is none (the call got no transaction back) or for a NULL list or an index past the end.
//
// Ownership: borrowed; it belongs to the list, stays valid until `sx_journal_list_free`, and must not be given
// to `sx_transaction_free`. Threads: any, also at once on one list.
//
// # Safety
// `list` is NULL or a live list.
function sx_journal_list_transaction(list: Psx_journal_list; index_: NativeUInt): Psx_transaction; cdecl; external SMARTX_LIB;

// Frees a list, its strings and its transactions. NULL does nothing; freeing twice is undefined behaviour.
// Threads: any, once no other thread uses the list.
//
// # Safety
// `list` is NULL or a list from `sx_journal_pending` or `sx_journal_recent` not yet freed.
procedure sx_journal_list_free(list: Psx_journal_list); cdecl; external SMARTX_LIB;

// Settles the PENDING entries by asking the API, oldest first; never repeats a call. Call it at start-up after
// `sx_client_open_journal`, and whenever the network is back.
//
// A start: the transaction read back (paid: DONE; not paid, e.g. `created` or `failed`: NOT_DONE; in progress
// or an unknown status: stays PENDING). A cancel or abort: read back; the state the call makes (cancelled or
// canceled; aborted): DONE; an in-progress state: PENDING; any other: NOT_DONE. A create: its reference
// listed over all pages and matched byte for byte; exactly one match: DONE with its `transaction_id`; none:
// NOT_DONE; several: stays PENDING for a person (`sx_journal_settle`). A cancel by receipt number: the API
// has no read by receipt number, so only an entry whose answer named the transaction is read back (as a
// cancel); the others stay PENDING for a person. A read-back's transaction is kept with its entry.
//
// Skips the entries of calls still under way: of this client, of other clients of this process, and of
// other processes that still run (each entry records its writer's process id and start time; a process that
// ended, or whose id now names another process, runs no call any more).
//
// A failed read leaves its entry PENDING and reconcile goes on with the next, except after `SX_ERR_CONNECT`
// or `SX_ERR_TLS` (the network is down: it stops). Returns `SX_OK` when every read it made worked, else the
// first failure's code (`SX_ERR_JOURNAL` without a journal). `*settled` (entries this call moved out of
// PENDING) and `*still_pending` (PENDING after it) are written in both cases; either may be NULL. It changes
// only an entry's outcome, `settled_ms`, kept transaction and a create's `transaction_id`. Blocks for the
// reads it makes, each within the total timeout. Threads: any; two reconciles at once settle each entry once.
//
// # Safety
// `client` is NULL or a live client; `settled` and `still_pending` are NULL or writable.
function sx_client_reconcile(client: Psx_client; settled: PNativeUInt; still_pending: PNativeUInt): sx_result; cdecl; external SMARTX_LIB;

// A person's decision for what no read-back can settle: PENDING entry `seq` becomes `outcome`
// (`SX_OUTCOME_DONE` or `SX_OUTCOME_NOT_DONE`). Any other entry (settled already, or none) or outcome is
// `SX_ERR_INVALID_ARGUMENT`. Threads: any.
//
// # Safety
// `client` is NULL or a live client.
function sx_journal_settle(client: Psx_client; seq: Int64; outcome: UInt32): sx_result; cdecl; external SMARTX_LIB;

// Copies this thread's last failure message into `buf` ("" after a success).
//
// Read it right after the call that failed: the next call on the thread that returns `SX_OK` (a receipt
// render, an accessor) clears it, and one that fails (a size query's `SX_ERR_BUFFER_TOO_SMALL`) replaces it.
//
// Buffer rule: with `cap >= len + 1`, writes the message and a NUL, sets `*out_len = len`, returns `SX_OK`;
// else sets `*out_len = len`, writes nothing and returns `SX_ERR_BUFFER_TOO_SMALL` (`buf` may be NULL when
// `cap` is 0: a size query). `out_len` must not be NULL.
// The message is UTF-8, names the HTTP status, the API's `error`, `error_details` and `supportId` where there
// are any, and never contains the token. This function does not change the last error, whatever it returns.
// Threads: any; each thread has its own last error.
//
// # Safety
// `buf` is NULL or writable for `cap` bytes; `out_len` is NULL or writable.
function sx_last_error_message(buf: PAnsiChar; cap: NativeUInt; out_len: PNativeUInt): sx_result; cdecl; external SMARTX_LIB;

// The HTTP status of this thread's last call that went to the network; 0 if no answer came (or no call yet).
// When a client call failed because the token endpoint refused the credentials, it is that answer's status
// (the call's own request was never sent), and sx_last_response is empty.
//
// Threads: any; each thread has its own.
function sx_last_http_status: Int32; cdecl; external SMARTX_LIB;

// Copies the body of this thread's last answer, whatever its status, into `buf` ("" if no answer came).
// This is how the answer to a payment is read after `SX_ERR_BUFFER_TOO_SMALL`, without sending it again.
//
// Buffer rule as for `sx_last_error_message`. The body is kept until this thread's next network call or
// `sx_shutdown`. It is the server's bytes: normally UTF-8 JSON, but not checked; a body can contain NUL bytes,
// so use `*out_len`, not `strlen`. This function changes nothing, whatever it returns.
// Threads: any; each thread has its own.
//
// # Safety
// `buf` is NULL or writable for `cap` bytes; `out_len` is NULL or writable.
function sx_last_response(buf: PAnsiChar; cap: NativeUInt; out_len: PNativeUInt): sx_result; cdecl; external SMARTX_LIB;

// Creates a Smart Transaction from the basket: `POST /api/v2/Smart/Transactions` (status `created`).
//
// The basket's sum is computed first: an overflow or a negative total is `SX_ERR_INVALID_ARGUMENT` and
// nothing is sent. `SX_OK` on HTTP 2xx with a transaction; keep its id (`sx_transaction_id`) for the start.
// The request names no transaction, so the answer cannot be matched by id: one without an `id` string is
// `SX_ERR_BAD_RESPONSE` (a transaction may have been created unseen, as after `SX_ERR_OUTCOME_UNKNOWN`).
// After `SX_ERR_OUTCOME_UNKNOWN` a transaction may have been created unseen: it stays `created` and is never
// paid, so creating another one is safe. `basket` is read during the call only and stays the caller's.
// Blocks for at most the total timeout.
//
// Arguments are checked before anything is sent (a NULL `client`, `basket` or `out` is
// `SX_ERR_NULL_ARGUMENT`). The answer's body is this thread's last response (`sx_last_response`).
// Ownership: `*out` (when written) is the caller's, freed with `sx_transaction_free`. Threads: any, at once
// on a shared client; the last response is per thread.
//
// # Safety
// `client` and `basket` are NULL or live handles; `out` is NULL or writable.
function sx_transaction_create(client: Psx_client; basket: Psx_basket; out_: PPsx_transaction): sx_result; cdecl; external SMARTX_LIB;

// Reads a transaction: `GET /api/v2/Smart/Transactions/{id}`. `SX_OK` on HTTP 2xx with transaction `id`,
// whatever its status; an answer about another transaction or none is `SX_ERR_BAD_RESPONSE` (read again).
// Blocks for at most the total timeout.
//
// Arguments are checked before anything is sent (`id` 1 to 128 of `A-Z a-z 0-9 _ -`, not `me` in any case; else
// `SX_ERR_NULL_ARGUMENT` / `SX_ERR_INVALID_ARGUMENT`). The answer's body is this thread's last
// response (`sx_last_response`). Ownership: `*out` (when written) is the caller's, freed with
// `sx_transaction_free`; the strings are read during the call only. Threads: any, at once on a shared client; the last response is per thread.
//
// # Safety
// `client` is NULL or a live client; `id` is NULL or NUL-terminated; `out` is NULL or writable.
function sx_transaction_get(client: Psx_client; id: PAnsiChar; out_: PPsx_transaction): sx_result; cdecl; external SMARTX_LIB;

// Pays transaction `id` with `method` (`cash`, `cashless`, `debit`, `invoice`, `loyalty`, `prepaid`,
// `ccload`, ...): `POST /api/v2/Smart/Transactions/{id}/start/{method}`. `loyalty` and `prepaid` pay from
// the customer's card: the basket needs its ident (`sx_basket_set_ident`). `cashless_direct` needs the
// terminal's details: it is `SX_ERR_INVALID_ARGUMENT` here (nothing sent); use
// `sx_transaction_start_cashless_direct`.
//
// `SX_OK` like `sx_start_cash`: HTTP 2xx, transaction `id` and status `ok`, paid; print the receipt. An answer
// about another transaction or none is `SX_ERR_BAD_RESPONSE`: the payment may have been made, read it back
// (`sx_transaction_check`), do not pay again. `SX_ERR_NOT_OK`: the
// transaction came back otherwise (a declined card: `failed`); `*out` is written then too, and its receipt
// must be printed as well. A second start of the same transaction is refused by the API (`SX_ERR_API`).
// `cashless`, `debit`, `ccload` and `auto` wait for the card terminal (PIN entry, authorisation): they block
// for at most the client's terminal timeout; `cash`, `invoice`, `loyalty` and `prepaid` for the total timeout.
//
// Never repeated. After `SX_ERR_OUTCOME_UNKNOWN` the payment may have been made: run the loop of
// `sx_transaction_check` before starting again.
//
// Arguments are checked before anything is sent (`id` 1 to 128 of `A-Z a-z 0-9 _ -`, not `me` in any case,
// `method` 1 to 32 of `a-z _`; else `SX_ERR_NULL_ARGUMENT` / `SX_ERR_INVALID_ARGUMENT`). The answer's body
// is this thread's last
// response (`sx_last_response`). Ownership: `*out` (when written) is the caller's, freed with
// `sx_transaction_free`; the strings are read during the call only. Threads: any, at once on a shared client; the last response is per thread.
//
// # Safety
// `client` is NULL or a live client; `id` and `method` are NULL or NUL-terminated; `out` is NULL or writable.
function sx_transaction_start(client: Psx_client; id: PAnsiChar; method: PAnsiChar; out_: PPsx_transaction): sx_result; cdecl; external SMARTX_LIB;

// Replaces the basket of a transaction not started yet: `PUT /api/v2/Smart/Transactions/{id}`.
//
// The body always holds the basket's products and `basket_info` (sum, currency): the API removes the basket
// of a PUT without them. The references and the ident are sent when the basket has them; a basket without
// them leaves the transaction's as they are. Only while `created`: after the start the API refuses
// (`SX_ERR_API`, HTTP 400). The basket's sum is checked first, as for `sx_transaction_create` (an overflow or
// a negative total is `SX_ERR_INVALID_ARGUMENT`, nothing sent). `SX_OK` on HTTP 2xx with transaction `id`
// (an answer about another is `SX_ERR_BAD_RESPONSE`).
// An update changes nothing that was paid, so after `SX_ERR_OUTCOME_UNKNOWN` it may be sent again.
// Blocks for at most the total timeout.
//
// Arguments are checked before anything is sent (`id` 1 to 128 of `A-Z a-z 0-9 _ -`, not `me` in any case; else
// `SX_ERR_NULL_ARGUMENT` / `SX_ERR_INVALID_ARGUMENT`). The answer's body is this thread's last
// response (`sx_last_response`). Ownership: `*out` (when written) is the caller's, freed with
// `sx_transaction_free`; `basket` and `id` are read during the call only. Threads: any, at once on a shared
// client; the last response is per thread.
//
// # Safety
// `client` and `basket` are NULL or live handles; `id` is NULL or NUL-terminated; `out` is NULL or writable.
function sx_transaction_update(client: Psx_client; id: PAnsiChar; basket: Psx_basket; out_: PPsx_transaction): sx_result; cdecl; external SMARTX_LIB;

// Reports a card payment the register's own terminal made:
// `POST /api/v2/Smart/Transactions/{id}/start/cashless_direct` with `{"tid", "trace", "cardtype"}` (the
// terminal id, the trace number and the card type, e.g. "girocard", as the terminal printed them).
//
// Results as for `sx_transaction_start`: `SX_OK` on HTTP 2xx, transaction `id` and status `ok`
// (`SX_ERR_BAD_RESPONSE` for an answer about another or none); `SX_ERR_NOT_OK` with `*out`
// written too (print its receipt); a second start is refused (`SX_ERR_API`). Blocks for at most the client's
// terminal timeout. Never repeated: after `SX_ERR_OUTCOME_UNKNOWN` run the loop of `sx_transaction_check`.
//
// Arguments are checked before anything is sent (`id` 1 to 128 of `A-Z a-z 0-9 _ -`, not `me` in any case;
// `tid`, `trace` and `card_type` 1 to 64 bytes of UTF-8, not blank, without control characters such as CR or LF; else
// `SX_ERR_NULL_ARGUMENT` / `SX_ERR_INVALID_ARGUMENT`). The answer's body is this thread's last response
// (`sx_last_response`). Ownership: `*out` (when written) is the caller's, freed with `sx_transaction_free`;
// the strings are read during the call only. Threads: any, at once on a shared client; the last response is
// per thread.
//
// # Safety
// `client` is NULL or a live client; the strings are NULL or NUL-terminated; `out` is NULL or writable.
function sx_transaction_start_cashless_direct(client: Psx_client; id: PAnsiChar; tid: PAnsiChar; trace: PAnsiChar; card_type: PAnsiChar; out_: PPsx_transaction): sx_result; cdecl; external SMARTX_LIB;

// Reverses a paid transaction: `POST /api/v2/Smart/Transactions/{id}/cancel`; it becomes `cancelled`.
// Only after `ok`: otherwise the API refuses (`SX_ERR_API`). `SX_OK` only on HTTP 2xx with transaction `id`
// come back `cancelled` (or `canceled`): reversed. In another state it is `SX_ERR_NOT_OK` with `*out` written,
// and the message says which state and what it means: `ok` (or a later paid state) stands paid, not reversed;
// an in-progress state (`processing`, `pending`, `approved`): read it back later (`sx_transaction_get`). An
// answer about another transaction or none is `SX_ERR_BAD_RESPONSE`. After `SX_ERR_OUTCOME_UNKNOWN` or
// `SX_ERR_BAD_RESPONSE`, read it back (`sx_transaction_get`) before cancelling again.
//
// Arguments are checked before anything is sent (`id` 1 to 128 of `A-Z a-z 0-9 _ -`, not `me` in any case; else
// `SX_ERR_NULL_ARGUMENT` / `SX_ERR_INVALID_ARGUMENT`). The answer's body is this thread's last
// response (`sx_last_response`). Ownership: `*out` (when written) is the caller's, freed with
// `sx_transaction_free`; the strings are read during the call only. Threads: any, at once on a shared client; the last response is per thread.
//
// # Safety
// `client` is NULL or a live client; `id` is NULL or NUL-terminated; `out` is NULL or writable.
function sx_transaction_cancel(client: Psx_client; id: PAnsiChar; out_: PPsx_transaction): sx_result; cdecl; external SMARTX_LIB;

// Drops a transaction never started: `POST /api/v2/Smart/Transactions/{id}/abort`; it becomes `aborted`.
// Only while `created`: otherwise the API refuses (`SX_ERR_API`). `SX_OK` only on HTTP 2xx with transaction
// `id` come back `aborted`: dropped. In another state it is `SX_ERR_NOT_OK` with `*out` written, and the message
// says which state and what it means: `ok` stands paid (the sale was not dropped: treat it as paid, or cancel
// it with `sx_transaction_cancel`); `created` is still open; an in-progress state: read it back later. An
// answer about another transaction or none is `SX_ERR_BAD_RESPONSE`: read it back before aborting again.
//
// Arguments are checked before anything is sent (`id` 1 to 128 of `A-Z a-z 0-9 _ -`, not `me` in any case; else
// `SX_ERR_NULL_ARGUMENT` / `SX_ERR_INVALID_ARGUMENT`). The answer's body is this thread's last
// response (`sx_last_response`). Ownership: `*out` (when written) is the caller's, freed with
// `sx_transaction_free`; the strings are read during the call only. Threads: any, at once on a shared client; the last response is per thread.
//
// # Safety
// `client` is NULL or a live client; `id` is NULL or NUL-terminated; `out` is NULL or writable.
function sx_transaction_abort(client: Psx_client; id: PAnsiChar; out_: PPsx_transaction): sx_result; cdecl; external SMARTX_LIB;

// After `SX_ERR_OUTCOME_UNKNOWN`: reads the transaction back (`GET`, safe to repeat) and writes the verdict:
// `SX_VERDICT_PAID` (status `ok` or a later state), `SX_VERDICT_NOT_PAID` (`created`: the start never ran;
// `aborted`, `failed`, `cancelled`, `canceled`, `timeout`), `SX_VERDICT_IN_PROGRESS` (`processing`, `pending`,
// `approved`), else `SX_VERDICT_UNKNOWN`. `*verdict` and `*out` are written on `SX_OK` only; a failed read
// returns its own code (e.g. `SX_ERR_CONNECT`, `SX_ERR_OUTCOME_UNKNOWN`: check again) and leaves both. An
// answer about another transaction than `id`, or with no `id` string, gives no verdict: it is
// `SX_ERR_BAD_RESPONSE` (check again), never PAID or NOT_PAID on another transaction's status.
//
// The loop a register runs after `SX_ERR_OUTCOME_UNKNOWN` from `sx_transaction_start`:
//
// ```c
// for (;;) {
//     sx_transaction *tx = NULL;
//     uint32_t verdict = SX_VERDICT_UNKNOWN;
//     if (sx_transaction_check(client, id, &verdict, &tx) != SX_OK) {
//         wait_a_while();                  // the read failed too: read again
//         continue;
//     }
//     if (verdict == SX_VERDICT_IN_PROGRESS) {
//         sx_transaction_free(tx);
//         wait_a_while();                  // the terminal is still at it
//         continue;
//     }
//     if (verdict == SX_VERDICT_PAID)
//         print_receipt(tx);               // paid: never start again
//     else if (verdict == SX_VERDICT_NOT_PAID && strcmp(sx_transaction_status(tx), "created") == 0)
//         start_again = 1;                 // the start never ran: the only case to start again
//     else
//         tell_the_cashier(tx);            // not paid and over, or unknown: a person decides
//     sx_transaction_free(tx);
//     break;
// }
// ```
//
// Arguments are checked before anything is sent (`id` 1 to 128 of `A-Z a-z 0-9 _ -`, not `me` in any case; else
// `SX_ERR_NULL_ARGUMENT` / `SX_ERR_INVALID_ARGUMENT`). The answer's body is this thread's last
// response (`sx_last_response`). Ownership: `*out` (when written) is the caller's, freed with
// `sx_transaction_free`; the strings are read during the call only. Threads: any, at once on a shared client; the last response is per thread.
//
// # Safety
// `client` is NULL or a live client; `id` is NULL or NUL-terminated; `verdict` and `out` are NULL or writable.
function sx_transaction_check(client: Psx_client; id: PAnsiChar; verdict: PUInt32; out_: PPsx_transaction): sx_result; cdecl; external SMARTX_LIB;

// Reverses a card payment at the terminal by the receipt number printed on its receipt, before the end of day
// settles it: `POST /api/v2/Smart/Transactions/{receipt_number}/canceltrx`.
//
// `SX_OK` only on HTTP 2xx with the reversed transaction come back `cancelled` (or `canceled`) and an `id` of
// its own (the request names none to compare: an answer without one is `SX_ERR_BAD_RESPONSE`). In another
// state it is `SX_ERR_NOT_OK` with `*out` written, as for `sx_transaction_cancel`: `ok` stands paid, not
// reversed; an in-progress state: read it back later. An unknown receipt number
// is `SX_ERR_API` (HTTP 404); one settled by an end of day `SX_ERR_API` (HTTP 400). Blocks at the terminal for
// at most the client's terminal timeout. Never repeated: after `SX_ERR_OUTCOME_UNKNOWN` read the transaction
// back (`sx_transaction_get`) before reversing again.
//
// Arguments are checked before anything is sent (`receipt_number` 1 to 64 of `A-Z a-z 0-9 _ -`, not `me` in
// any case; else
// `SX_ERR_NULL_ARGUMENT` / `SX_ERR_INVALID_ARGUMENT`). The answer's body is this thread's last response
// (`sx_last_response`). Ownership: `*out` (when written) is the caller's, freed with `sx_transaction_free`;
// the string is read during the call only. Threads: any, at once on a shared client; the last response is
// per thread.
//
// # Safety
// `client` is NULL or a live client; `receipt_number` is NULL or NUL-terminated; `out` is NULL or writable.
function sx_transaction_cancel_by_receipt(client: Psx_client; receipt_number: PAnsiChar; out_: PPsx_transaction): sx_result; cdecl; external SMARTX_LIB;

// Closes the day at this device's card terminal: `POST /api/v2/Smart/Transactions/me/endOfDay`. The
// terminal settles the card payments made since the last end of day; they can no longer be reversed by
// `sx_transaction_cancel_by_receipt`.
//
// The answer is the report to print, read as an `sx_transaction`: `sx_transaction_status` and the receipt
// lines (`sx_receipt_count`, `sx_receipt_render`); its raw JSON is this thread's last response. `SX_OK` on
// HTTP 2xx and status `ok`; `SX_ERR_NOT_OK` when the terminal answered with another status, with `*out`
// written too (its receipt says why); an answer with no status is `SX_ERR_BAD_RESPONSE`, its raw JSON still
// the last response. Blocks for at most the client's terminal timeout (the total timeout does
// not apply): a terminal timeout shorter than the terminal needs gives `SX_ERR_OUTCOME_UNKNOWN`, and the day
// may have been closed; running it again is harmless (it settles what came since) but the first report is
// then lost. Never repeated by the library.
//
// Ownership: `*out` (when written) is the caller's, freed with `sx_transaction_free`. Threads: any, at once
// on a shared client; the last response is per thread.
//
// # Safety
// `client` is NULL or a live client; `out` is NULL or writable.
function sx_terminal_end_of_day(client: Psx_client; out_: PPsx_transaction): sx_result; cdecl; external SMARTX_LIB;

// Asks this device's card terminal to check itself: `POST /api/v2/Smart/Transactions/me/diagnosis`.
//
// As `sx_terminal_end_of_day`: the answer is a report read as an `sx_transaction` (status and receipt lines;
// the raw JSON is this thread's last response), `SX_OK` on status `ok`, `SX_ERR_NOT_OK` with `*out` written
// otherwise, the client's terminal timeout, never repeated (a diagnosis changes nothing: asking again is
// safe).
//
// Ownership: `*out` (when written) is the caller's, freed with `sx_transaction_free`. Threads: any, at once
// on a shared client; the last response is per thread.
//
// # Safety
// `client` is NULL or a live client; `out` is NULL or writable.
function sx_terminal_diagnosis(client: Psx_client; out_: PPsx_transaction): sx_result; cdecl; external SMARTX_LIB;

// Asks, before the start, what remains to pay and which bonus products a customer card brings:
// `POST /api/v2/Smart/Transactions/{id}/preTransaction`. Only while the transaction is `created` (otherwise
// the API refuses: `SX_ERR_API`); it changes nothing at the API, so after `SX_ERR_OUTCOME_UNKNOWN` it may be
// asked again. An unknown `id` is `SX_ERR_API` or `SX_ERR_HTTP` (404). `SX_OK` on HTTP 2xx with a JSON object
// (`{"missing_sum": ..., "bonus_products": [...]}`). Blocks for at most the total timeout.
//
// Arguments are checked before anything is sent (`id` 1 to 128 of `A-Z a-z 0-9 _ -`, not `me` in any case; else
// `SX_ERR_NULL_ARGUMENT` / `SX_ERR_INVALID_ARGUMENT`). The answer's body is this thread's last response
// (`sx_last_response`). Ownership: on `SX_OK` `*out` receives a new object the caller owns and frees with
// `sx_pre_transaction_free`; otherwise `*out` is left as it was. `id` is read during the call only.
// Threads: any, at once on a shared client; the last response is per thread.
//
// # Safety
// `client` is NULL or a live client; `id` is NULL or NUL-terminated; `out` is NULL or writable.
function sx_transaction_pre_check(client: Psx_client; id: PAnsiChar; out_: PPsx_pre_transaction): sx_result; cdecl; external SMARTX_LIB;

// What remains to pay in cents, `missing_sum`, into `*out` (the sum less the card's balance and bonus).
// `SX_ERR_ABSENT` (and `*out` untouched) when the answer has none; `SX_ERR_NULL_ARGUMENT` for a NULL `pre`
// or `out`. Threads: any.
//
// # Safety
// `pre` is NULL or a live pre-check; `out` is NULL or writable.
function sx_pre_transaction_missing_sum(pre: Psx_pre_transaction; out_: PInt64): sx_result; cdecl; external SMARTX_LIB;

// The number of bonus products (`bonus_products[]`); 0 for a NULL `pre` or none. Threads: any.
//
// # Safety
// `pre` is NULL or a live pre-check.
function sx_pre_transaction_bonus_count(pre: Psx_pre_transaction): NativeUInt; cdecl; external SMARTX_LIB;

// Fills `*out` with bonus product `index` (from 0): a product whose `unit_price_cents` is negative (a
// discount), e.g. "Treuebonus 5 %".
//
// `SX_ERR_NULL_ARGUMENT` for a NULL `pre` or `out`, `SX_ERR_OUT_OF_RANGE` for
// `index >= sx_pre_transaction_bonus_count(pre)`; `*out` is written only on `SX_OK`.
// Ownership: the strings in `*out` belong to `pre` and stay valid until `sx_pre_transaction_free(pre)`.
// Threads: any, also at once on the same `pre`.
//
// # Safety
// `pre` is NULL or a live pre-check; `out` is NULL or writable.
function sx_pre_transaction_bonus_get(pre: Psx_pre_transaction; index_: NativeUInt; out_: Psx_product): sx_result; cdecl; external SMARTX_LIB;

// Frees a pre-check from `sx_transaction_pre_check`, and with it every string it handed out. NULL is a no-op;
// freeing twice is undefined behaviour. Threads: any, once no other thread uses `pre`.
//
// # Safety
// `pre` is NULL or a pre-check from this library not yet freed.
procedure sx_pre_transaction_free(pre: Psx_pre_transaction); cdecl; external SMARTX_LIB;

// Lays out a receipt (`which`: `SX_RECEIPT_CUSTOMER` or `SX_RECEIPT_MERCHANT`) for a printer and writes it
// to `buf` by the buffer rule: with `cap >= len + 1` the bytes and a NUL are written and `*out_len = len`;
// otherwise `SX_ERR_BUFFER_TOO_SMALL`, `*out_len = len`, nothing written (`buf` may be NULL when `cap` is 0:
// a size query). Rendering the same receipt with the same options always gives the same bytes.
//
// ESC/POS output is binary: it holds 0x00 bytes (in `ESC t 0`, `ESC E 0`, `GS V 66 0`), so use `*out_len`,
// never strlen, and write it with fwrite/write. Text output is UTF-8 without 0x00.
//
// Layout at `columns` characters, counted as the printer shows them: no row is wider and none ends in
// spaces. A separator is its caption centred between `=` rules (or alone, centred, when it is long), or a
// rule of `-` without a caption; a textline wraps at spaces, cuts a word longer than a row, and is left
// aligned unless decorated align-center / align-right (also the legacy align_right); a name-value line is the
// name at the left and the value ending in the last column, or when they do not fit the name (wrapped) and
// then the value right-aligned; a space is an empty row; a line of an unknown type prints the strings it
// carries as a left-aligned textline. Text is put in Unicode NFC first; control and zero-width characters are
// not printed; a nonspacing mark sits on the character before it, a spacing combining mark (Mc, e.g. U+0903)
// takes a column of its own, and a character a terminal shows double-wide (中) two. ESC/POS: `ESC @ ESC t n` first (unless `SX_RENDER_NO_INIT`), important lines between `ESC E 1`
// and `ESC E 0`, alignment by spaces, rows ending in "\n", `ESC d 3 GS V 66 0` at the end with
// `SX_RENDER_CUT`. A character the code page lacks is transliterated ("€" as "EUR", typographic quotes and
// dashes as ASCII, "ő" as "o") or printed as "?": never dropped, never a byte outside the code page.
// A receipt without lines gives "" (text) or only the set-up bytes (ESC/POS).
//
// `SX_ERR_NULL_ARGUMENT` for a NULL `tx` or `out_len`, or a NULL `buf` with `cap > 0`.
// `SX_ERR_INVALID_ARGUMENT` for `columns` not 0 and not 20 to 80, an unknown `format` or `codepage`, unknown
// `flags` bits, or an unknown `which`.
// Ownership: `options` is read during the call only (NULL = all fields 0); the caller owns `buf`.
// Threads: any, also at once on the same `tx`.
//
// # Safety
// `tx` is NULL or a live transaction; `options` is NULL or readable; `buf` is NULL or writable for `cap`
// bytes; `out_len` is NULL or writable.
function sx_receipt_render(tx: Psx_transaction; which: UInt32; options: Psx_render_options; buf: PAnsiChar; cap: NativeUInt; out_len: PNativeUInt): sx_result; cdecl; external SMARTX_LIB;

// Renders a receipt as `sx_receipt_render` does, for printing it again: `marker` (the register's words, e.g.
// "*** KOPIE ***" or "*** COPY ***") as a bold centred line at the top and at the bottom, so that a copy is never
// taken for the original. The receipt of an entry of the journal (`sx_journal_list_transaction`) prints again
// this way after a restart, without the network.
//
// `marker`: 1 to `SX_COPY_MARKER_MAX` (64) bytes of UTF-8 without control characters, else
// `SX_ERR_INVALID_ARGUMENT` (NULL: `SX_ERR_NULL_ARGUMENT`); a marker wider than the row wraps as a textline
// does. Everything else (options, the buffer rule, errors) as for `sx_receipt_render`. Ownership: `marker` and
// `options` are read during the call only. Threads: any, also at once on the same `tx`.
//
// # Safety
// `tx` is NULL or a live transaction; `options` is NULL or readable; `marker` is NULL or NUL-terminated;
// `buf` is NULL or writable for `cap` bytes; `out_len` is NULL or writable.
function sx_receipt_render_copy(tx: Psx_transaction; which: UInt32; options: Psx_render_options; marker: PAnsiChar; buf: PAnsiChar; cap: NativeUInt; out_len: PNativeUInt): sx_result; cdecl; external SMARTX_LIB;

// The number of lines of a receipt: `which` is `SX_RECEIPT_CUSTOMER` or `SX_RECEIPT_MERCHANT`.
// 0 for a NULL `tx`, an unknown `which`, or a receipt the answer did not have.
// Threads: any, also at once on the same `tx`.
//
// # Safety
// `tx` is NULL or a live transaction.
function sx_receipt_count(tx: Psx_transaction; which: UInt32): NativeUInt; cdecl; external SMARTX_LIB;

// Fills `*out` with line `index` (from 0) of a receipt (`which` as for `sx_receipt_count`).
//
// `SX_ERR_NULL_ARGUMENT` for a NULL `tx` or `out`, `SX_ERR_INVALID_ARGUMENT` for an unknown `which`,
// `SX_ERR_OUT_OF_RANGE` for `index >= sx_receipt_count(tx, which)`; `*out` is written only on `SX_OK`.
// Ownership: the strings in `*out` belong to `tx` and stay valid until `sx_transaction_free(tx)`.
// Threads: any, also at once on the same `tx`.
//
// # Safety
// `tx` is NULL or a live transaction; `out` is NULL or writable.
function sx_receipt_line_get(tx: Psx_transaction; which: UInt32; index_: NativeUInt; out_: Psx_receipt_line): sx_result; cdecl; external SMARTX_LIB;

// The library version, e.g. "0.1.0".
//
// Ownership: a static string owned by the library; never free it. Threads: any.
function sx_version: PAnsiChar; cdecl; external SMARTX_LIB;

// The name of a result code, e.g. "SX_ERR_CONNECT"; "SX_UNKNOWN_RESULT" for a value that is not a code.
//
// Ownership: a static string owned by the library; never free it; never NULL. Threads: any.
function sx_result_name(result_: sx_result): PAnsiChar; cdecl; external SMARTX_LIB;

// What the cashier does after `code`, in a sentence or two a person at the till understands: print the receipt;
// do not take the payment again (it may have gone through: the register reads the transaction back); try again;
// call support with the support id. For showing at the till beside `sx_last_error_message`, which is for the
// log and the support.
//
// `language`: `"de"` (German; also `"de-AT"`, `"de_CH"`, any case) or `"en"` (English); NULL or any other
// language gives English. Every result code has its own text; a value that is not a code gets a generic one
// (do not take the payment again before the register has checked, call support). UTF-8.
//
// Buffer rule as for `sx_last_error_message`. Like it, this function does not change the last error, whatever
// it returns, so a register can read both in either order. Static texts: no network. Threads: any.
//
// # Safety
// `language` is NULL or a NUL-terminated string; `buf` is NULL or writable for `cap` bytes; `out_len` is NULL or
// writable.
function sx_result_advice(code: sx_result; language: PAnsiChar; buf: PAnsiChar; cap: NativeUInt; out_len: PNativeUInt): sx_result; cdecl; external SMARTX_LIB;

// Registers a payment the register took itself (cash, its own card terminal) for the Smart Transaction `id`,
// so that a loyalty card's balance is applied to the rest: `POST {base}/api/v2/Smart/Transactions/{id}/start/cash`
// with `Authorization: Bearer {token}` and `Authenticate: Bearer {token}`.
//
// Arguments are checked before anything is sent: `id` is 1 to 128 of `A-Z a-z 0-9 _ -`, not `me` in any case;
// `token` is 1 to 4096 visible ASCII characters (no space, CR or LF); `out_len` must not be NULL; `out_buf` may
// be NULL only
// with `out_cap` 0. Otherwise `SX_ERR_NULL_ARGUMENT` / `SX_ERR_INVALID_ARGUMENT`, and nothing is sent.
//
// The answer: whenever one arrives (any HTTP status), its body is kept as this thread's last response
// (`sx_last_response`) and `*out_len` is set to its length (0 when no answer came). It is copied into
// `out_buf` with a NUL when it fits (`out_cap >= *out_len + 1`). `SX_OK` means HTTP 2xx, an answer about
// transaction `id` (its `"id"` a string equal to `id`) and `"status":"ok"`: paid; print the receipt
// (`sx_transaction_parse`). An answer about another transaction, or with no `"id"` string, is
// `SX_ERR_BAD_RESPONSE`: it is another request's answer, and this payment may have been made: read the
// transaction back, do not pay again. `SX_ERR_BUFFER_TOO_SMALL` means the same success with an
// answer that did not fit: read it with `sx_last_response`, never by calling again. Every other code is as
// in the table of result codes; for them the body, if any, is still copied when it fits.
//
// Never repeated automatically: after `SX_ERR_OUTCOME_UNKNOWN` the payment may have been registered; read
// the transaction back before trying again. Reading back needs a client: `sx_client_new`, `sx_client_use_token`
// with the same token, then the loop of `sx_transaction_check`. Redirects are never followed; answers over 16 MiB are not read.
// The call blocks the calling thread for at most the total timeout (`sx_set_timeouts`).
// Ownership: the strings are read during the call only; the caller owns `out_buf`.
// Threads: any, at once; connections are shared; the last error, status and response are per thread.
//
// # Safety
// `id` and `token` are NULL or NUL-terminated; `out_buf` is NULL or writable for `out_cap` bytes;
// `out_len` is NULL or writable.
function sx_start_cash(id: PAnsiChar; token: PAnsiChar; out_buf: PAnsiChar; out_cap: NativeUInt; out_len: PNativeUInt): sx_result; cdecl; external SMARTX_LIB;

// Parses a Smart Transaction (the answer of `sx_start_cash`, or any API answer holding one) from `len` bytes
// of UTF-8 JSON at `json` (no NUL needed).
//
// Lenient: fields of unexpected types, unknown fields, unknown receipt line types, a key given twice (the last
// counts), a number too large for a double and a leading UTF-8 byte-order mark never fail a parse; a lone UTF-16
// surrogate escape in a string (`"Caf\ud83d"`, half of a pair, as a backend that cuts UTF-16 writes) reads as
// U+FFFD. A receipt
// keeps at most 10000 lines. Malformed JSON, bad UTF-8 or a top level that is not an object give
// `SX_ERR_INVALID_ARGUMENT`. Every answer for which `sx_start_cash` returned `SX_OK` parses.
// On `SX_OK`, `*out` receives a new transaction that the caller owns and must free with
// `sx_transaction_free`; on any other result `*out` is left as it was.
// The answer of this thread's last `sx_start_cash` (`sx_client_start_cash`), given back byte for byte, was read
// by that call already: the first parse of it takes that reading instead of reading it again.
// Ownership: `json` is read during the call only. Threads: any.
//
// # Safety
// `json` is NULL or readable for `len` bytes; `out` is NULL or writable.
function sx_transaction_parse(json: PAnsiChar; len: NativeUInt; out_: PPsx_transaction): sx_result; cdecl; external SMARTX_LIB;

// The transaction's `id` (e.g. "STX_..."); "" when the answer had none or `tx` is NULL.
// Ownership: the string belongs to `tx` and stays valid until `sx_transaction_free(tx)`. Threads: any.
//
// # Safety
// `tx` is NULL or a live transaction.
function sx_transaction_id(tx: Psx_transaction): PAnsiChar; cdecl; external SMARTX_LIB;

// The transaction's `status` as the API wrote it ("created", "ok", "failed", "cancelled", ...); "" when the
// answer had none or `tx` is NULL. `sx_transaction_check` gives what it means for the register.
// Ownership: the string belongs to `tx` and stays valid until `sx_transaction_free(tx)`. Threads: any.
//
// # Safety
// `tx` is NULL or a live transaction.
function sx_transaction_status(tx: Psx_transaction): PAnsiChar; cdecl; external SMARTX_LIB;

// The total, `basket_info.sum`, in cents; 0 when absent or `tx` is NULL. Threads: any.
//
// # Safety
// `tx` is NULL or a live transaction.
function sx_transaction_sum(tx: Psx_transaction): Int64; cdecl; external SMARTX_LIB;

// Frees a transaction (from `sx_transaction_parse` or a `sx_transaction_` call), and with it every string
// it handed out.
// NULL is a no-op. Freeing the same transaction twice is undefined behaviour.
// Threads: any, once no other thread uses `tx`.
//
// # Safety
// `tx` is NULL or a transaction from this library not yet freed.
procedure sx_transaction_free(tx: Psx_transaction); cdecl; external SMARTX_LIB;

// The method the transaction was started with, `payment_method` ("cash", "cashless", "debit", ...).
// "" when absent or `tx` is NULL.
// Ownership: the string belongs to `tx` and stays valid until `sx_transaction_free(tx)`. Threads: any.
//
// # Safety
// `tx` is NULL or a live transaction.
function sx_transaction_payment_method(tx: Psx_transaction): PAnsiChar; cdecl; external SMARTX_LIB;

// The API's transaction number, `trans_id` (e.g. "29008411"; sent as a number or a string, read as its digits).
// "" when absent or `tx` is NULL.
// Ownership: the string belongs to `tx` and stays valid until `sx_transaction_free(tx)`. Threads: any.
//
// # Safety
// `tx` is NULL or a live transaction.
function sx_transaction_trans_id(tx: Psx_transaction): PAnsiChar; cdecl; external SMARTX_LIB;

// The card terminal's receipt number, `receipt_number` (e.g. "3"; number or string), which `canceltrx` takes.
// "" when absent or `tx` is NULL.
// Ownership: the string belongs to `tx` and stays valid until `sx_transaction_free(tx)`. Threads: any.
//
// # Safety
// `tx` is NULL or a live transaction.
function sx_transaction_receipt_number(tx: Psx_transaction): PAnsiChar; cdecl; external SMARTX_LIB;

// The currency of the sums, `basket_info.currency` (e.g. "EUR").
// "" when absent or `tx` is NULL.
// Ownership: the string belongs to `tx` and stays valid until `sx_transaction_free(tx)`. Threads: any.
//
// # Safety
// `tx` is NULL or a live transaction.
function sx_transaction_currency(tx: Psx_transaction): PAnsiChar; cdecl; external SMARTX_LIB;

// The merchant's id, `merchant.id` ("MRC_...").
// "" when absent or `tx` is NULL.
// Ownership: the string belongs to `tx` and stays valid until `sx_transaction_free(tx)`. Threads: any.
//
// # Safety
// `tx` is NULL or a live transaction.
function sx_transaction_merchant_id(tx: Psx_transaction): PAnsiChar; cdecl; external SMARTX_LIB;

// The merchant's name, `merchant.companyname` (e.g. "John's Bakery").
// "" when absent or `tx` is NULL.
// Ownership: the string belongs to `tx` and stays valid until `sx_transaction_free(tx)`. Threads: any.
//
// # Safety
// `tx` is NULL or a live transaction.
function sx_transaction_merchant_name(tx: Psx_transaction): PAnsiChar; cdecl; external SMARTX_LIB;

// When the transaction was created, `created`, ISO 8601 with offset as the API wrote it.
// "" when absent or `tx` is NULL.
// Ownership: the string belongs to `tx` and stays valid until `sx_transaction_free(tx)`. Threads: any.
//
// # Safety
// `tx` is NULL or a live transaction.
function sx_transaction_created(tx: Psx_transaction): PAnsiChar; cdecl; external SMARTX_LIB;

// When the transaction last changed, `updated`, ISO 8601 with offset as the API wrote it.
// "" when absent or `tx` is NULL.
// Ownership: the string belongs to `tx` and stays valid until `sx_transaction_free(tx)`. Threads: any.
//
// # Safety
// `tx` is NULL or a live transaction.
function sx_transaction_updated(tx: Psx_transaction): PAnsiChar; cdecl; external SMARTX_LIB;

// The register's own reference for the customer, `merchantRef`.
// "" when absent or `tx` is NULL.
// Ownership: the string belongs to `tx` and stays valid until `sx_transaction_free(tx)`. Threads: any.
//
// # Safety
// `tx` is NULL or a live transaction.
function sx_transaction_merchant_ref(tx: Psx_transaction): PAnsiChar; cdecl; external SMARTX_LIB;

// The register's own reference for the sale, `transactionRef` (e.g. a receipt number of the register).
// "" when absent or `tx` is NULL.
// Ownership: the string belongs to `tx` and stays valid until `sx_transaction_free(tx)`. Threads: any.
//
// # Safety
// `tx` is NULL or a live transaction.
function sx_transaction_transaction_ref(tx: Psx_transaction): PAnsiChar; cdecl; external SMARTX_LIB;

// `intent` ("sale" for a register).
// "" when absent or `tx` is NULL.
// Ownership: the string belongs to `tx` and stays valid until `sx_transaction_free(tx)`. Threads: any.
//
// # Safety
// `tx` is NULL or a live transaction.
function sx_transaction_intent(tx: Psx_transaction): PAnsiChar; cdecl; external SMARTX_LIB;

// The id of the device that made the transaction, `device_source.id` ("SDV_...").
// "" when absent or `tx` is NULL.
// Ownership: the string belongs to `tx` and stays valid until `sx_transaction_free(tx)`. Threads: any.
//
// # Safety
// `tx` is NULL or a live transaction.
function sx_transaction_device_source(tx: Psx_transaction): PAnsiChar; cdecl; external SMARTX_LIB;

// The id of the device it was sent to (e.g. a card terminal), `device_destination.id`.
// "" when absent or `tx` is NULL.
// Ownership: the string belongs to `tx` and stays valid until `sx_transaction_free(tx)`. Threads: any.
//
// # Safety
// `tx` is NULL or a live transaction.
function sx_transaction_device_destination(tx: Psx_transaction): PAnsiChar; cdecl; external SMARTX_LIB;

// The status as a number: one of the `SX_STATUS_` values for a status this library knows (both spellings
// "cancelled" and "canceled" give `SX_STATUS_CANCELLED`), `SX_STATUS_UNKNOWN` for any other, none, or a NULL
// `tx`. Matching is exact ("OK" is unknown); `sx_transaction_status` keeps the string as the API wrote it.
// Threads: any.
//
// # Safety
// `tx` is NULL or a live transaction.
function sx_transaction_status_code(tx: Psx_transaction): UInt32; cdecl; external SMARTX_LIB;

// What remains to pay in cents after a card's balance, `basket_info.missing_sum`, into `*out`.
//
// `SX_ERR_ABSENT` when the answer has none (then `*out` is untouched: 0 here does not mean "absent", it
// means nothing remains to pay); `SX_ERR_NULL_ARGUMENT` for a NULL `tx` or `out`. Threads: any.
//
// # Safety
// `tx` is NULL or a live transaction; `out` is NULL or writable.
function sx_transaction_missing_sum(tx: Psx_transaction; out_: PInt64): sx_result; cdecl; external SMARTX_LIB;

// The tip in cents, `basket_info.gratuity`, into `*out`; `SX_ERR_ABSENT` (and `*out` untouched) when the
// answer has none; `SX_ERR_NULL_ARGUMENT` for a NULL `tx` or `out`. Threads: any.
//
// # Safety
// `tx` is NULL or a live transaction; `out` is NULL or writable.
function sx_transaction_gratuity(tx: Psx_transaction; out_: PInt64): sx_result; cdecl; external SMARTX_LIB;

// Whether this is a demo transaction (`is_demo`: no money moved): `*out` = 1 or 0. `SX_ERR_ABSENT` (and
// `*out` untouched) when the answer has no `is_demo`; `SX_ERR_NULL_ARGUMENT` for a NULL `tx` or `out`.
// `true`/`false`, 1/0 and those as strings are all read. Threads: any.
//
// # Safety
// `tx` is NULL or a live transaction; `out` is NULL or writable.
function sx_transaction_is_demo(tx: Psx_transaction; out_: PUInt32): sx_result; cdecl; external SMARTX_LIB;

// Whether the API asks the register to print the merchant copy (`receipt_merchant_print`): `*out` = 1 or 0.
// `SX_ERR_ABSENT` (and `*out` untouched) when the answer does not say; `SX_ERR_NULL_ARGUMENT` for a NULL `tx`
// or `out`. Threads: any.
//
// # Safety
// `tx` is NULL or a live transaction; `out` is NULL or writable.
function sx_transaction_receipt_merchant_print(tx: Psx_transaction; out_: PUInt32): sx_result; cdecl; external SMARTX_LIB;

// The number of products in the basket (`basket.products`); 0 for a NULL `tx` or no basket. Elements that are
// not objects are not counted. Threads: any.
//
// # Safety
// `tx` is NULL or a live transaction.
function sx_transaction_product_count(tx: Psx_transaction): NativeUInt; cdecl; external SMARTX_LIB;

// Fills `*out` with product `index` (from 0) of the basket.
//
// `SX_ERR_NULL_ARGUMENT` for a NULL `tx` or `out`, `SX_ERR_OUT_OF_RANGE` for
// `index >= sx_transaction_product_count(tx)`; `*out` is written only on `SX_OK`.
// Ownership: the strings in `*out` belong to `tx` and stay valid until `sx_transaction_free(tx)`.
// Threads: any, also at once on the same `tx`.
//
// # Safety
// `tx` is NULL or a live transaction; `out` is NULL or writable.
function sx_transaction_product_get(tx: Psx_transaction; index_: NativeUInt; out_: Psx_product): sx_result; cdecl; external SMARTX_LIB;

// The number of references to other objects (`transactions[]`, e.g. the loyalty or payment transaction a
// start made); 0 for a NULL `tx` or none. Threads: any.
//
// # Safety
// `tx` is NULL or a live transaction.
function sx_transaction_reference_count(tx: Psx_transaction): NativeUInt; cdecl; external SMARTX_LIB;

// Fills `*out` with reference `index` (from 0) of `transactions[]`.
//
// `SX_ERR_NULL_ARGUMENT` for a NULL `tx` or `out`, `SX_ERR_OUT_OF_RANGE` for
// `index >= sx_transaction_reference_count(tx)`; `*out` is written only on `SX_OK`.
// Ownership: the strings in `*out` belong to `tx` and stay valid until `sx_transaction_free(tx)`.
// Threads: any, also at once on the same `tx`.
//
// # Safety
// `tx` is NULL or a live transaction; `out` is NULL or writable.
function sx_transaction_reference_get(tx: Psx_transaction; index_: NativeUInt; out_: Psx_reference): sx_result; cdecl; external SMARTX_LIB;

// Any value of the answer by JSON pointer (RFC 6901), for what the other getters leave out: e.g.
// "/idents/0/merchantcard/customer/contact/name" or "/basket/products/0/group/0/desc". "" is the whole answer;
// `~1` stands for "/" and `~0` for "~" in a key; array elements by index from 0.
//
// Written by the buffer rule (`buf`, `cap`, `out_len`): a string comes back as its text, unquoted (it may
// hold a NUL from "\u0000": `*out_len` tells its length); a number or boolean as its JSON text as the answer
// wrote it ("349", "true"); an object or array as compact JSON (the answer's text without the whitespace between
// tokens, keys in the answer's order). `SX_ERR_ABSENT` when nothing is there or the value
// is null (`*out_len` untouched); `SX_ERR_INVALID_ARGUMENT` for a pointer that is not "" and does not start with
// "/", or is not UTF-8; `SX_ERR_NULL_ARGUMENT` for a NULL `tx`, `pointer` or `out_len`. A key given twice in the
// answer: the last counts, as for the other getters.
//
// Cost: each call follows the pointer through the kept answer, skipping what is off the path; no tree is built,
// so memory stays within the size of the value returned, whatever the answer holds.
// Ownership: `pointer` is read during the call only. Threads: any, also at once on the same `tx`.
//
// # Safety
// `tx` is NULL or a live transaction; `pointer` is NULL or NUL-terminated; `buf` is NULL or writable for
// `cap` bytes; `out_len` is NULL or writable.
function sx_transaction_get_json(tx: Psx_transaction; pointer: PAnsiChar; buf: PAnsiChar; cap: NativeUInt; out_len: PNativeUInt): sx_result; cdecl; external SMARTX_LIB;

// Finds the transactions whose `transactionRef` is `transaction_ref` (the reference given to
// `sx_basket_set_refs`, e.g. the register's receipt number), one page at a time:
// `GET /api/v2/Smart/Transactions?q=transactionRef:"..."&offset=...&count=...`.
//
// The reference is matched whole: it is quoted, `"` and `\` inside it escaped with a backslash, and the query
// percent-encoded, so spaces, quotes, `&`, `%` and umlauts are searched as they are. `count` is the page size
// (0: the API's default), `offset` the number of matches to skip. This is how a register finds a transaction
// whose create answer was lost (`SX_ERR_OUTCOME_UNKNOWN` from `sx_transaction_create`): give every sale its own
// reference. A read: safe to repeat.
//
// Only exact matches are kept: the API's search also finds near ones (`Beleg 10` for `Beleg 1`, another case),
// so the page keeps only the transactions whose `transactionRef` equals `transaction_ref` byte for byte (no
// case folding, no Unicode normalisation, no trimming).
//
// `SX_OK` on HTTP 2xx with `{count, data[]}`: `*out` receives a new list the caller owns and frees with
// `sx_transaction_list_free`; on any other result `*out` is left as it was. An answer that is not a list is
// `SX_ERR_BAD_RESPONSE`. Blocks for at most the total timeout.
//
// Arguments are checked before anything is sent (`transaction_ref` 1 to 1024 bytes of UTF-8 without control
// characters such as CR or LF, which no reference can hold; else `SX_ERR_NULL_ARGUMENT` /
// `SX_ERR_INVALID_ARGUMENT`). The answer's body is this thread's last response (`sx_last_response`).
// Ownership: `transaction_ref` is read during the call only. Threads: any, at once on a shared client; the
// last response is per thread.
//
// # Safety
// `client` is NULL or a live client; `transaction_ref` is NULL or NUL-terminated; `out` is NULL or writable.
function sx_transaction_list_by_ref(client: Psx_client; transaction_ref: PAnsiChar; count: UInt32; offset: UInt32; out_: PPsx_transaction_list): sx_result; cdecl; external SMARTX_LIB;

// The number of transactions in this page whose `transactionRef` is the reference searched for, byte for byte
// (0 for NULL): index them from 0 with `sx_transaction_list_get`. Threads: any.
//
// # Safety
// `list` is NULL or a live list.
function sx_transaction_list_count(list: Psx_transaction_list): NativeUInt; cdecl; external SMARTX_LIB;

// The number of matching transactions over all pages: the API's `count`, less the near matches this page held
// and dropped (0 for NULL or when the answer gave none). A page that holds every match (the usual case: a
// reference names one sale) counts exactly the exact matches it held, as `sx_transaction_list_count`. The
// API pages by its own matches, near ones included: ask for the next page at `offset` + the page size you asked
// for (`count`, not 0) while that is below this total. Threads: any.
//
// # Safety
// `list` is NULL or a live list.
function sx_transaction_list_total(list: Psx_transaction_list): NativeUInt; cdecl; external SMARTX_LIB;

// Transaction `index` (from 0) of the page, read with the `sx_transaction_` accessors and `sx_receipt_*`;
// NULL for a NULL `list` or `index >= sx_transaction_list_count(list)`.
//
// Ownership: borrowed; it belongs to `list`, stays valid until `sx_transaction_list_free(list)`, and must not
// be given to `sx_transaction_free`. Threads: any, also at once on the same list.
//
// # Safety
// `list` is NULL or a live list.
function sx_transaction_list_get(list: Psx_transaction_list; index_: NativeUInt): Psx_transaction; cdecl; external SMARTX_LIB;

// Frees a list and every transaction in it (the pointers `sx_transaction_list_get` gave become invalid).
// NULL is a no-op; freeing twice is undefined behaviour. Threads: any, once no other thread uses it.
//
// # Safety
// `list` is NULL or a list from `sx_transaction_list_by_ref` not yet freed.
procedure sx_transaction_list_free(list: Psx_transaction_list); cdecl; external SMARTX_LIB;

implementation

end.
