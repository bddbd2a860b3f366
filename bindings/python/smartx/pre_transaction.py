"""The answer of preTransaction: what remains to pay before the start and the bonus products a customer card
brings (negative unit prices)."""

import ctypes
from typing import List, Optional

from . import _ffi
from ._call import raise_for
from ._handle import Handle
from ._library import library
from .transaction import Product, optional_value, product_of


class PreTransaction(Handle):
    """A pre-check from Client.pre_check, owning its sx_pre_transaction handle (closed like a Transaction)."""

    _kind = "pre-check"

    def __init__(self, handle: "ctypes._Pointer") -> None:
        super().__init__(handle, library().sx_pre_transaction_free)

    @property
    def missing_sum(self) -> Optional[int]:
        """What remains to pay in cents; None when the answer has none."""
        return optional_value(library().sx_pre_transaction_missing_sum, self._live(), ctypes.c_int64)

    @property
    def bonus_products(self) -> List[Product]:
        lib = library()
        handle = self._live()
        products = []
        for index in range(lib.sx_pre_transaction_bonus_count(handle)):
            p = _ffi.sx_product()
            raise_for(lib.sx_pre_transaction_bonus_get(handle, index, ctypes.byref(p)))
            products.append(product_of(p))
        return products
