"""A parsed Smart Transaction, its receipt lines, and the verdict of a check."""

import ctypes
import enum
from dataclasses import dataclass
from typing import List, NamedTuple, Optional, Union

from . import _ffi
from ._call import raise_for, read_string
from ._handle import Handle
from ._library import library


@dataclass(frozen=True)
class ReceiptLine:
    """One receipt line, copied out of the library (so it outlives the transaction)."""

    kind: int  # SX_LINE_UNKNOWN, SX_LINE_SEPARATOR, SX_LINE_TEXT, SX_LINE_NAME_VALUE, SX_LINE_SPACE
    decorations: int  # bits of SX_DECO_IMPORTANT, SX_DECO_ALIGN_LEFT, SX_DECO_ALIGN_CENTER, SX_DECO_ALIGN_RIGHT
    type: str  # the raw "type", e.g. "name-value"
    caption: str
    text: str
    name: str
    value: str

    @property
    def important(self) -> bool:
        return bool(self.decorations & _ffi.SX_DECO_IMPORTANT)


class Transaction(Handle):
    """A parsed Smart Transaction, owning its sx_transaction handle.

    Closed by `close()`, by leaving a `with` block, or when garbage-collected; reading a closed one raises
    ValueError."""

    _kind = "transaction"

    def __init__(self, handle: "ctypes._Pointer", raw: bytes) -> None:
        super().__init__(handle, library().sx_transaction_free)
        self.raw = raw  # the JSON the transaction was parsed from

    @classmethod
    def _borrowed(cls, handle: "ctypes._Pointer", raw: bytes, owner: object) -> "Transaction":
        """A transaction that belongs to `owner` (a page of a list): never freed itself; it keeps the owner alive
        as long as it lives."""
        tx = cls.__new__(cls)
        Handle.__init__(tx, handle, _keep, owner)
        tx.raw = raw
        return tx

    @classmethod
    def parse(cls, json: Union[bytes, str]) -> "Transaction":
        """Parses a transaction leniently (the answer of start_cash, or any API answer holding one)."""
        data = json.encode("utf-8") if isinstance(json, str) else bytes(json)
        handle = ctypes.POINTER(_ffi.sx_transaction)()
        raise_for(library().sx_transaction_parse(data, len(data), ctypes.byref(handle)))
        return cls(handle, data)

    @property
    def id(self) -> str:
        """The transaction's id ("STX_..."); "" when the answer had none."""
        return _text(library().sx_transaction_id(self._live()))

    @property
    def status(self) -> str:
        """The status as the API wrote it ("created", "ok", "failed", ...); "" when absent.
        `Client.check` says what it means for the register."""
        return _text(library().sx_transaction_status(self._live()))

    @property
    def sum(self) -> int:
        """The basket's sum in integer cents (basket_info.sum); 0 when absent."""
        return int(library().sx_transaction_sum(self._live()))

    def receipt(self, which: int = _ffi.SX_RECEIPT_CUSTOMER) -> List[ReceiptLine]:
        """The lines of the customer receipt (or SX_RECEIPT_MERCHANT: the merchant copy); [] when absent."""
        lib = library()
        lines = []
        with self._use() as handle:  # the strings of a line live as long as the handle: copied out inside
            for index in range(lib.sx_receipt_count(handle, which)):
                line = _ffi.sx_receipt_line()
                raise_for(lib.sx_receipt_line_get(handle, which, index, ctypes.byref(line)))
                lines.append(
                    ReceiptLine(
                        kind=line.kind,
                        decorations=line.decorations,
                        type=_text(line.type),
                        caption=_text(line.caption),
                        text=_text(line.text),
                        name=_text(line.name),
                        value=_text(line.value),
                    )
                )
        return lines

    def merchant_receipt(self) -> List[ReceiptLine]:
        return self.receipt(_ffi.SX_RECEIPT_MERCHANT)

    def render(
        self,
        which: int = _ffi.SX_RECEIPT_CUSTOMER,
        columns: int = 42,
        format: int = _ffi.SX_FORMAT_TEXT,
        codepage: int = _ffi.SX_CODEPAGE_CP858,
        flags: int = 0,
    ) -> bytes:
        """The receipt laid out for a printer of `columns` (20 to 80) characters: UTF-8 text
        (SX_FORMAT_TEXT) or ESC/POS bytes (SX_FORMAT_ESCPOS) in `codepage` (SX_CODEPAGE_CP858, ...) with
        `flags` (SX_RENDER_NO_INIT, SX_RENDER_CUT). ESC/POS holds 0x00 bytes: write it to the printer as it is.
        A bad option raises InvalidArgumentError."""
        options = _ffi.sx_render_options(columns=columns, format=format, codepage=codepage, flags=flags)
        with self._use() as handle:
            return read_string(library().sx_receipt_render, handle, which, ctypes.byref(options))

    def text(self, which: int = _ffi.SX_RECEIPT_CUSTOMER, columns: int = 42) -> str:
        """The receipt as text rows for a printer of `columns` characters, each ending in "\\n"."""
        return self.render(which, columns).decode("utf-8")


def _keep(_handle: object, _owner: object) -> None:
    """The finalizer of a borrowed transaction: frees nothing; dropping the reference to the owner is its work."""


def _text(raw: Optional[bytes]) -> str:
    return (raw or b"").decode("utf-8", "replace")


class Verdict(enum.IntEnum):
    """What `Client.check` found, by the library's table of statuses (the SX_VERDICT_ constants)."""

    UNKNOWN = _ffi.SX_VERDICT_UNKNOWN
    """A status the library does not know: do not start again; a person decides."""
    PAID = _ffi.SX_VERDICT_PAID
    """Status ok or a later state: print the receipt, never start again."""
    NOT_PAID = _ffi.SX_VERDICT_NOT_PAID
    """Status created (the start never ran: the only case to start again), or aborted, failed, cancelled,
    timeout (over: create a new transaction to sell again)."""
    IN_PROGRESS = _ffi.SX_VERDICT_IN_PROGRESS
    """Processing, pending, approved: the terminal is still at it; wait and check again."""


class Checked(NamedTuple):
    """The answer of `Client.check`: `verdict, tx = client.check(id)`."""

    verdict: Verdict
    transaction: Transaction
