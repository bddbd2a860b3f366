"""The register's day through smartx.Basket and smartx.Client against the sandbox: create, get, start, cancel,
abort, check; every verdict, the state rules as the right exceptions, arguments refused before anything is
sent, and no POST ever repeated. Tests that set fault rules get a sandbox of their own, so its counters are
exact."""

import decimal
import json
import threading
import time

import pytest

from conftest import TOKEN, Sandbox, client_of

STARTS = "/api/v2/Smart/Transactions/"  # a start's path; the create's has no trailing slash
DECLINE = {"mode": "terminal", "delay_ms": 0, "decline": True}


def basket(reference: str = "Beleg 55501"):
    import smartx

    made = smartx.Basket("EUR")
    made.add_product("Brötchen", quantity=4, unit_price_cents=45, vat_percent=7, article_number="30037")
    made.add_product("Kaffee to go", quantity=1, unit_price_cents=290, vat_percent=19, ean="4006381333931")
    made.set_refs(merchant_ref="till-7", transaction_ref=reference)
    return made


def created(client, reference: str = "Beleg 55501") -> str:
    with basket(reference) as made, client.create(made) as tx:
        return tx.id


def test_a_sale_created_paid_in_cash_and_read_back(sandbox):
    import smartx

    with client_of(sandbox) as client:
        with basket() as made:
            tx = client.create(made)
        assert made.closed
        assert tx.id.startswith("STX_") and tx.status == "created" and tx.sum == 470
        sent = json.loads(tx.raw)
        assert (sent["merchantRef"], sent["transactionRef"]) == ("till-7", "Beleg 55501")
        products = sent["basket"]["products"]
        assert [(p["desc"], p["quantity"], p.get("articleNumber"), p.get("ean")) for p in products] == [
            ("Brötchen", 4, "30037", None),
            ("Kaffee to go", 1, None, "4006381333931"),
        ]
        with client.start(tx.id, "cash") as paid:
            assert (paid.id, paid.status, paid.sum) == (tx.id, "ok", 470)
            assert "Barzahlung" in paid.text(), paid.text()
            assert json.loads(paid.raw)["status"] == "ok"
        assert smartx.last_http_status() == 200
        with client.get(tx.id) as read:
            assert (read.status, read.sum) == ("ok", 470)
        verdict, checked = client.check(tx.id)
        assert verdict is smartx.Verdict.PAID and checked.status == "ok"
        assert checked.receipt(), "the receipt comes with the read"
    assert sandbox.starts(tx.id) == 1


def test_money_edge_cases_and_totals_refused_before_sending(own_sandbox):
    import smartx

    with client_of(own_sandbox) as client:
        for quantity, cents, total in [(1, 0, 0), (1, 1, 1), (2**31 - 1, 100_000, 214_748_364_700_000)]:
            with smartx.Basket() as made:
                made.add_product("Ware", quantity, cents, 19)
                with client.create(made) as tx:
                    assert tx.sum == total
                    assert json.loads(tx.raw)["basket_info"]["sum"] == total
        assert own_sandbox.api_requests() == 3
        overflowing = smartx.Basket().add_product("Zuviel", 2**31 - 1, 2**63 - 1, 19)
        negative = smartx.Basket().add_product("Ware", 1, 100, 19).add_product("Gutschein", 1, -101, 19)
        for made, word in [(overflowing, "overflows"), (negative, "negative")]:
            with pytest.raises(smartx.InvalidArgumentError) as refused:
                client.create(made)
            assert word in refused.value.message and refused.value.http_status == 0
        assert own_sandbox.api_requests() == 3, "a refused basket sends nothing"


def test_arguments_refused_before_anything_is_sent(own_sandbox):
    import smartx

    with client_of(own_sandbox) as client, smartx.Basket() as made:
        transaction_id = created(client)
        sent = own_sandbox.api_requests()
        # Money is integer cents: no float (2.90 would be a price in euros, or 289.99999 cents), no Decimal, no bool.
        for price in (2.90, 290.0, decimal.Decimal("2.90"), True, "290", None):
            with pytest.raises(TypeError):
                made.add_product("Kaffee", 1, price, 19)
        with pytest.raises(TypeError):
            made.add_product("Kaffee", 1.0, 290, 19)
        # ctypes would keep the low bits of an oversized int: 2**32 + 1 pieces would be 1.
        with pytest.raises(OverflowError):
            made.add_product("Kaffee", 2**32 + 1, 290, 19)
        with pytest.raises(OverflowError):
            made.add_product("Kaffee", 1, 2**63, 19)
        with pytest.raises(OverflowError):
            made.add_product("Kaffee", 1, 290, -19)
        for description in (None, 42, ["Kaffee"]):
            with pytest.raises(TypeError):
                made.add_product(description, 1, 290, 19)
        with pytest.raises(UnicodeEncodeError):
            made.add_product("Kaffee \udcff", 1, 290, 19)  # a lone surrogate is no UTF-8
        with pytest.raises(smartx.InvalidArgumentError):
            made.add_product(b"Kaffee \xff", 1, 290, 19)  # bytes that are not UTF-8: the library says no
        with pytest.raises(ValueError):
            made.add_product("Kaffee\0 mit Milch", 1, 290, 19)  # C would send "Kaffee"
        for text in ("", "   ", "Kaffee\n"):
            with pytest.raises(smartx.InvalidArgumentError):
                made.add_product(text, 1, 290, 19)
        with pytest.raises(smartx.InvalidArgumentError):
            made.add_product("Kaffee", 1, 290, 101)
        with pytest.raises(TypeError):
            made.set_refs(merchant_ref=7)
        with pytest.raises(smartx.InvalidArgumentError):
            smartx.Basket("eur")
        with pytest.raises(TypeError):
            smartx.Basket(None)
        # The basket is unchanged by every refusal: it is empty, and an empty basket is created with sum 0.
        with pytest.raises(TypeError):
            client.create(None)
        with pytest.raises(TypeError):
            client.create(transaction_id)
        for bad in (None, 42, b"STX_\xff"):
            with pytest.raises((TypeError, smartx.InvalidArgumentError)):
                client.start(bad, "cash")
        with pytest.raises(TypeError):
            client.start(transaction_id, None)
        for call in (client.get, client.cancel, client.abort, client.check):
            with pytest.raises(smartx.InvalidArgumentError) as refused:
                call("bad id")
            assert refused.value.http_status == 0
            with pytest.raises(TypeError):
                call(None)
        with pytest.raises(smartx.InvalidArgumentError):
            client.start(transaction_id, "CASH")
        with pytest.raises(smartx.InvalidArgumentError):
            client.start(transaction_id, "")
        assert own_sandbox.api_requests() == sent, "nothing was sent"
        with client.create(made) as empty:
            assert empty.sum == 0
    assert own_sandbox.starts(transaction_id) == 0
    with pytest.raises(ValueError):
        made.add_product("Kaffee", 1, 290, 19)  # closed


def test_a_declined_card_raises_not_ok_carrying_the_transaction_to_print(own_sandbox):
    import smartx

    own_sandbox.set_rule("POST", STARTS, DECLINE)
    with client_of(own_sandbox) as client:
        transaction_id = created(client)
        with pytest.raises(smartx.NotOkError) as declined:
            client.start(transaction_id, "cashless")
        error = declined.value
        assert error.code == smartx.CONSTANTS["SX_ERR_NOT_OK"] and error.http_status == 200
        assert (error.transaction.id, error.transaction.status) == (transaction_id, "failed")
        assert "Karte abgelehnt" in error.transaction.text(), error.transaction.text()
        verdict, tx = client.check(transaction_id)
        assert (verdict, tx.status) == (smartx.Verdict.NOT_PAID, "failed")
    assert own_sandbox.starts(transaction_id) == 1


def test_state_rules_are_refused_as_api_errors(own_sandbox):
    import smartx

    with client_of(own_sandbox) as client:
        first = created(client)
        with pytest.raises(smartx.ApiError):
            client.cancel(first)  # not before ok
        assert client.abort(first).status == "aborted"
        with pytest.raises(smartx.ApiError):
            client.start(first, "cash")  # not after abort
        verdict, tx = client.check(first)
        assert (verdict, tx.status) == (smartx.Verdict.NOT_PAID, "aborted")

        second = created(client)
        client.start(second, "cash").close()
        with pytest.raises(smartx.ApiError) as again:
            client.start(second, "cash")
        assert again.value.http_status == 400 and "already started" in again.value.message
        assert again.value.api_error is not None
        with pytest.raises(smartx.ApiError):
            client.abort(second)  # not after the start
        assert client.cancel(second).status == "cancelled"
        with pytest.raises(smartx.ApiError):
            client.cancel(second)  # once
        verdict, tx = client.check(second)
        assert (verdict, tx.status) == (smartx.Verdict.NOT_PAID, "cancelled")

        with pytest.raises(smartx.ApiError) as unknown:
            client.get("STX_NOSUCHTRANSACTION0000000000")
        assert unknown.value.http_status == 404
    # Each call sent once: the refused second start too.
    assert (own_sandbox.starts(first), own_sandbox.starts(second)) == (1, 2)


def test_a_lost_answer_after_executing_is_checked_as_paid(own_sandbox):
    import smartx

    own_sandbox.set_rule("POST", STARTS, {"mode": "reset"})
    with client_of(own_sandbox) as client:
        transaction_id = created(client)
        with pytest.raises(smartx.OutcomeUnknownError):
            client.start(transaction_id, "cash")
        verdict, tx = client.check(transaction_id)
        assert (verdict, tx.status) == (smartx.Verdict.PAID, "ok")
        assert tx.receipt()
    assert own_sandbox.starts(transaction_id) == 1, "never repeated"


def test_a_lost_answer_before_executing_is_not_paid_and_may_start_again(own_sandbox):
    import smartx

    own_sandbox.set_rule("POST", STARTS, {"mode": "reset_before"})
    with client_of(own_sandbox) as client:
        transaction_id = created(client)
        with pytest.raises(smartx.OutcomeUnknownError):
            client.start(transaction_id, "cash")
        verdict, tx = client.check(transaction_id)
        assert (verdict, tx.status) == (smartx.Verdict.NOT_PAID, "created")
        assert client.start(transaction_id, "cash").status == "ok"
        assert client.check(transaction_id).verdict is smartx.Verdict.PAID
    assert own_sandbox.starts(transaction_id) == 2, "the lost one and the register's own second start"


def test_a_start_still_at_the_terminal_is_in_progress_then_paid(own_sandbox):
    import smartx

    own_sandbox.set_rule("POST", STARTS, {"mode": "terminal", "delay_ms": 2500})
    with client_of(own_sandbox) as client:
        client.set_timeouts(terminal_ms=500)
        transaction_id = created(client)
        with pytest.raises(smartx.OutcomeUnknownError):
            client.start(transaction_id, "cashless")
        checked = client.check(transaction_id)
        assert (checked.verdict, checked.transaction.status) == (smartx.Verdict.IN_PROGRESS, "processing")
        deadline = time.monotonic() + 30
        while checked.verdict is smartx.Verdict.IN_PROGRESS and time.monotonic() < deadline:
            time.sleep(0.25)
            checked = client.check(transaction_id)
        assert (checked.verdict, checked.transaction.status) == (smartx.Verdict.PAID, "ok")
    assert own_sandbox.starts(transaction_id) == 1


def test_an_unknown_status_is_unknown_and_a_failed_read_raises(tmp_path):
    import smartx

    state = tmp_path / "state.json"
    first = Sandbox("--state", str(state))
    try:
        transaction_id = first.create()
    finally:
        first.stop()
    saved = json.loads(state.read_text())
    for entry in saved["transactions"]:
        if entry["transaction"]["id"] == transaction_id:
            entry["transaction"]["status"] = "deleted"  # a status the library does not know
    state.write_text(json.dumps(saved))
    running = Sandbox("--state", str(state))
    try:
        running.set_rule("GET", STARTS, {"mode": "html", "status": 500})
        with client_of(running) as client:
            with pytest.raises(smartx.HttpError) as failed:
                client.check(transaction_id)
            assert failed.value.http_status == 500
            verdict, tx = client.check(transaction_id)
            assert (verdict, tx.status) == (smartx.Verdict.UNKNOWN, "deleted")
    finally:
        running.stop()


def test_a_lost_create_is_sent_once(own_sandbox):
    import smartx

    own_sandbox.set_rule("POST", "/api/v2/Smart/Transactions", {"mode": "reset"})
    with client_of(own_sandbox) as client, basket() as made:
        with pytest.raises(smartx.OutcomeUnknownError):
            client.create(made)
        assert own_sandbox.api_requests() == 1
        with client.create(made) as tx:  # a transaction created unseen is never paid: creating another is safe
            assert tx.status == "created"
    assert own_sandbox.api_requests() == 2


def test_the_gil_is_released_while_a_call_waits_and_a_shared_client_serves_other_threads(own_sandbox):
    import smartx

    # The next start waits 5 s at the "terminal"; meanwhile this thread runs Python and calls on the same client.
    own_sandbox.set_rule("POST", STARTS, {"mode": "terminal", "delay_ms": 5000})
    with client_of(own_sandbox) as client:
        waiting = created(client)
        paid = []
        starter = threading.Thread(target=lambda: paid.append(client.start(waiting, "cashless")))
        starter.start()
        deadline = time.monotonic() + 20
        while own_sandbox.starts(waiting) == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert own_sandbox.starts(waiting) == 1, "the start reached the sandbox"
        # The start is at the terminal now. With the GIL or a lock held for its length, nothing below could run
        # until it returned.
        other = created(client, "Beleg 2")
        with client.start(other, "cash") as tx:
            assert tx.status == "ok"
        verdict, tx = client.check(waiting)
        assert (verdict, tx.status) == (smartx.Verdict.IN_PROGRESS, "processing")
        assert starter.is_alive(), "the other calls ran while the start waited"
        starter.join(60)
        assert paid and paid[0].status == "ok"


def test_many_threads_share_one_client(own_sandbox):
    import smartx

    with client_of(own_sandbox) as client:
        results = []
        errors = []

        def sell(n: int) -> None:
            try:
                transaction_id = created(client, f"Beleg {n}")
                with client.start(transaction_id, "cash") as tx:
                    results.append((transaction_id, tx.status, tx.sum))
            except BaseException as error:  # noqa: BLE001  reported below
                errors.append(error)

        threads = [threading.Thread(target=sell, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert errors == []
        assert sorted(status for _, status, _ in results) == ["ok"] * 8
        assert all(total == 470 for _, _, total in results)
    assert len({transaction_id for transaction_id, _, _ in results}) == 8
    for transaction_id, _, _ in results:
        assert own_sandbox.starts(transaction_id) == 1


def test_closing_a_client_while_a_call_waits_frees_it_after_that_call(own_sandbox):
    import smartx

    own_sandbox.set_rule("POST", STARTS, {"mode": "terminal", "delay_ms": 3000})
    client = client_of(own_sandbox)
    waiting = created(client)
    paid = []
    starter = threading.Thread(target=lambda: paid.append(client.start(waiting, "cashless")))
    starter.start()
    deadline = time.monotonic() + 20
    while own_sandbox.starts(waiting) == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    client.close()  # the register shuts down while the terminal is still at it
    assert client.closed and starter.is_alive(), "close() neither waited for the call nor ended it"
    # sx_client_free has not run: the library would otherwise be using a freed client (no crash is promised).
    assert client._finalizer.alive
    with pytest.raises(ValueError):
        client.get(waiting)  # new calls are refused at once
    starter.join(60)
    assert paid and paid[0].status == "ok", "the call under way finished on a live client"
    assert not client._finalizer.alive, "freed by the call that was the last to use it"
    client.close()


def test_texts_that_are_no_str_are_refused_everywhere(sandbox):
    import smartx

    # bytes(5) would be five NUL bytes, i.e. "" for C: a number is a TypeError, never a silent empty text.
    with pytest.raises(TypeError):
        smartx.start_cash(5, TOKEN)
    with pytest.raises(TypeError):
        smartx.start_cash(sandbox.create(), None)
    with pytest.raises(TypeError):
        smartx.Client(5)
    with pytest.raises(ValueError):
        smartx.set_base_url("http://127.0.0.1:1\0/evil")
    with client_of(sandbox) as client:
        with pytest.raises(TypeError):
            client.use_token(42)
        with pytest.raises(TypeError):
            client.start_cash(None)
