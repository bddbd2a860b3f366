"""One exception class per result code. Every class carries the code, the library's message, the HTTP status
and, when the API answered with its error body, its fields."""

import json
from typing import Dict, Optional, Type

from . import _ffi


class SmartxError(Exception):
    """A call of the smartx library failed. `code` is the sx_result value, `name` its SX_ name."""

    code: int = -1

    def __init__(
        self,
        code: int,
        name: str,
        message: str,
        http_status: int = 0,
        response: bytes = b"",
    ) -> None:
        super().__init__(f"{name} ({code}): {message}" if message else f"{name} ({code})")
        self.code = code
        self.name = name
        self.message = message
        self.http_status = http_status
        self.response = response
        # The API's error body ({"status":"error","error":...,"error_details":...,"code":...,"supportId":...}).
        self.api_error: Optional[str] = None
        self.api_error_details: Optional[str] = None
        self.api_code: Optional[str] = None
        self.support_id: Optional[str] = None
        body = _json_object(response)
        if body is not None and body.get("status") == "error":
            self.api_error = _text(body.get("error"))
            self.api_error_details = _text(body.get("error_details"))
            self.api_code = _text(body.get("code"))
            self.support_id = _text(body.get("supportId"))

    def advice(self, language: Optional[str] = "en") -> str:
        """What the cashier does now, for the till's screen ("de" or "en"); str(self) is for the log."""
        from ._call import advice  # _call imports this module

        return advice(self.code, language)


def _json_object(response: bytes) -> Optional[dict]:
    try:
        value = json.loads(response.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _text(value: object) -> Optional[str]:
    return None if value is None else str(value)


class NullArgumentError(SmartxError):
    """A required pointer was NULL; nothing was sent."""


class InvalidArgumentError(SmartxError, ValueError):
    """A malformed id, token, URL, option or UTF-8; nothing was sent."""


class BufferTooSmallError(SmartxError):
    """A buffer was too small (the Python layer sizes buffers itself, so this means a library bug)."""


class OutOfRangeError(SmartxError, IndexError):
    """An index past the end."""


class AbsentError(SmartxError, LookupError):
    """The value asked for is not in the answer (the properties give None instead of raising this)."""


class ConnectError(SmartxError):
    """The request never reached the server: safe to try again."""


class OutcomeUnknownError(SmartxError):
    """The request may have reached the server: read the transaction back before trying again."""


class TlsError(SmartxError):
    """TLS handshake or certificate failure; nothing was sent."""


class UnauthorizedError(SmartxError):
    """HTTP 401, or 403 with an authentication code: get a new token."""


class ApiError(SmartxError):
    """The API answered with its error body; see api_error, api_error_details, api_code, support_id."""


class HttpError(SmartxError):
    """Any other non-2xx answer (HTML, empty, a redirect)."""


class BadResponseError(SmartxError):
    """A 2xx answer that is not the expected JSON: the payment was probably registered; read it back."""


class NotOkError(SmartxError):
    """A transaction came back but its status is not "ok". `transaction` holds it: print its receipt too."""

    transaction = None


class CancelledError(SmartxError):
    """The caller cancelled the call."""


class ExpiredError(SmartxError):
    """A device code or refresh token expired: start again."""


class JournalError(SmartxError):
    """The journal could not be opened, read or written, or none is open. For a call of the client: nothing was
    sent."""


class PanicError(SmartxError):
    """An internal bug of the library was caught at the boundary; the process goes on."""


# Result code name -> class. tests/test_smartx.py checks that every SX_ERR_ constant of the header has one.
CLASSES_BY_NAME: Dict[str, Type[SmartxError]] = {
    "SX_ERR_NULL_ARGUMENT": NullArgumentError,
    "SX_ERR_INVALID_ARGUMENT": InvalidArgumentError,
    "SX_ERR_BUFFER_TOO_SMALL": BufferTooSmallError,
    "SX_ERR_OUT_OF_RANGE": OutOfRangeError,
    "SX_ERR_ABSENT": AbsentError,
    "SX_ERR_CONNECT": ConnectError,
    "SX_ERR_OUTCOME_UNKNOWN": OutcomeUnknownError,
    "SX_ERR_TLS": TlsError,
    "SX_ERR_UNAUTHORIZED": UnauthorizedError,
    "SX_ERR_API": ApiError,
    "SX_ERR_HTTP": HttpError,
    "SX_ERR_BAD_RESPONSE": BadResponseError,
    "SX_ERR_NOT_OK": NotOkError,
    "SX_ERR_CANCELLED": CancelledError,
    "SX_ERR_EXPIRED": ExpiredError,
    "SX_ERR_JOURNAL": JournalError,
    "SX_ERR_PANIC": PanicError,
}

# Code value -> class, for the codes this version of the header has.
CLASSES_BY_CODE: Dict[int, Type[SmartxError]] = {
    value: CLASSES_BY_NAME[name]
    for name, value in _ffi.CONSTANTS.items()
    if name.startswith("SX_ERR_") and name in CLASSES_BY_NAME
}


def error_class(code: int) -> Type[SmartxError]:
    """The class for a result code; SmartxError itself for a code this binding does not know (a newer library)."""
    return CLASSES_BY_CODE.get(code, SmartxError)
