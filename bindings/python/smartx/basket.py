"""The basket of a sale (sx_basket): currency, products in integer cents, the register's references, the customer's
loyalty card."""

import ctypes
from typing import Optional, Union

from . import _ffi
from ._call import INT32, INT64, UINT32, c_integer, c_text, raise_for
from ._handle import Handle
from ._library import library

Text = Union[str, bytes]


class Basket(Handle):
    """What is sold, for `Client.create(basket)`. Money is integer cents throughout: a float price is a
    TypeError, so no floating point is ever on the way to the API.

        with smartx.Basket("EUR") as basket:
            basket.add_product("Brötchen", quantity=4, unit_price_cents=45, vat_percent=7, article_number="30037")
            basket.set_refs(merchant_ref="till-7", transaction_ref="Beleg 55501")
            tx = client.create(basket)

    Nothing is sent while building it; the total is checked by `Client.create` (an overflow or a negative total
    raises InvalidArgumentError there, and nothing is sent). Build a basket on one thread; once built, creates on
    several threads may read it at once. Closed by `close()`, by leaving a `with` block, or when
    garbage-collected; the transactions created from it do not need it."""

    _kind = "basket"

    def __init__(self, currency: str = "EUR") -> None:
        """`currency`: three capital letters (ISO 4217); anything else raises InvalidArgumentError."""
        handle = ctypes.POINTER(_ffi.sx_basket)()
        raise_for(library().sx_basket_new(c_text(currency, "currency"), ctypes.byref(handle)))
        super().__init__(handle, library().sx_basket_free)

    def add_product(
        self,
        description: Text,
        quantity: int,
        unit_price_cents: int,
        vat_percent: int,
        article_number: Optional[Text] = None,
        ean: Optional[Text] = None,
    ) -> "Basket":
        """Adds `quantity` × `unit_price_cents` (gross, an int: 2,90 € is 290) at a whole `vat_percent`
        (0 to 100). Quantity and price may be negative (a return, a coupon). Texts are UTF-8, at most 1024
        bytes, without control characters; `description` must not be blank.

        Raises TypeError for a float, bool or None where a number or text is needed, OverflowError for a number
        outside the C type (quantity 32-bit, price 64-bit), InvalidArgumentError for what the library refuses;
        the basket is then unchanged. Returns the basket, so calls can be chained."""
        raise_for(
            self._call(
                library().sx_basket_add_product,
                c_text(description, "description"),
                c_text(article_number, "article_number", optional=True),
                c_text(ean, "ean", optional=True),
                c_integer(quantity, "quantity", *INT32),
                c_integer(unit_price_cents, "unit_price_cents", *INT64),
                c_integer(vat_percent, "vat_percent", *UINT32),
            )
        )
        return self

    def set_refs(self, merchant_ref: Optional[Text] = None, transaction_ref: Optional[Text] = None) -> "Basket":
        """The register's own references, sent as `merchantRef` and `transactionRef` (e.g. the till and its
        receipt number, to find the transaction again); None or "" sends none, and a call replaces both."""
        raise_for(
            self._call(
                library().sx_basket_set_refs,
                c_text(merchant_ref, "merchant_ref", optional=True),
                c_text(transaction_ref, "transaction_ref", optional=True),
            )
        )
        return self

    def set_ident(self, card_number: Optional[Text]) -> "Basket":
        """The customer's loyalty card number (1 to 64 of 0-9 A-Z a-z: remove a scanner's spaces and dashes),
        sent as the transaction's ident by `Client.create` and `Client.update`; None clears it. Never shown in
        full in a log line or error message of the library."""
        raise_for(self._call(library().sx_basket_set_ident, c_text(card_number, "card_number", optional=True)))
        return self
