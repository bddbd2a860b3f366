"""The calls beyond the core through smartx.Client against the sandbox: the loyalty card on the basket, update,
list by transactionRef with paging, start cashless_direct, canceltrx by receipt number, end of day and diagnosis."""

import gc
import json

import pytest

from conftest import client_of

CARD = "9276004429942845"
END_OF_DAY = "/api/v2/Smart/Transactions/me/endOfDay"


def create(client, reference="Beleg 1", cents=290, card=None) -> str:
    import smartx

    with smartx.Basket() as basket:
        basket.add_product("Kaffee", 1, cents, 19).set_refs("till-7", reference)
        if card is not None:
            basket.set_ident(card)
        with client.create(basket) as tx:
            return tx.id


def receipt_number(tx) -> str:
    return str(json.loads(tx.raw)["receipt_number"])


def test_the_loyalty_card_is_sent_as_the_ident_and_checked_first(own_sandbox):
    import smartx

    with client_of(own_sandbox) as client, smartx.Basket() as basket:
        basket.add_product("Kaffee", 1, 290, 19)
        basket.set_ident(CARD)
        with client.create(basket) as tx:
            assert [ident["value"] for ident in json.loads(tx.raw)["idents"]] == [CARD]
        sent = own_sandbox.api_requests()
        for bad in ("9276 0044", "92-76", "", "x" * 65):
            with pytest.raises(smartx.InvalidArgumentError) as refused:
                basket.set_ident(bad)
            assert CARD not in str(refused.value)
        with pytest.raises(TypeError):
            basket.set_ident(9276004429942845)  # a number would lose leading zeros: a str is needed
        basket.set_ident(None)
        with client.create(basket) as tx:
            assert not json.loads(tx.raw).get("idents")
        assert own_sandbox.api_requests() == sent + 1


def test_update_replaces_the_basket_before_the_start_only(own_sandbox):
    import smartx

    with client_of(own_sandbox) as client:
        transaction_id = create(client)
        with smartx.Basket() as bigger:
            bigger.add_product("Kaffee", 2, 290, 19).add_product("Kuchen", 1, 350, 7).set_refs("till-7", "Beleg 1b")
            with client.update(transaction_id, bigger) as tx:
                assert (tx.id, tx.status, tx.sum) == (transaction_id, "created", 930)
            with client.get(transaction_id) as read:
                raw = json.loads(read.raw)
                assert read.sum == 930 and raw["transactionRef"] == "Beleg 1b"
                assert [p["desc"] for p in raw["basket"]["products"]] == ["Kaffee", "Kuchen"]
            with pytest.raises(TypeError):
                client.update(transaction_id, None)
            client.start(transaction_id, "cash").close()
            with pytest.raises(smartx.ApiError) as refused:
                client.update(transaction_id, bigger)
            assert refused.value.http_status == 400
        with smartx.Basket() as overflowing:
            overflowing.add_product("Zuviel", 2**31 - 1, 2**63 - 1, 19)
            sent = own_sandbox.api_requests()
            with pytest.raises(smartx.InvalidArgumentError):
                client.update(transaction_id, overflowing)
            assert own_sandbox.api_requests() == sent


def test_list_pages_through_the_transactions_of_a_reference(own_sandbox):
    import smartx

    reference = 'Beleg 77 & "Ä" 100% \\'  # quoted, escaped, percent-encoded by the library: matched whole
    with client_of(own_sandbox) as client:
        mine = [create(client, reference) for _ in range(5)]
        create(client, "Beleg 77")
        create(client, reference + " ")
        sent = own_sandbox.api_requests()
        listed = client.list(reference, page_size=2)
        assert own_sandbox.api_requests() == sent, "nothing is asked before the first item is"
        found = [tx for tx in listed]
        assert [tx.id for tx in found] == mine, "every match once, oldest first"
        assert own_sandbox.api_requests() == sent + 3, "pages of 2, 2 and 1"
        del listed
        gc.collect()  # the pages are kept alive by their transactions
        assert all(tx.status == "created" and tx.sum == 290 for tx in found)
        assert [json.loads(tx.raw)["transactionRef"] for tx in found] == [reference] * 5
        assert [tx.id for tx in client.list(reference, page_size=0)] == mine, "the API's default page"
        assert list(client.list("no such reference")) == []
        with pytest.raises(TypeError):
            client.list(None)  # refused at once, not at the first next()
        with pytest.raises(TypeError):
            client.list(reference, page_size=2.0)
        with pytest.raises(smartx.InvalidArgumentError):
            next(client.list("line\nbreak"))
        own_sandbox.set_rule("GET", "/api/v2/Smart/Transactions", {"mode": "html", "status": 500})
        with pytest.raises(smartx.HttpError):
            next(client.list(reference))


def test_start_cashless_direct_reports_the_registers_own_terminal_payment(own_sandbox):
    import smartx

    with client_of(own_sandbox) as client:
        transaction_id = create(client)
        for tid, trace, card_type in (("", "000123", "girocard"), ("52500123", "0001\r\n", "girocard")):
            with pytest.raises(smartx.InvalidArgumentError):
                client.start_cashless_direct(transaction_id, tid, trace, card_type)
        with pytest.raises(TypeError):
            client.start_cashless_direct(transaction_id, "52500123", None, "girocard")
        assert own_sandbox.starts(transaction_id) == 0
        with client.start_cashless_direct(transaction_id, "52500123", "000123", "girocard") as tx:
            assert (tx.id, tx.status) == (transaction_id, "ok")
            assert tx.receipt()
        paths = [request["path"] for request in own_sandbox.requests(transaction_id)]
        assert paths[-1].endswith("/start/cashless_direct")
        with pytest.raises(smartx.ApiError):
            client.start_cashless_direct(transaction_id, "52500123", "000124", "girocard")
        decline = {"mode": "terminal", "delay_ms": 0, "decline": True}
        own_sandbox.set_rule("POST", "/api/v2/Smart/Transactions/", decline)
        declined_id = create(client, "Beleg 2")
        with pytest.raises(smartx.NotOkError) as declined:
            client.start_cashless_direct(declined_id, "52500123", "000125", "girocard")
        assert (declined.value.transaction.id, declined.value.transaction.status) == (declined_id, "failed")
    assert own_sandbox.starts(transaction_id) == 2 and own_sandbox.starts(declined_id) == 1


def test_canceltrx_by_receipt_number_until_the_end_of_day_settles_it(own_sandbox):
    import smartx

    with client_of(own_sandbox) as client:
        first = create(client, "Beleg 1")
        with client.start(first, "cashless") as paid:
            number = receipt_number(paid)
        with client.cancel_by_receipt(number) as reversed_tx:
            assert (reversed_tx.id, reversed_tx.status) == (first, "cancelled")
        with pytest.raises(smartx.ApiError) as unknown:
            client.cancel_by_receipt("9999")
        assert unknown.value.http_status == 404
        with pytest.raises(smartx.InvalidArgumentError):
            client.cancel_by_receipt("12 34")
        with pytest.raises(TypeError):
            client.cancel_by_receipt(1)  # "0001" and 1 differ on a receipt: a str is needed

        second = create(client, "Beleg 2", cents=1234)
        with client.start(second, "cashless") as paid:
            number = receipt_number(paid)
        with client.end_of_day() as report:
            assert report.status == "ok"
            text = report.text()
            assert "Kassenschnitt" in text and "12,34" in text, text
        with pytest.raises(smartx.ApiError) as settled:
            client.cancel_by_receipt(number)
        assert settled.value.http_status == 400
        assert client.get(second).status == "ok"


def test_diagnosis_and_a_lost_end_of_day_sent_once(own_sandbox):
    import smartx

    with client_of(own_sandbox) as client:
        with client.diagnosis() as report:
            assert report.status == "ok" and "Terminal bereit" in report.text()
        own_sandbox.set_rule("POST", END_OF_DAY, {"mode": "reset"})
        sent = own_sandbox.api_requests()
        with pytest.raises(smartx.OutcomeUnknownError):
            client.end_of_day()
        assert own_sandbox.api_requests() == sent + 1, "never repeated"
        own_sandbox.set_rule("POST", END_OF_DAY, {"mode": "error", "status": 400, "error": "ProductException"})
        with pytest.raises(smartx.ApiError) as refused:
            client.end_of_day()
        assert refused.value.http_status == 400 and refused.value.api_error == "ProductException"


def test_a_slow_terminal_is_bounded_by_the_terminal_timeout(own_sandbox):
    import smartx

    own_sandbox.set_rule("POST", END_OF_DAY, {"mode": "terminal", "delay_ms": 3000})
    with client_of(own_sandbox) as client:
        client.set_timeouts(terminal_ms=300)
        with pytest.raises(smartx.OutcomeUnknownError):
            client.end_of_day()
