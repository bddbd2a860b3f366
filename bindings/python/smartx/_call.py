"""The two rules every call follows: a result code becomes an exception, and strings out are read with the
size query (ask with cap 0, allocate, read)."""

import ctypes
from typing import Callable

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
