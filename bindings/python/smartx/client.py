"""The client handle (sx_client): its own base URL, timeouts, CAs, proxy, log and tokens, and the calls of the
register's day on it (create, get, list, update, start, cancel, abort, check, canceltrx, end of day, diagnosis)."""

import ctypes
import json
from typing import Any, Callable, Iterator, List, Optional

from . import _ffi
from ._call import INT64, UINT32, c_integer, c_text, raise_for, read_string
from ._handle import Handle
from ._library import library
from .basket import Basket
from .card import Card, Device, payment_methods_of
from .errors import NotOkError, SmartxError
from .journal import JournalEntry, Outcome, Reconciled, _JournalList
from .pre_transaction import PreTransaction
from .transaction import Checked, Transaction, Verdict

LogCallback = Callable[[int, str], None]
PairCallback = Callable[[str, str, int], None]


class Client(Handle):
    """A client: its configuration, log and tokens, owning its sx_client handle.

        with smartx.Client(sandbox_url) as client:
            client.use_client_credentials("till", "s3cret")
            with client.start_cash("STX_...") as tx:
                print(tx.text())

    Closed by `close()`, by leaving a `with` block, or when garbage-collected; using a closed one raises
    ValueError. One client may be shared between threads (every call releases the GIL while it waits and holds
    no lock); `cancel_pairing()` may be called from any thread, and `close()` too: calls under way on other
    threads finish, and the last of them frees the client."""

    _kind = "client"

    def __init__(self, base_url: Optional[str] = None) -> None:
        """`base_url`: "testing", "live", a URL, or None for $SX_BASE_URL (else testing). Sends nothing."""
        handle = ctypes.POINTER(_ffi.sx_client)()
        raise_for(library().sx_client_new(c_text(base_url, "base_url", optional=True), ctypes.byref(handle)))
        # The log trampoline must outlive every call that may log: it is kept here and dropped only after
        # sx_client_free (the finalizer holds a reference to it through `keep`).
        self._keep: List[object] = []
        super().__init__(handle, _free, self._keep)

    def set_timeouts(self, connect_ms: int = 0, total_ms: int = 0, terminal_ms: int = 0) -> None:
        """Timeouts of later calls in milliseconds; 0 keeps that one's default (10 s, 60 s, 5 min)."""
        raise_for(self._call(library().sx_client_set_timeouts, connect_ms, total_ms, terminal_ms))

    def add_ca_file(self, pem_path: str) -> None:
        """Trusts the CA certificates of a PEM file on top of the system's roots; read and checked now."""
        raise_for(self._call(library().sx_client_add_ca_file, c_text(pem_path, "pem_path")))

    def set_proxy(self, proxy_url: Optional[str]) -> None:
        """Sends later calls through an HTTP CONNECT proxy `http://host:port`; None removes it."""
        raise_for(self._call(library().sx_client_set_proxy, c_text(proxy_url, "proxy_url", optional=True)))

    def set_log(self, callback: Optional[LogCallback], max_level: int = _ffi.SX_LOG_INFO) -> None:
        """Sends log lines of `max_level` and below (SX_LOG_ERROR 1 .. SX_LOG_DEBUG 4) to
        `callback(level, message)`; None or level 0 turns the log off.

        The callback is called on the thread that makes the library call (several at once when the client is
        shared), while that call runs; it must not call into smartx. An exception it raises is swallowed
        (it cannot cross into C) and the line is lost. No line ever holds a token or secret. The callback is
        kept alive as long as the client."""
        if callback is None or max_level == 0:
            raise_for(self._call(library().sx_client_set_log, _ffi.sx_log_callback(), None, 0))
            return

        def trampoline(_user_data: object, level: int, message: Optional[bytes]) -> None:
            try:
                callback(int(level), (message or b"").decode("utf-8", "replace"))
            except BaseException:  # noqa: BLE001  nothing may unwind into C; a log line is not worth a crash
                pass

        c_callback = _ffi.sx_log_callback(trampoline)
        raise_for(self._call(library().sx_client_set_log, c_callback, None, max_level))
        # Older trampolines stay too: a call on another thread may still be inside one.
        self._keep.append(c_callback)

    def use_token(self, access_token: str) -> None:
        """Uses a fixed token for later calls; never renewed."""
        raise_for(self._call(library().sx_client_use_token, c_text(access_token, "access_token")))

    def use_client_credentials(self, client_id: str, client_secret: str) -> None:
        """Gets and renews tokens with the client_credentials grant, from the first call on."""
        raise_for(
            self._call(
                library().sx_client_use_client_credentials,
                c_text(client_id, "client_id"),
                c_text(client_secret, "client_secret"),
            )
        )

    def use_refresh_token(self, client_id: str, client_secret: str, refresh_token: str) -> None:
        """Gets tokens with a refresh token kept from an earlier pairing (see `refresh_token()`)."""
        raise_for(
            self._call(
                library().sx_client_use_refresh_token,
                c_text(client_id, "client_id"),
                c_text(client_secret, "client_secret"),
                c_text(refresh_token, "refresh_token"),
            )
        )

    def pair(self, client_id: str, client_secret: str, device_uuid: str, on_code: PairCallback) -> None:
        """Pairs the till with the merchant's account (the device flow); blocks until the merchant confirms.

        `on_code(user_code, verification_url, expires_in_s)` is called once, on this thread, with the code to
        show. An exception it raises is re-raised here after the library returns (the pairing goes on in
        between: call `cancel_pairing()` if that is not wanted). `cancel_pairing()` from another thread ends
        the call with CancelledError within a second; an expired code raises ExpiredError."""
        raised: List[BaseException] = []

        def trampoline(_user_data: object, user_code: bytes, url: bytes, expires_in_s: int) -> None:
            try:
                on_code(
                    (user_code or b"").decode("utf-8", "replace"),
                    (url or b"").decode("utf-8", "replace"),
                    int(expires_in_s),
                )
            except BaseException as error:  # noqa: BLE001  re-raised after the C call returns
                raised.append(error)

        c_callback = _ffi.sx_pair_callback(trampoline)  # alive until the call returns: a local held here
        code = self._call(
            library().sx_client_pair,
            c_text(client_id, "client_id"),
            c_text(client_secret, "client_secret"),
            c_text(device_uuid, "device_uuid"),
            c_callback,
            None,
        )
        if raised:
            raise raised[0]
        raise_for(code, network=True)

    def prepare(self) -> None:
        """Gets ready for a payment when the cashier starts a sale: renews the token if it is due within 5
        minutes and makes a connection ready (DNS, TCP, TLS), so that the payment costs one round trip. Sends no
        API request; ends within the connect timeout; cheap when called again while all is fresh. Raises the
        SmartxError subclass of the result (ConnectError, TlsError, ...); the next call works as without it."""
        raise_for(self._call(library().sx_client_prepare))

    def cancel_pairing(self) -> None:
        """Ends the pair() calls under way on this client (from any thread): they raise CancelledError."""
        self._call(library().sx_client_cancel)

    def refresh_token(self) -> str:
        """The refresh token the client holds ("" if none): a secret, to store for use_refresh_token()."""
        with self._use() as handle:
            return read_string(library().sx_client_refresh_token, handle).decode("ascii", "replace")

    def start_cash(self, transaction_id: str) -> Transaction:
        """Registers the payment the register took itself (cash, its own terminal) with this client's token
        and returns the transaction, whose receipt must be printed. Never repeated: after
        OutcomeUnknownError read the transaction back first.

        Raises the SmartxError subclass of the result; NotOkError carries the unpaid transaction in
        `.transaction` (print its receipt too)."""
        lib = library()
        length = ctypes.c_size_t(0)
        # A size query, as smartx.start_cash: on success the answer is read from the thread's last response,
        # so the payment is sent once whatever its size.
        transaction_id_c = c_text(transaction_id, "transaction_id")
        code = self._call(lib.sx_client_start_cash, transaction_id_c, None, 0, ctypes.byref(length))
        if code == _ffi.SX_ERR_BUFFER_TOO_SMALL:
            return Transaction.parse(read_string(lib.sx_last_response))
        if code == _ffi.SX_ERR_NOT_OK:
            answer = read_string(lib.sx_last_response)
            try:
                raise_for(code, network=True)
            except NotOkError as error:
                error.transaction = Transaction.parse(answer)
                raise
        raise_for(code, network=True)
        return Transaction.parse(read_string(lib.sx_last_response))

    # The journal: open it once, before the first call, then reconcile (sx_client_open_journal and the
    # sx_journal_ functions of smartx.h say the rules).

    def open_journal(self, path: str) -> None:
        """Opens the client's journal at `path`, or creates the file (never its folder; mode 0600). From now on
        every create, start, cancel, abort and cancel by receipt is written to it, and synced to the disk, before
        anything of it is sent. JournalError when the file cannot be created, opened or written, or is not a
        smartx journal (left as it was); InvalidArgumentError when the client has one already."""
        raise_for(self._call(library().sx_client_open_journal, c_text(path, "path")))

    def pending(self) -> List[JournalEntry]:
        """The PENDING entries, oldest first: calls whose result is not known yet."""
        return self._journal_list(library().sx_journal_pending)

    def recent(self, max_entries: int = 0) -> List[JournalEntry]:
        """The newest `max_entries` entries (0: all), newest first."""
        return self._journal_list(library().sx_journal_recent, c_integer(max_entries, "max_entries", *UINT32))

    def reconcile(self) -> Reconciled:
        """Settles the PENDING entries by reading them back from the API; never repeats a call. Call it at
        start-up after `open_journal`, and when the network is back. Returns the counts and the entries it
        moved to DONE (print the receipts of their starts). A failed read raises its SmartxError (after the
        others were tried; the network down stops it) with `.reconciled` holding what was done."""
        before = {entry.seq for entry in self.pending()}
        settled, still_pending = ctypes.c_size_t(0), ctypes.c_size_t(0)
        code = self._call(library().sx_client_reconcile, ctypes.byref(settled), ctypes.byref(still_pending))
        newly_done: List[JournalEntry] = []
        if before:
            # Every entry from the oldest that was pending: newest first, so the count is newest - oldest + 1.
            newest = self.recent(1)
            span = newest[0].seq - min(before) + 1 if newest else 0
            candidates = self.recent(min(max(span, 0), UINT32[1]))
            newly_done = [e for e in reversed(candidates) if e.seq in before and e.outcome is Outcome.DONE]
        reconciled = Reconciled(settled.value, still_pending.value, newly_done)
        try:
            raise_for(code, network=True)
        except SmartxError as error:
            error.reconciled = reconciled  # type: ignore[attr-defined]
            raise
        return reconciled

    def settle(self, seq: int, outcome: Outcome) -> None:
        """A person's decision for what no read-back can settle: PENDING entry `seq` becomes Outcome.DONE or
        Outcome.NOT_DONE. Any other entry or outcome raises InvalidArgumentError."""
        seq_c = c_integer(seq, "seq", *INT64)
        raise_for(self._call(library().sx_journal_settle, seq_c, c_integer(int(outcome), "outcome", *UINT32)))

    def _journal_list(self, function: Callable[..., int], *args: Any) -> List[JournalEntry]:
        out = ctypes.POINTER(_ffi.sx_journal_list)()
        raise_for(self._call(function, *args, ctypes.byref(out)))
        return _JournalList(out).entries()

    # The register's day. Each call sends one request (never repeated by the library or by this binding) and
    # blocks, with the GIL released, for at most the total timeout (the terminal timeout for the card methods
    # of start). Any thread may call at once on one shared client. Failures raise the SmartxError subclass of
    # the result, with the HTTP status and the answer's body.

    def create(self, basket: Basket) -> Transaction:
        """Creates a Smart Transaction from `basket` (status "created"); keep its `id` for `start`. A basket
        whose total overflows or is negative raises InvalidArgumentError and nothing is sent. After
        OutcomeUnknownError a transaction may have been created unseen: it is never paid, so create another."""
        if not isinstance(basket, Basket):
            raise TypeError(f"basket must be a smartx.Basket, not {type(basket).__name__}")
        with basket._use() as sale:
            return self._transaction_call(library().sx_transaction_create, sale)

    def get(self, transaction_id: str) -> Transaction:
        """Reads a transaction, whatever its status; an unknown id raises ApiError (http_status 404). An answer
        about another transaction, or with no id, raises BadResponseError: read again."""
        return self._transaction_call(library().sx_transaction_get, c_text(transaction_id, "transaction_id"))

    def list(self, transaction_ref: str, page_size: int = 20) -> Iterator[Transaction]:
        """The transactions whose transactionRef is `transaction_ref` byte for byte (the API's near matches,
        "Beleg 10" for "Beleg 1", are dropped), oldest first: an iterator that asks for the next page of `page_size` (0: the API's
        default) when the previous one is used up. This is how a register finds a transaction whose create answer
        was lost. Arguments are checked here; a page that cannot be read raises from the iteration (a read: safe
        to iterate again). Each transaction lives as long as it is referenced."""
        reference = c_text(transaction_ref, "transaction_ref")
        size = c_integer(page_size, "page_size", *UINT32)
        with self._use():
            pass  # a closed client is refused now, not at the first next()
        return self._pages(reference, size)

    def _pages(self, reference: Optional[bytes], size: int) -> Iterator[Transaction]:
        lib = library()
        offset = 0
        while True:
            out = ctypes.POINTER(_ffi.sx_transaction_list)()
            code = self._call(lib.sx_transaction_list_by_ref, reference, size, offset, ctypes.byref(out))
            raise_for(code, network=True)
            page = _Page(out, read_string(lib.sx_last_response))
            count, total = lib.sx_transaction_list_count(out), lib.sx_transaction_list_total(out)
            for index in range(count):
                yield Transaction._borrowed(lib.sx_transaction_list_get(out, index), page.item(index), page)
            # The API pages by its own matches, near ones the library dropped included: the next page starts
            # a page size on, not after the exact matches kept.
            held = size if size else count
            offset += held
            if held == 0 or offset >= total or offset > UINT32[1]:  # an offset past uint32 cannot be asked
                return

    def update(self, transaction_id: str, basket: Basket) -> Transaction:
        """Replaces the basket of a transaction not yet started (products and basket_info always; references and
        ident when the basket has them); after the start the API refuses (ApiError). Changes nothing paid, so it
        may be sent again after OutcomeUnknownError."""
        if not isinstance(basket, Basket):
            raise TypeError(f"basket must be a smartx.Basket, not {type(basket).__name__}")
        transaction_id_c = c_text(transaction_id, "transaction_id")
        with basket._use() as sale:
            return self._transaction_call(library().sx_transaction_update, transaction_id_c, sale)

    def start(self, transaction_id: str, method: str) -> Transaction:
        """Pays with `method` ("cash", "cashless", "debit", "invoice", "loyalty", "prepaid", "ccload", ...)
        and returns the paid transaction (status "ok"), whose receipt must be printed.

        A transaction that came back unpaid (a declined card: status "failed") raises NotOkError, and
        `error.transaction` holds it: print its receipt too. A second start is refused by the API (ApiError).
        Never repeated: after OutcomeUnknownError the payment may have been made; run the `check` loop before
        starting again."""
        return self._transaction_call(
            library().sx_transaction_start,
            c_text(transaction_id, "transaction_id"),
            c_text(method, "method"),
        )

    def start_cashless_direct(self, transaction_id: str, tid: str, trace: str, card_type: str) -> Transaction:
        """Reports a card payment the register's own terminal made, with the terminal id, trace number and card
        type it printed (e.g. "girocard"). Results as `start`: NotOkError carries an unpaid transaction, and
        after OutcomeUnknownError run the `check` loop, never start again blindly."""
        return self._transaction_call(
            library().sx_transaction_start_cashless_direct,
            c_text(transaction_id, "transaction_id"),
            c_text(tid, "tid"),
            c_text(trace, "trace"),
            c_text(card_type, "card_type"),
        )

    def cancel_by_receipt(self, receipt_number: str) -> Transaction:
        """Reverses a card payment at the terminal by the receipt number printed on its receipt (a str: "0001"),
        before an end of day settled it (then ApiError, HTTP 400; an unknown number ApiError, HTTP 404). Waits
        for the terminal. Returns only a transaction come back "cancelled"/"canceled"; in another state
        NotOkError with `.transaction`. After OutcomeUnknownError read the transaction back before reversing
        again."""
        return self._transaction_call(
            library().sx_transaction_cancel_by_receipt, c_text(receipt_number, "receipt_number")
        )

    def end_of_day(self) -> Transaction:
        """Closes the day at this device's card terminal; returns the report to print (its receipt lines). The
        card payments it settled can no longer be reversed by `cancel_by_receipt`. A report with another status
        than "ok" raises NotOkError carrying it in `.transaction`. Waits for the terminal (its timeout): after
        OutcomeUnknownError the day may have been closed; running it again is harmless but that report is lost."""
        return self._transaction_call(library().sx_terminal_end_of_day)

    def diagnosis(self) -> Transaction:
        """Asks this device's card terminal to check itself; returns the report, as `end_of_day` (NotOkError
        carries a report that is not "ok"). Changes nothing: safe to ask again."""
        return self._transaction_call(library().sx_terminal_diagnosis)

    def cancel(self, transaction_id: str) -> Transaction:
        """Reverses a paid transaction (it becomes "cancelled"); only after "ok", else ApiError. Returns only a
        transaction come back "cancelled"/"canceled"; in another state NotOkError, its `.transaction` holding it
        ("ok": still paid, not reversed; "processing"/"pending": read it back later). After
        OutcomeUnknownError or BadResponseError read it back (`get`) before cancelling again."""
        return self._transaction_call(library().sx_transaction_cancel, c_text(transaction_id, "transaction_id"))

    def abort(self, transaction_id: str) -> Transaction:
        """Drops a transaction never started (it becomes "aborted"); only while "created", else ApiError.
        Returns only a transaction come back "aborted"; in another state NotOkError, its `.transaction` holding
        it ("ok": the sale stands paid, it was not dropped)."""
        return self._transaction_call(library().sx_transaction_abort, c_text(transaction_id, "transaction_id"))

    def check(self, transaction_id: str) -> Checked:
        """After OutcomeUnknownError: reads the transaction back (a GET, safe to repeat) and says what it means,
        as `(verdict, transaction)`. A failed read raises (ConnectError, OutcomeUnknownError, ...): read again.

            while True:
                try:
                    verdict, tx = client.check(transaction_id)
                except smartx.SmartxError:
                    time.sleep(1)               # the read failed too: read again
                    continue
                if verdict is smartx.Verdict.IN_PROGRESS:
                    time.sleep(1)               # the terminal is still at it
                    continue
                break
            # PAID: print tx's receipt, never start again. NOT_PAID with tx.status == "created": the start never
            # ran, the only case to start again. Anything else: not paid and over, or UNKNOWN: a person decides.
        """
        verdict = ctypes.c_uint32(_ffi.SX_VERDICT_UNKNOWN)
        tx = self._transaction_call(
            library().sx_transaction_check, c_text(transaction_id, "transaction_id"), ctypes.byref(verdict)
        )
        try:
            known = Verdict(verdict.value)
        except ValueError:  # a verdict a newer library added: not one this code knows how to act on
            known = Verdict.UNKNOWN
        return Checked(known, tx)

    def pre_check(self, transaction_id: str) -> PreTransaction:
        """Before the start: what remains to pay (missing_sum) and the bonus products a customer card brings
        (POST .../preTransaction). Changes nothing at the API; only while the transaction is created, else
        ApiError (an unknown id: http_status 404)."""
        out = ctypes.POINTER(_ffi.sx_pre_transaction)()
        code = self._call(
            library().sx_transaction_pre_check, c_text(transaction_id, "transaction_id"), ctypes.byref(out)
        )
        raise_for(code, network=True)
        return PreTransaction(out)

    def find_card(self, card_number: str) -> Optional[Card]:
        """The balance enquiry: the loyalty card with this number, or None when no card has it (the API's
        count 0). An answer about another card, several cards, or amounts that are not whole cents raise
        BadResponseError. The number is masked in every log line and message."""
        out = ctypes.POINTER(_ffi.sx_card)()
        code = self._call(library().sx_card_find, c_text(card_number, "card_number"), ctypes.byref(out))
        if code == _ffi.SX_ERR_ABSENT:
            return None
        raise_for(code, network=True)
        return Card._of(out)

    def _card_check(self, function: Callable[..., int], card: Card, code_text: str, what: str) -> bool:
        valid = ctypes.c_uint32()
        with card._handle._use() as handle:
            code = self._call(function, handle, c_text(code_text, what), ctypes.byref(valid))
        raise_for(code, network=True)
        return bool(valid.value)

    def check_csc(self, card: Card, csc: str) -> bool:
        """Whether the card security code is right: False is an answer, not an error."""
        return self._card_check(library().sx_card_check_csc, card, csc, "csc")

    def check_passcode(self, card: Card, passcode: str) -> bool:
        """Whether the passcode is right (a passcode starting with 0 raises InvalidArgumentError: the API's
        integer form would lose the zero)."""
        return self._card_check(library().sx_card_check_passcode, card, passcode, "passcode")

    def card_balance_receipt(self, card: Card, terminal_id: Optional[str] = None) -> Transaction:
        """The balance slip: a Transaction whose customer receipt is the slip (print it with text() or
        render()); NotOkError when the API says the card is not valid."""
        with card._handle._use() as handle:
            return self._transaction_call(
                library().sx_card_balance_receipt, handle, c_text(terminal_id, "terminal_id", optional=True)
            )

    def get_device(self, device_id: str) -> Device:
        """A smart device, e.g. the terminal of a card payment (Transaction.device_destination)."""
        out = ctypes.POINTER(_ffi.sx_device)()
        raise_for(self._call(library().sx_device_get, c_text(device_id, "device_id"), ctypes.byref(out)), network=True)
        return Device._of(out)

    def get_routed_device(self, device_id: str, routing_type: str = "zvt") -> Device:
        """The device routed to `device_id` for `routing_type`: a guess at finding the till's terminal (see
        sx_device_get_routed); check the type of what comes back."""
        out = ctypes.POINTER(_ffi.sx_device)()
        code = self._call(
            library().sx_device_get_routed,
            c_text(device_id, "device_id"),
            c_text(routing_type, "routing_type"),
            ctypes.byref(out),
        )
        raise_for(code, network=True)
        return Device._of(out)

    def payment_methods(
        self, contract_id: str, basket: Basket, demo: bool = False, apiv2_names: bool = False
    ) -> List[str]:
        """The payment methods the contract allows for the basket's currency, as the API names them."""
        flags = (_ffi.SX_METHODS_DEMO if demo else 0) | (_ffi.SX_METHODS_APIV2_NAMES if apiv2_names else 0)
        out = ctypes.POINTER(_ffi.sx_payment_methods)()
        with basket._use() as sale:
            code = self._call(
                library().sx_contract_payment_methods, c_text(contract_id, "contract_id"), sale, flags, ctypes.byref(out)
            )
        raise_for(code, network=True)
        return payment_methods_of(out)

    def _transaction_call(self, function: Callable[..., int], *args: Any) -> Transaction:
        """Calls `function(client, *args, &out)`; the transaction written to `out` is owned at once (so it is
        freed whatever follows), returned on SX_OK, and attached to the NotOkError of a transaction that came
        back in another state than the call makes (a declined start, an abort answered "ok")."""
        out = ctypes.POINTER(_ffi.sx_transaction)()
        code = self._call(function, *args, ctypes.byref(out))
        tx = Transaction(out, read_string(library().sx_last_response)) if out else None
        if code == _ffi.SX_OK and tx is not None:
            return tx
        try:
            raise_for(code if code != _ffi.SX_OK else _ffi.SX_ERR_BAD_RESPONSE, network=True)
        except NotOkError as error:
            error.transaction = tx
            raise


class _Page(Handle):
    """One page of `Client.list`: owns the sx_transaction_list; its transactions keep it alive."""

    _kind = "page"

    def __init__(self, handle: "ctypes._Pointer", body: bytes) -> None:
        super().__init__(handle, library().sx_transaction_list_free)
        try:
            data = json.loads(body.decode("utf-8")).get("data")
        except (UnicodeDecodeError, ValueError, AttributeError):
            data = None
        self._data = data if isinstance(data, list) else []

    def item(self, index: int) -> bytes:
        """The JSON of transaction `index`, for its `raw`; b"" when the page's body cannot say."""
        if index < len(self._data):
            return json.dumps(self._data[index], ensure_ascii=False).encode("utf-8")
        return b""


def _free(handle: "ctypes._Pointer", keep: List[object]) -> None:
    library().sx_client_free(handle)
    keep.clear()  # the trampolines may go only after the client that could call them
