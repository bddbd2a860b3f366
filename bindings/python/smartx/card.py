"""The loyalty card at the till and the terminal beside it (issue 22): what the C library read, as dataclasses.

    card = client.find_card("9276004428481652")      # None: no card has this number (SX_ERR_ABSENT)
    print(card.number_masked, card.balance)           # cents, int; None when the answer left it out
    if card.locked: ...                                # whether it can pay (not its stock status)
    client.check_csc(card, "4471")                     # True / False: a "no" is an answer, not an error
    with client.card_balance_receipt(card) as slip:    # a Transaction whose receipt is the balance slip
        print(slip.text())
    terminal = client.get_device("SDV_...")            # terminal.online does not prove it can pay

The handle of the card stays with the dataclass (`_handle`, closed with it) for the checks and the slip."""

import ctypes
from dataclasses import dataclass, field
from typing import Any, Optional

from ._call import raise_for
from ._handle import Handle
from ._library import library
from .transaction import optional_value


def _text(function: Any, handle: "ctypes._Pointer") -> str:
    return function(handle).decode("utf-8", "replace")


class _CardHandle(Handle):
    _kind = "card"

    def __init__(self, handle: "ctypes._Pointer") -> None:
        super().__init__(handle, library().sx_card_free)


@dataclass(frozen=True)
class Card:
    """A loyalty merchant card. Amounts are integer cents (points a count); None when the API left one out."""

    id: str
    number: str
    number_masked: str
    group_name: str
    balance: Optional[int]
    cash_balance: Optional[int]
    bonus_balance: Optional[int]
    points: Optional[int]
    locked: Optional[bool]
    lock_status: str
    expiry: str
    _handle: _CardHandle = field(repr=False, compare=False)

    @staticmethod
    def _of(handle: "ctypes._Pointer") -> "Card":
        owner = _CardHandle(handle)
        lib = library()
        with owner._use() as h:
            locked = optional_value(lib.sx_card_locked, h, ctypes.c_uint32)
            return Card(
                id=_text(lib.sx_card_id, h),
                number=_text(lib.sx_card_number, h),
                number_masked=_text(lib.sx_card_number_masked, h),
                group_name=_text(lib.sx_card_group_name, h),
                balance=optional_value(lib.sx_card_balance, h, ctypes.c_int64),
                cash_balance=optional_value(lib.sx_card_cash_balance, h, ctypes.c_int64),
                bonus_balance=optional_value(lib.sx_card_bonus_balance, h, ctypes.c_int64),
                points=optional_value(lib.sx_card_points, h, ctypes.c_int64),
                locked=None if locked is None else bool(locked),
                lock_status=_text(lib.sx_card_lock_status, h),
                expiry=_text(lib.sx_card_expiry, h),
                _handle=owner,
            )

    def __repr__(self) -> str:
        # Never the number in full: a repr ends up in logs.
        return f"Card(id={self.id!r}, number={self.number_masked!r}, balance={self.balance!r}, locked={self.locked!r})"

    def close(self) -> None:
        self._handle.close()


@dataclass(frozen=True)
class Device:
    """A smart device, e.g. the card terminal. `online` (None when the answer has none) is the API's only
    liveness field: it does not prove the terminal can pay; only a payment or the diagnosis does."""

    id: str
    type: str
    description: str
    vendor: str
    tid: str
    online: Optional[bool]

    @staticmethod
    def _of(handle: "ctypes._Pointer") -> "Device":
        lib = library()
        try:
            online = optional_value(lib.sx_device_online, handle, ctypes.c_uint32)
            return Device(
                id=_text(lib.sx_device_id, handle),
                type=_text(lib.sx_device_type, handle),
                description=_text(lib.sx_device_description, handle),
                vendor=_text(lib.sx_device_vendor, handle),
                tid=_text(lib.sx_device_tid, handle),
                online=None if online is None else bool(online),
            )
        finally:
            lib.sx_device_free(handle)


def payment_methods_of(handle: "ctypes._Pointer") -> list:
    lib = library()
    try:
        names = []
        for index in range(lib.sx_payment_methods_count(handle)):
            name = ctypes.c_char_p()
            raise_for(lib.sx_payment_methods_get(handle, index, ctypes.byref(name)))
            names.append((name.value or b"").decode("utf-8", "replace"))
        return names
    finally:
        lib.sx_payment_methods_free(handle)

