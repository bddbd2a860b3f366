"""A parsed Smart Transaction: its fields, products, idents, references and receipt lines, a JSON pointer for
anything else, and the verdict of a check. Absent values are "" for strings and None for numbers and flags."""

import ctypes
import enum
from dataclasses import dataclass
from typing import Callable, List, NamedTuple, Optional, Union

from . import _ffi
from ._call import c_text, raise_for, read_string
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


@dataclass(frozen=True)
class Product:
    """One basket position (or a bonus product of a pre-check), copied out of the library. Money in cents; an
    integer the answer did not have is None."""

    desc: str
    article_number: str
    ean: str
    item_type: str  # "article", "coupon", ...
    id: Optional[int]
    parent: Optional[int]
    quantity: Optional[int]
    unit_price_cents: Optional[int]  # negative for a bonus
    vat_percent: Optional[int]


@dataclass(frozen=True)
class Ident:
    """A card presented for the transaction (idents[]), copied out of the library. `card_number` is a full card
    number: show it, never log it."""

    id: str
    prefix: str
    name: str
    type: str  # "card" or "create_card"
    card_number: str
    card_group_name: str
    lock_status: str
    stock_status: str
    valid: Optional[bool]
    points: Optional[int]
    cash_balance: Optional[int]  # cents
    bonus_balance: Optional[int]  # cents
    balance: Optional[int]  # cents


@dataclass(frozen=True)
class Reference:
    """A reference to another object (transactions[]), e.g. the loyalty or payment transaction a start made."""

    object: str
    id: str


def _present(value: int, present: int, bit: int) -> Optional[int]:
    return int(value) if present & bit else None


def product_of(p: "_ffi.sx_product") -> Product:
    """A Product from the library's struct (its strings copied)."""
    return Product(
        desc=_text(p.desc),
        article_number=_text(p.article_number),
        ean=_text(p.ean),
        item_type=_text(p.item_type),
        id=_present(p.id, p.present, _ffi.SX_PRODUCT_HAS_ID),
        parent=_present(p.parent, p.present, _ffi.SX_PRODUCT_HAS_PARENT),
        quantity=_present(p.quantity, p.present, _ffi.SX_PRODUCT_HAS_QUANTITY),
        unit_price_cents=_present(p.unit_price_cents, p.present, _ffi.SX_PRODUCT_HAS_UNIT_PRICE),
        vat_percent=_present(p.vat_percent, p.present, _ffi.SX_PRODUCT_HAS_VAT),
    )


def optional_value(function: Callable[..., int], handle: "ctypes._Pointer", ctype: type) -> Optional[int]:
    """Calls an `sx_result f(handle, T *out)` getter: the value, or None for SX_ERR_ABSENT."""
    out = ctype()
    code = function(handle, ctypes.byref(out))
    if code == _ffi.SX_ERR_ABSENT:
        return None
    raise_for(code)
    return int(out.value)


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

    def _string(self, function: Callable[..., Optional[bytes]]) -> str:
        return _text(function(self._live()))

    @property
    def status_code(self) -> int:
        """The status as an SX_STATUS_ value (SX_STATUS_OK, ...); SX_STATUS_UNKNOWN for any other."""
        return int(library().sx_transaction_status_code(self._live()))

    @property
    def payment_method(self) -> str:
        return self._string(library().sx_transaction_payment_method)

    @property
    def trans_id(self) -> str:
        """The API's transaction number, as digits whether it came as a number or a string."""
        return self._string(library().sx_transaction_trans_id)

    @property
    def receipt_number(self) -> str:
        """The card terminal's receipt number (for canceltrx)."""
        return self._string(library().sx_transaction_receipt_number)

    @property
    def currency(self) -> str:
        return self._string(library().sx_transaction_currency)

    @property
    def merchant_id(self) -> str:
        return self._string(library().sx_transaction_merchant_id)

    @property
    def merchant_name(self) -> str:
        return self._string(library().sx_transaction_merchant_name)

    @property
    def created(self) -> str:
        """ISO 8601 with offset, as the API wrote it."""
        return self._string(library().sx_transaction_created)

    @property
    def updated(self) -> str:
        return self._string(library().sx_transaction_updated)

    @property
    def merchant_ref(self) -> str:
        return self._string(library().sx_transaction_merchant_ref)

    @property
    def transaction_ref(self) -> str:
        return self._string(library().sx_transaction_transaction_ref)

    @property
    def intent(self) -> str:
        return self._string(library().sx_transaction_intent)

    @property
    def device_source(self) -> str:
        """The id of the device that made the transaction."""
        return self._string(library().sx_transaction_device_source)

    @property
    def device_destination(self) -> str:
        return self._string(library().sx_transaction_device_destination)

    @property
    def missing_sum(self) -> Optional[int]:
        """What remains to pay in cents after a card's balance; None when the answer has none."""
        return optional_value(library().sx_transaction_missing_sum, self._live(), ctypes.c_int64)

    @property
    def gratuity(self) -> Optional[int]:
        return optional_value(library().sx_transaction_gratuity, self._live(), ctypes.c_int64)

    @property
    def is_demo(self) -> Optional[bool]:
        flag = optional_value(library().sx_transaction_is_demo, self._live(), ctypes.c_uint32)
        return None if flag is None else bool(flag)

    @property
    def receipt_merchant_print(self) -> Optional[bool]:
        """True when the API asks the register to print the merchant copy."""
        flag = optional_value(library().sx_transaction_receipt_merchant_print, self._live(), ctypes.c_uint32)
        return None if flag is None else bool(flag)

    @property
    def products(self) -> List[Product]:
        lib = library()
        handle = self._live()
        products = []
        for index in range(lib.sx_transaction_product_count(handle)):
            p = _ffi.sx_product()
            raise_for(lib.sx_transaction_product_get(handle, index, ctypes.byref(p)))
            products.append(product_of(p))
        return products

    @property
    def idents(self) -> List[Ident]:
        lib = library()
        handle = self._live()
        idents = []
        for index in range(lib.sx_transaction_ident_count(handle)):
            i = _ffi.sx_ident()
            raise_for(lib.sx_transaction_ident_get(handle, index, ctypes.byref(i)))
            idents.append(
                Ident(
                    id=_text(i.id),
                    prefix=_text(i.prefix),
                    name=_text(i.name),
                    type=_text(i.type),
                    card_number=_text(i.card_number),
                    card_group_name=_text(i.card_group_name),
                    lock_status=_text(i.lock_status),
                    stock_status=_text(i.stock_status),
                    valid=bool(i.valid) if i.present & _ffi.SX_IDENT_HAS_VALID else None,
                    points=_present(i.points, i.present, _ffi.SX_IDENT_HAS_POINTS),
                    cash_balance=_present(i.cash_balance, i.present, _ffi.SX_IDENT_HAS_CASH_BALANCE),
                    bonus_balance=_present(i.bonus_balance, i.present, _ffi.SX_IDENT_HAS_BONUS_BALANCE),
                    balance=_present(i.balance, i.present, _ffi.SX_IDENT_HAS_BALANCE),
                )
            )
        return idents

    @property
    def references(self) -> List[Reference]:
        lib = library()
        handle = self._live()
        references = []
        for index in range(lib.sx_transaction_reference_count(handle)):
            r = _ffi.sx_reference()
            raise_for(lib.sx_transaction_reference_get(handle, index, ctypes.byref(r)))
            references.append(Reference(object=_text(r.object), id=_text(r.id)))
        return references

    def json(self, pointer: str) -> Optional[str]:
        """Any value of the answer by JSON pointer (RFC 6901), e.g. "/idents/0/merchantcard/customer/contact/name":
        a string as its text, anything else as compact JSON; None when nothing (or null) is there. A malformed
        pointer raises InvalidArgumentError."""
        lib = library()
        handle = self._live()
        length = ctypes.c_size_t(0)
        data = pointer.encode("utf-8")
        code = lib.sx_transaction_get_json(handle, data, None, 0, ctypes.byref(length))
        if code == _ffi.SX_ERR_ABSENT:
            return None
        if code not in (0, _ffi.SX_ERR_BUFFER_TOO_SMALL):
            raise_for(code)
        buffer = ctypes.create_string_buffer(length.value + 1)
        raise_for(lib.sx_transaction_get_json(handle, data, buffer, len(buffer), ctypes.byref(length)))
        return buffer.raw[: length.value].decode("utf-8", "replace")

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

    def render_copy(
        self,
        marker: str,
        which: int = _ffi.SX_RECEIPT_CUSTOMER,
        columns: int = 42,
        format: int = _ffi.SX_FORMAT_TEXT,
        codepage: int = _ffi.SX_CODEPAGE_CP858,
        flags: int = 0,
    ) -> bytes:
        """As `render`, for a receipt printed again: its first and last rows are `marker` (e.g. "*** KOPIE ***",
        1 to SX_COPY_MARKER_MAX bytes), so that a receipt printed twice says so."""
        options = _ffi.sx_render_options(columns=columns, format=format, codepage=codepage, flags=flags)
        marker_c = c_text(marker, "marker")
        with self._use() as handle:
            return read_string(library().sx_receipt_render_copy, handle, which, ctypes.byref(options), marker_c)

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
