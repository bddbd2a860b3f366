"""The life of a library handle in Python: freed by close(), by `with`, or when garbage collected, and never
while a call on another thread is still using it."""

import contextlib
import ctypes
import threading
import weakref
from typing import Any, Callable, Iterator, Optional


class Handle:
    """Owns one handle; `free(handle, *keep)` runs exactly once, whichever way the object ends.

    Calls take the handle through `_use()`, which counts them: `close()` on one thread while a call runs on
    another (a register shutting down during a terminal wait) refuses new calls at once and leaves the freeing to
    the last call under way, so the library never sees a freed handle. The count's lock is held only to count,
    never during a call."""

    _kind = "handle"

    def __init__(self, handle: "ctypes._Pointer", free: Callable[..., Any], *keep: object) -> None:
        self._handle: Optional[ctypes._Pointer] = handle
        self._finalizer = weakref.finalize(self, free, handle, *keep)
        self._count_lock = threading.Lock()
        self._calls = 0

    def close(self) -> None:
        """Frees the handle now, or when the calls under way on other threads have returned; later calls raise
        ValueError. A second close does nothing."""
        with self._count_lock:
            self._handle = None
            if self._calls:
                return  # the last call under way frees it
        self._finalizer()

    @property
    def closed(self) -> bool:
        return self._handle is None

    def __enter__(self):  # type: ignore[no-untyped-def]
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _use(self) -> Iterator["ctypes._Pointer"]:
        """The live handle for one call; ValueError once closed."""
        with self._count_lock:
            if self._handle is None:
                raise ValueError(f"the {self._kind} is closed")
            self._calls += 1
            handle = self._handle
        try:
            yield handle
        finally:
            with self._count_lock:
                self._calls -= 1
                last = self._calls == 0 and self._handle is None
            if last:
                self._finalizer()

    def _live(self) -> "ctypes._Pointer":
        """The handle, not counted: only for a read that returns at once on an object no other thread closes
        meanwhile (a transaction's accessors). Anything that may wait uses `_call` or `_use`."""
        handle = self._handle
        if handle is None:
            raise ValueError(f"the {self._kind} is closed")
        return handle

    def _call(self, function: Callable[..., Any], *args: Any) -> Any:
        """`function(handle, *args)` within `_use()`."""
        with self._use() as handle:
            return function(handle, *args)
