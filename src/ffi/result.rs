//! The result codes: fixed forever (c-api.md). Their names and advice are in `result_text.rs`.
/// The result of a call: `SX_OK` (0) or one of the `SX_ERR_` codes. A `uint32_t`, never a C enum, so that
/// every language sees the same size. The values are fixed forever.
pub type sx_result = u32;

/// Done.
pub const SX_OK: sx_result = 0;
/// A required pointer was NULL; nothing was sent.
pub const SX_ERR_NULL_ARGUMENT: sx_result = 1;
/// A malformed id, token, URL, option or UTF-8; nothing was sent.
pub const SX_ERR_INVALID_ARGUMENT: sx_result = 2;
/// `*out_len` holds the needed length (without the NUL); nothing was written.
pub const SX_ERR_BUFFER_TOO_SMALL: sx_result = 3;
/// An index past the end.
pub const SX_ERR_OUT_OF_RANGE: sx_result = 4;
/// The value asked for is not in the answer (a field the API left out or sent as null, a JSON pointer that
/// leads nowhere); the out-parameter was not written.
pub const SX_ERR_ABSENT: sx_result = 5;
/// The request was never sent (host name not found, DNS or connect timeout, refused, unreachable): safe to try
/// again.
pub const SX_ERR_CONNECT: sx_result = 10;
/// The request was sent but no complete answer came back (timeout after sending, reset, truncated body): read
/// the transaction back before trying again. Never treat this as "not paid". Never given for a failure before
/// the request's first byte was sent.
pub const SX_ERR_OUTCOME_UNKNOWN: sx_result = 11;
/// The TLS handshake failed (certificate, plain HTTP on an https port, close, reset, corrupt record or alert
/// during the handshake); nothing was sent. Also an `http://` base URL pointed at a TLS port: the request in
/// clear reached a TLS server, which answered with a TLS record ("the server at HOST:PORT speaks TLS: use
/// https://. Nothing was executed"); a TLS server never executes a request in clear.
pub const SX_ERR_TLS: sx_result = 12;
/// HTTP 401, or 403 with an authentication code (2xxx): get a new token.
pub const SX_ERR_UNAUTHORIZED: sx_result = 20;
/// The API answered with its error body (`"status":"error"`); the message names `error`, `error_details`,
/// `code` and `supportId`. Not "nothing was paid": a start refused because the transaction was already started
/// may have been paid by an earlier call (one whose answer was lost); its message says to read it back.
pub const SX_ERR_API: sx_result = 21;
/// Any other non-2xx answer (HTML, empty, a redirect, which is never followed). After a 5xx, a 1xx or a 304 the
/// message says the request was received: read the transaction back before trying again.
pub const SX_ERR_HTTP: sx_result = 22;
/// A 2xx answer that cannot be read as a transaction, or larger than 16 MiB. For a payment: it was probably
/// registered; read the transaction back, do not pay again.
pub const SX_ERR_BAD_RESPONSE: sx_result = 30;
/// A transaction came back, but its `status` is not `ok` (e.g. `failed`).
pub const SX_ERR_NOT_OK: sx_result = 31;
/// The caller cancelled the call (e.g. `sx_client_cancel` during pairing).
pub const SX_ERR_CANCELLED: sx_result = 40;
/// A device code or refresh token expired: start again.
pub const SX_ERR_EXPIRED: sx_result = 41;
/// The journal (`sx_client_open_journal`) could not be opened, read or written, or none is open. For a call of
/// the client this means nothing was sent.
pub const SX_ERR_JOURNAL: sx_result = 50;
/// An internal bug was caught at the boundary; the process goes on.
pub const SX_ERR_PANIC: sx_result = 99;
