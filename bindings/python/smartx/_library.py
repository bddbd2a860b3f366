"""Finding and loading the smartx shared library, once per process."""

import ctypes
import ctypes.util
import os
import sys
import threading
from pathlib import Path
from typing import Optional

from . import _ffi

if sys.platform == "win32":
    _FILE_NAMES = ["smartx.dll"]
elif sys.platform == "darwin":
    _FILE_NAMES = ["libsmartx.dylib"]
else:
    _FILE_NAMES = ["libsmartx.so.0", "libsmartx.so"]

_lock = threading.Lock()
_library: Optional[ctypes.CDLL] = None


def _candidates() -> list:
    """Where the library is looked for, in order: $SMARTX_LIBRARY; beside this package; the lib folder of the
    Python prefix (a venv or prefix that `scripts/install.sh --prefix "$VIRTUAL_ENV"` installed into); the
    system's library path (after scripts/install.sh under /usr/local or /usr, which runs ldconfig)."""
    found = []
    explicit = os.environ.get("SMARTX_LIBRARY")
    if explicit:
        return [explicit]  # named on purpose: nothing else is tried, so a wrong path is not hidden
    here = Path(__file__).resolve().parent
    prefix_lib = Path(sys.prefix) / "lib"
    for folder in (here, prefix_lib):
        for name in _FILE_NAMES:
            if (folder / name).is_file():
                found.append(str(folder / name))
    system = ctypes.util.find_library("smartx")
    if system:
        found.append(system)
    found.extend(_FILE_NAMES)  # the dynamic loader's own search (LD_LIBRARY_PATH, PATH on Windows)
    return found


def library() -> ctypes.CDLL:
    """The loaded library with restype/argtypes set on every function. Raises OSError naming where it looked."""
    global _library
    loaded = _library
    if loaded is not None:
        return loaded  # no lock once loaded: calls on many threads never wait for each other here
    with _lock:
        if _library is None:
            errors = []
            for candidate in _candidates():
                try:
                    _library = _ffi.declare(ctypes.CDLL(candidate))
                    break
                except OSError as e:
                    errors.append(f"{candidate}: {e}")
            else:
                raise OSError(
                    "cannot load the smartx library; set SMARTX_LIBRARY to its path, put it beside the smartx "
                    "package, or install it with scripts/install.sh --prefix (this Python's prefix, or a folder "
                    "the system loader searches). Tried: " + "; ".join(errors)
                )
        return _library
