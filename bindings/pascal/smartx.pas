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
  // The customer receipt (`receipt`), for both the customer and the merchant when there is no merchant copy.
  SX_RECEIPT_CUSTOMER = 0;
  // The merchant copy (`receipt_merchant`).
  SX_RECEIPT_MERCHANT = 1;
  // A type this library does not know; see `type` for the raw name. Skip it in a layout.
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
  // The request never reached the server (DNS, refused, unreachable, connect timeout): safe to try again.
  SX_ERR_CONNECT = 10;
  // The request may have reached the server but no complete answer came back (timeout after sending, reset,
  // truncated body): read the transaction back before trying again. Never treat this as "not paid".
  SX_ERR_OUTCOME_UNKNOWN = 11;
  // TLS handshake or certificate failure; nothing was sent.
  SX_ERR_TLS = 12;
  // HTTP 401, or 403 with an authentication code (2xxx): get a new token.
  SX_ERR_UNAUTHORIZED = 20;
  // The API answered with its error body (`"status":"error"`); the message names `error`, `error_details`,
  // `code` and `supportId`.
  SX_ERR_API = 21;
  // Any other non-2xx answer (HTML, empty, a redirect, which is never followed).
  SX_ERR_HTTP = 22;
  // A 2xx answer that is not the expected JSON, or larger than 16 MiB.
  SX_ERR_BAD_RESPONSE = 30;
  // A transaction came back, but its `status` is not `ok` (e.g. `failed`).
  SX_ERR_NOT_OK = 31;
  // The caller cancelled the call (e.g. `sx_client_cancel` during pairing).
  SX_ERR_CANCELLED = 40;
  // A device code or refresh token expired: start again.
  SX_ERR_EXPIRED = 41;
  // An internal bug was caught at the boundary; the process goes on.
  SX_ERR_PANIC = 99;

type
  PNativeUInt = ^NativeUInt;
  Psx_receipt_line = ^sx_receipt_line;
  Psx_transaction = ^sx_transaction;
  PPsx_transaction = ^Psx_transaction;

  // A parsed Smart Transaction. Opaque: made by `sx_transaction_parse`, freed by `sx_transaction_free`.
  //
  // Read-only after parsing, so a `const sx_transaction *` may be read from several threads at once.
  sx_transaction = record end; { opaque: only pointers to it exist }

  // The result of a call: `SX_OK` (0) or one of the `SX_ERR_` codes. A `uint32_t`, never a C enum, so that
  // every language sees the same size. The values are fixed forever.
  sx_result = UInt32;

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
// The library starts no threads of its own, so none are left running.
//
// A later call sets the library up afresh (from the environment and the defaults). Other threads' last
// error and response are freed when those threads end. Threads: any; a call under way on another thread
// finishes normally, but unload the library only when no call is under way.
procedure sx_shutdown; cdecl; external SMARTX_LIB;

// Copies this thread's last failure message into `buf` ("" after a success).
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

// The library version, e.g. "0.1.0".
//
// Ownership: a static string owned by the library; never free it. Threads: any.
function sx_version: PAnsiChar; cdecl; external SMARTX_LIB;

// The name of a result code, e.g. "SX_ERR_CONNECT"; "SX_UNKNOWN_RESULT" for a value that is not a code.
//
// Ownership: a static string owned by the library; never free it; never NULL. Threads: any.
function sx_result_name(result_: sx_result): PAnsiChar; cdecl; external SMARTX_LIB;

// Registers a payment the register took itself (cash, its own card terminal) for the Smart Transaction `id`,
// so that a loyalty card's balance is applied to the rest: `POST {base}/api/v2/Smart/Transactions/{id}/start/cash`
// with `Authorization: Bearer {token}` and `Authenticate: Bearer {token}`.
//
// Arguments are checked before anything is sent: `id` is 1 to 128 of `A-Z a-z 0-9 _ -`; `token` is 1 to 4096
// visible ASCII characters (no space, CR or LF); `out_len` must not be NULL; `out_buf` may be NULL only
// with `out_cap` 0. Otherwise `SX_ERR_NULL_ARGUMENT` / `SX_ERR_INVALID_ARGUMENT`, and nothing is sent.
//
// The answer: whenever one arrives (any HTTP status), its body is kept as this thread's last response
// (`sx_last_response`) and `*out_len` is set to its length (0 when no answer came). It is copied into
// `out_buf` with a NUL when it fits (`out_cap >= *out_len + 1`). `SX_OK` means HTTP 2xx and `"status":"ok"`:
// paid; print the receipt (`sx_transaction_parse`). `SX_ERR_BUFFER_TOO_SMALL` means the same success with an
// answer that did not fit: read it with `sx_last_response`, never by calling again. Every other code is as
// in the table of result codes; for them the body, if any, is still copied when it fits.
//
// Never repeated automatically: after `SX_ERR_OUTCOME_UNKNOWN` the payment may have been registered; read
// the transaction back before trying again. Redirects are never followed; answers over 16 MiB are not read.
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
// Lenient: fields of unexpected types, unknown fields and unknown receipt line types never fail a parse.
// Malformed JSON, bad UTF-8 or a top level that is not an object give `SX_ERR_INVALID_ARGUMENT`.
// On `SX_OK`, `*out` receives a new transaction that the caller owns and must free with
// `sx_transaction_free`; on any other result `*out` is left as it was.
// Ownership: `json` is read during the call only. Threads: any.
//
// # Safety
// `json` is NULL or readable for `len` bytes; `out` is NULL or writable.
function sx_transaction_parse(json: PAnsiChar; len: NativeUInt; out_: PPsx_transaction): sx_result; cdecl; external SMARTX_LIB;

// Frees a transaction made by `sx_transaction_parse`, and with it every string its lines pointed to.
// NULL is a no-op. Freeing the same transaction twice is undefined behaviour.
// Threads: any, once no other thread uses `tx`.
//
// # Safety
// `tx` is NULL or a transaction from `sx_transaction_parse` not yet freed.
procedure sx_transaction_free(tx: Psx_transaction); cdecl; external SMARTX_LIB;

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

implementation

end.
