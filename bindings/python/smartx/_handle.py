"""The life of a library handle in Python: freed by close(), by `with`, or when garbage collected."""

import ctypes
import weakref
from typing import Any, Callable, Optional


class Handle:
    """Owns one handle; `free(handle, *keep)` runs exactly once, whichever way the object ends."""

    _kind = "handle"

    def __init__(self, handle: "ctypes._Pointer", free: Callable[..., Any], *keep: object) -> None:
        self._handle: Optional[ctypes._Pointer] = handle
        self._finalizer = weakref.finalize(self, free, handle, *keep)

    def close(self) -> None:
        """Frees the handle now; a second close does nothing. No call may be under way on another thread."""
        self._finalizer()
        self._handle = None

    @property
    def closed(self) -> bool:
        return self._handle is None

    def __enter__(self):  # type: ignore[no-untyped-def]
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _live(self) -> "ctypes._Pointer":
        if self._handle is None:
            raise ValueError(f"the {self._kind} is closed")
        return self._handle
