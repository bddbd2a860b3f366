"""The client handle (sx_client): its own base URL, timeouts, CAs, proxy, log and tokens."""

import ctypes
from typing import Callable, List, Optional, Union

from . import _ffi
from ._call import raise_for, read_string
from ._handle import Handle
from ._library import library
from .errors import NotOkError
from .pre_transaction import PreTransaction
from .transaction import Transaction

LogCallback = Callable[[int, str], None]
PairCallback = Callable[[str, str, int], None]


def _utf8(text: Union[str, bytes]) -> bytes:
    return text.encode("utf-8") if isinstance(text, str) else bytes(text)


def _optional_utf8(text: Optional[Union[str, bytes]]) -> Optional[bytes]:
    return None if text is None else _utf8(text)


class Client(Handle):
    """A client: its configuration, log and tokens, owning its sx_client handle.

        with smartx.Client(sandbox_url) as client:
            client.use_client_credentials("till", "s3cret")
            with client.start_cash("STX_...") as tx:
                print(tx.text())

    Closed by `close()`, by leaving a `with` block, or when garbage-collected; using a closed one raises
    ValueError. One client may be shared between threads; `cancel()` may be called from any thread."""

    _kind = "client"

    def __init__(self, base_url: Optional[str] = None) -> None:
        """`base_url`: "testing", "live", a URL, or None for $SX_BASE_URL (else testing). Sends nothing."""
        handle = ctypes.POINTER(_ffi.sx_client)()
        raise_for(library().sx_client_new(_optional_utf8(base_url), ctypes.byref(handle)))
        # The log trampoline must outlive every call that may log: it is kept here and dropped only after
        # sx_client_free (the finalizer holds a reference to it through `keep`).
        self._keep: List[object] = []
        super().__init__(handle, _free, self._keep)

    def set_timeouts(self, connect_ms: int = 0, total_ms: int = 0, terminal_ms: int = 0) -> None:
        """Timeouts of later calls in milliseconds; 0 keeps that one's default (10 s, 60 s, 5 min)."""
        raise_for(library().sx_client_set_timeouts(self._live(), connect_ms, total_ms, terminal_ms))

    def add_ca_file(self, pem_path: str) -> None:
        """Trusts the CA certificates of a PEM file on top of the system's roots; read and checked now."""
        raise_for(library().sx_client_add_ca_file(self._live(), _utf8(pem_path)))

    def set_proxy(self, proxy_url: Optional[str]) -> None:
        """Sends later calls through an HTTP CONNECT proxy `http://host:port`; None removes it."""
        raise_for(library().sx_client_set_proxy(self._live(), _optional_utf8(proxy_url)))

    def set_log(self, callback: Optional[LogCallback], max_level: int = _ffi.SX_LOG_INFO) -> None:
        """Sends log lines of `max_level` and below (SX_LOG_ERROR 1 .. SX_LOG_DEBUG 4) to
        `callback(level, message)`; None or level 0 turns the log off.

        The callback is called on the thread that makes the library call (several at once when the client is
        shared), while that call runs; it must not call into smartx. An exception it raises is swallowed
        (it cannot cross into C) and the line is lost. No line ever holds a token or secret. The callback is
        kept alive as long as the client."""
        handle = self._live()
        if callback is None or max_level == 0:
            raise_for(library().sx_client_set_log(handle, _ffi.sx_log_callback(), None, 0))
            return

        def trampoline(_user_data: object, level: int, message: Optional[bytes]) -> None:
            try:
                callback(int(level), (message or b"").decode("utf-8", "replace"))
            except BaseException:  # noqa: BLE001  nothing may unwind into C; a log line is not worth a crash
                pass

        c_callback = _ffi.sx_log_callback(trampoline)
        raise_for(library().sx_client_set_log(handle, c_callback, None, max_level))
        # Older trampolines stay too: a call on another thread may still be inside one.
        self._keep.append(c_callback)

    def use_token(self, access_token: str) -> None:
        """Uses a fixed token for later calls; never renewed."""
        raise_for(library().sx_client_use_token(self._live(), _utf8(access_token)))

    def use_client_credentials(self, client_id: str, client_secret: str) -> None:
        """Gets and renews tokens with the client_credentials grant, from the first call on."""
        raise_for(library().sx_client_use_client_credentials(self._live(), _utf8(client_id), _utf8(client_secret)))

    def use_refresh_token(self, client_id: str, client_secret: str, refresh_token: str) -> None:
        """Gets tokens with a refresh token kept from an earlier pairing (see `refresh_token()`)."""
        raise_for(
            library().sx_client_use_refresh_token(
                self._live(), _utf8(client_id), _utf8(client_secret), _utf8(refresh_token)
            )
        )

    def pair(self, client_id: str, client_secret: str, device_uuid: str, on_code: PairCallback) -> None:
        """Pairs the till with the merchant's account (the device flow); blocks until the merchant confirms.

        `on_code(user_code, verification_url, expires_in_s)` is called once, on this thread, with the code to
        show. An exception it raises is re-raised here after the library returns (the pairing goes on in
        between: call `cancel()` if that is not wanted). `cancel()` from another thread ends the call with
        CancelledError within a second; an expired code raises ExpiredError."""
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
        code = library().sx_client_pair(
            self._live(), _utf8(client_id), _utf8(client_secret), _utf8(device_uuid), c_callback, None
        )
        if raised:
            raise raised[0]
        raise_for(code, network=True)

    def cancel(self) -> None:
        """Ends the pair() calls under way on this client (from any thread): they raise CancelledError."""
        library().sx_client_cancel(self._live())

    def refresh_token(self) -> str:
        """The refresh token the client holds ("" if none): a secret, to store for use_refresh_token()."""
        return read_string(library().sx_client_refresh_token, self._live()).decode("ascii", "replace")

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
        code = lib.sx_client_start_cash(self._live(), _utf8(transaction_id), None, 0, ctypes.byref(length))
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

    def pre_check(self, transaction_id: str) -> PreTransaction:
        """Before the start: what remains to pay (missing_sum) and the bonus products a customer card brings
        (POST .../preTransaction). Changes nothing at the API; only while the transaction is created, else
        ApiError."""
        handle = ctypes.POINTER(_ffi.sx_pre_transaction)()
        code = library().sx_transaction_pre_check(self._live(), _utf8(transaction_id), ctypes.byref(handle))
        raise_for(code, network=True)
        return PreTransaction(handle)


def _free(handle: "ctypes._Pointer", keep: List[object]) -> None:
    library().sx_client_free(handle)
    keep.clear()  # the trampolines may go only after the client that could call them
