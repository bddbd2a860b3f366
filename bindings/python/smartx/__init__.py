"""smartx for Python: secuconnect Smart Transactions for cash registers, on the C library through ctypes.

    import smartx
    smartx.set_base_url("http://127.0.0.1:8080")        # or SX_BASE_URL in the environment
    with smartx.start_cash("STX_...", token) as tx:     # raises a smartx.SmartxError subclass on failure
        for line in tx.receipt():
            print(line.caption or line.text, line.name, line.value)

    with smartx.Client("http://127.0.0.1:8080") as client:   # its own URL, tokens, log; see smartx.Client
        client.use_client_credentials("till", "s3cret")
        with smartx.Basket("EUR") as basket:
            basket.add_product("Kaffee", quantity=1, unit_price_cents=290, vat_percent=19)
            created = client.create(basket)
        try:
            tx = client.start(created.id, "cash")
        except smartx.NotOkError as declined:                 # not paid: its receipt is printed too
            tx = declined.transaction
        print(tx.text())                                      # or tx.render(format=smartx.SX_FORMAT_ESCPOS)
        # After smartx.OutcomeUnknownError: client.check(id) -> (smartx.Verdict, Transaction); see Client.check.
    # For the till's screen: smartx.advice(code, "de"), or error.advice("de") on any smartx.SmartxError.

The library is found through $SMARTX_LIBRARY, beside this package, in sys.prefix/lib, or on the system's library path.
Layers: _ffi (generated from include/smartx.h: every function, constant and struct), _library (loading),
_call (arguments checked, result codes to exceptions, the buffer rule), errors, transaction, basket, client, and
this module's functions.
"""

import ctypes

from . import _ffi
from ._call import advice, c_text, raise_for, read_string
from ._ffi import CONSTANTS  # noqa: F401  every SX_ constant, by name
from ._library import library
from .errors import *  # noqa: F401,F403  the exception classes
from .errors import NotOkError
from .basket import Basket
from .card import Card, Device
from .client import Client
from .journal import Call, JournalEntry, Outcome, Reconciled
from .pre_transaction import PreTransaction
from .transaction import Checked, Ident, Product, ReceiptLine, Reference, Transaction, Verdict

SX_RECEIPT_CUSTOMER = _ffi.SX_RECEIPT_CUSTOMER
SX_RECEIPT_MERCHANT = _ffi.SX_RECEIPT_MERCHANT
SX_FORMAT_TEXT = _ffi.SX_FORMAT_TEXT
SX_FORMAT_ESCPOS = _ffi.SX_FORMAT_ESCPOS
SX_CODEPAGE_CP858 = _ffi.SX_CODEPAGE_CP858
SX_CODEPAGE_CP437 = _ffi.SX_CODEPAGE_CP437
SX_CODEPAGE_WINDOWS_1252 = _ffi.SX_CODEPAGE_WINDOWS_1252
SX_CODEPAGE_ISO_8859_15 = _ffi.SX_CODEPAGE_ISO_8859_15
SX_RENDER_NO_INIT = _ffi.SX_RENDER_NO_INIT
SX_RENDER_CUT = _ffi.SX_RENDER_CUT
SX_LOG_ERROR = _ffi.SX_LOG_ERROR
SX_LOG_WARN = _ffi.SX_LOG_WARN
SX_LOG_INFO = _ffi.SX_LOG_INFO
SX_LOG_DEBUG = _ffi.SX_LOG_DEBUG

__all__ = [
    "Basket",
    "Card",
    "Call",
    "Checked",
    "Device",
    "Client",
    "JournalEntry",
    "Outcome",
    "Reconciled",
    "Transaction",
    "PreTransaction",
    "Product",
    "Ident",
    "Reference",
    "Verdict",
    "ReceiptLine",
    "library",
    "advice",
    "version",
    "set_base_url",
    "set_timeouts",
    "shutdown",
    "start_cash",
    "last_error_message",
    "last_http_status",
    "last_response",
    "SX_RECEIPT_CUSTOMER",
    "SX_RECEIPT_MERCHANT",
    "SX_FORMAT_TEXT",
    "SX_FORMAT_ESCPOS",
    "SX_CODEPAGE_CP858",
    "SX_CODEPAGE_CP437",
    "SX_CODEPAGE_WINDOWS_1252",
    "SX_CODEPAGE_ISO_8859_15",
    "SX_RENDER_NO_INIT",
    "SX_RENDER_CUT",
    "SX_LOG_ERROR",
    "SX_LOG_WARN",
    "SX_LOG_INFO",
    "SX_LOG_DEBUG",
]


def version() -> str:
    """The library's version, e.g. "0.1.0"."""
    return library().sx_version().decode("ascii")


def set_base_url(url: str) -> None:
    """The API base for every later call in the process (http:// only for loopback)."""
    raise_for(library().sx_set_base_url(c_text(url, "url")))


def set_timeouts(connect_ms: int = 0, total_ms: int = 0) -> None:
    """Timeouts of every later call, in milliseconds; 0 keeps that one's default."""
    raise_for(library().sx_set_timeouts(connect_ms, total_ms))


def shutdown() -> None:
    """Frees the library's global state (connections, settings); a later call starts afresh."""
    library().sx_shutdown()


def last_error_message() -> str:
    """Why this thread's last call failed; "" after a success."""
    return read_string(library().sx_last_error_message).decode("utf-8", "replace")


def last_http_status() -> int:
    """The HTTP status of this thread's last network call; 0 if no answer came."""
    return int(library().sx_last_http_status())


def last_response() -> bytes:
    """The body of this thread's last answer, whatever its status."""
    return read_string(library().sx_last_response)


def start_cash(transaction_id: str, token: str) -> Transaction:
    """Registers the payment the register took itself (cash, its own terminal) and returns the transaction,
    whose receipt must be printed. Never repeated: after OutcomeUnknownError read the transaction back first.

    Raises the SmartxError subclass of the result; NotOkError carries the unpaid transaction in
    `.transaction` (print its receipt too)."""
    lib = library()
    length = ctypes.c_size_t(0)
    # A size query: on success the call answers SX_ERR_BUFFER_TOO_SMALL and the body is read from the
    # library's last response, so one buffer size fits every answer and the payment is sent once.
    code = lib.sx_start_cash(
        c_text(transaction_id, "transaction_id"), c_text(token, "token"), None, 0, ctypes.byref(length)
    )
    if code == _ffi.SX_ERR_BUFFER_TOO_SMALL:
        return Transaction.parse(last_response())
    if code == _ffi.SX_ERR_NOT_OK:
        answer = last_response()
        try:
            raise_for(code, network=True)
        except NotOkError as error:
            error.transaction = Transaction.parse(answer)
            raise
    raise_for(code, network=True)
    return Transaction.parse(last_response())  # SX_OK with an empty answer cannot be printed: parse says so
