"""The rules every call follows: arguments are checked in Python before they reach ctypes (which would pass
a float's or an oversized int's truncation, or cut a string at a NUL, without a word), a result code becomes an
exception, and strings out are read with the size query (ask with cap 0, allocate, read)."""

import ctypes
import operator
from typing import Callable, Optional, Union

from . import errors
from ._library import library


def raise_for(code: int, network: bool = False) -> None:
    """Raises the exception for `code` (nothing for SX_OK), with this thread's last error message; for a call
    that went to the network also with the HTTP status and the answer's body."""
    if code == 0:
        return
    lib = library()
    name = lib.sx_result_name(code).decode("utf-8", "replace")
    message = read_string(lib.sx_last_error_message).decode("utf-8", "replace")
    status = lib.sx_last_http_status() if network else 0
    response = read_string(lib.sx_last_response) if network else b""
    raise errors.error_class(code)(code, name, message, status, response)


def read_string(function: Callable[..., int], *args: object) -> bytes:
    """Calls a (…, char *buf, size_t cap, size_t *out_len) function twice: the size query, then the read."""
    length = ctypes.c_size_t(0)
    code = function(*args, None, 0, ctypes.byref(length))
    if code not in (0, 3):  # SX_OK for an empty string, SX_ERR_BUFFER_TOO_SMALL with the length
        raise_for(code)
    if length.value == 0 and code == 0:
        return b""
    buffer = ctypes.create_string_buffer(length.value + 1)
    raise_for(function(*args, buffer, len(buffer), ctypes.byref(length)))
    return buffer.raw[: length.value]


def advice(code: int, language: Optional[str] = "en") -> str:
    """What the cashier does after `code` (sx_result_advice): "de" or "en"; None or any other language gives
    English; every code has a text, a value that is no code a generic one."""
    lib = library()
    return read_string(lib.sx_result_advice, code, c_text(language, "language", optional=True)).decode("utf-8")


def c_text(value: Union[str, bytes, None], what: str, optional: bool = False) -> Optional[bytes]:
    """A str (encoded as UTF-8) or bytes (passed as they are: the library refuses bad UTF-8) for a
    `const char *`. None only where `optional` (it becomes NULL); anything else, or a NUL inside (C would end
    the text there), is refused before the call."""
    if value is None:
        if optional:
            return None
        raise TypeError(f"{what} must be a str, not None")
    if isinstance(value, str):
        data = value.encode("utf-8")  # a lone surrogate raises UnicodeEncodeError (a ValueError)
    elif isinstance(value, (bytes, bytearray)):
        data = bytes(value)
    else:
        raise TypeError(f"{what} must be a str, not {type(value).__name__}")
    if b"\0" in data:
        raise ValueError(f"{what} holds a NUL character")
    return data


def c_integer(value: int, what: str, low: int, high: int) -> int:
    """An int (or anything with __index__) within the C type's range [low, high]. A float, Decimal or bool is
    a TypeError: money is integer cents, so no floating point reaches the library; out of range is an
    OverflowError (ctypes would silently keep the low bits)."""
    if isinstance(value, bool):
        raise TypeError(f"{what} must be an int, not bool")
    try:
        number = operator.index(value)
    except TypeError:
        kind = type(value).__name__
        raise TypeError(f"{what} must be an int (integer cents, never floating point), not {kind}") from None
    if not low <= number <= high:
        raise OverflowError(f"{what} {number} is outside {low}..{high}")
    return number


INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)
UINT32 = (0, 2**32 - 1)
