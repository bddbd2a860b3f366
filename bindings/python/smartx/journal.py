"""The journal of a client (sx_client_open_journal): a write-ahead record, in an SQLite file on the till's disk,
of every call that changes a transaction. Its entries come back as dataclasses holding their transaction (for
printing again, marked as a copy, without the network)."""

import ctypes
import enum
from dataclasses import dataclass, field
from typing import List, Optional

from . import _ffi
from ._handle import Handle
from ._library import library
from .transaction import Transaction


class Call(enum.IntEnum):
    """What an entry's call was (the SX_CALL_ constants)."""

    CREATE = _ffi.SX_CALL_CREATE
    START = _ffi.SX_CALL_START
    """A start of any method, cashless_direct and start_cash too."""
    CANCEL = _ffi.SX_CALL_CANCEL
    ABORT = _ffi.SX_CALL_ABORT
    CANCEL_BY_RECEIPT = _ffi.SX_CALL_CANCEL_BY_RECEIPT


class Outcome(enum.IntEnum):
    """What became of an entry's call (the SX_OUTCOME_ constants)."""

    PENDING = _ffi.SX_OUTCOME_PENDING
    """Sent or perhaps sent; not known yet: `Client.reconcile` settles it."""
    DONE = _ffi.SX_OUTCOME_DONE
    """The API did it (created, paid, cancelled, aborted)."""
    NOT_DONE = _ffi.SX_OUTCOME_NOT_DONE
    """It did not happen (not sent, refused, declined, or read back as not done)."""


@dataclass(frozen=True)
class JournalEntry:
    """One entry, as `sx_journal_list_get` gives it, with its transaction (None when the call got none back).
    `call` is an int only for a call a newer library added."""

    seq: int
    call: Call
    outcome: Outcome
    result: int
    """The sx_result the call returned to its caller; 0 while it runs or if a crash ended it."""
    http_status: int
    began_ms: int
    settled_ms: int
    transaction_id: str
    method: str
    reference: str
    transaction: Optional[Transaction] = field(default=None, compare=False)

    def copy_text(self, marker: str = "*** COPY ***", columns: int = 42) -> str:
        """The customer receipt of the kept transaction as text, its first and last rows `marker` (a receipt
        printed again must say so: "*** KOPIE ***" in German). ValueError when the entry holds no transaction."""
        if self.transaction is None:
            raise ValueError(f"journal entry {self.seq} holds no transaction to print")
        return self.transaction.render_copy(marker, columns=columns).decode("utf-8")


@dataclass(frozen=True)
class Reconciled:
    """What `Client.reconcile` did: `settled` entries moved out of PENDING, `still_pending` left, and
    `newly_done`: the entries that were PENDING before this reconcile and are DONE now, oldest first. Its
    START entries are payments whose answer the register never got: print their receipts now (marked as a copy:
    nobody can tell whether a receipt came out before the crash)."""

    settled: int
    still_pending: int
    newly_done: List[JournalEntry]


class _JournalList(Handle):
    """An sx_journal_list: owns the snapshot; the transactions of its entries keep it alive."""

    _kind = "journal list"

    def __init__(self, handle: "ctypes._Pointer") -> None:
        super().__init__(handle, library().sx_journal_list_free)

    def entries(self) -> List[JournalEntry]:
        lib = library()
        entries = []
        with self._use() as handle:
            for index in range(lib.sx_journal_list_count(handle)):
                raw = _ffi.sx_journal_entry()
                code = lib.sx_journal_list_get(handle, index, ctypes.byref(raw))
                if code != _ffi.SX_OK:  # cannot happen for an index below the count
                    continue
                tx_handle = lib.sx_journal_list_transaction(handle, index)
                tx = Transaction._borrowed(tx_handle, b"", self) if tx_handle else None
                entries.append(_entry(raw, tx))
        return entries


def _entry(raw: "_ffi.sx_journal_entry", tx: Optional[Transaction]) -> JournalEntry:
    def text(value: Optional[bytes]) -> str:
        return (value or b"").decode("utf-8", "replace")

    try:
        call = Call(raw.call)
    except ValueError:
        call = raw.call  # type: ignore[assignment]  a call of a newer library
    return JournalEntry(
        seq=int(raw.seq),
        call=call,
        outcome=Outcome(raw.outcome),
        result=int(raw.result),
        http_status=int(raw.http_status),
        began_ms=int(raw.began_ms),
        settled_ms=int(raw.settled_ms),
        transaction_id=text(raw.transaction_id),
        method=text(raw.method),
        reference=text(raw.reference),
        transaction=tx,
    )
