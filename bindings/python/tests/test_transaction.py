"""The Transaction's typed properties against the fixtures' own JSON, and Client.pre_check against the sandbox."""

import json

import pytest

from conftest import REPO, TOKEN

FIXTURES = ["start-cash-response.json", "start-cashless-response.json"]


def load(name: str) -> bytes:
    return (REPO / "fixtures" / name).read_bytes()


def integer(value):
    """What an integer property gives for a JSON value: numbers and strings of digits, else None."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def text(value) -> str:
    return "" if value is None else str(value)


@pytest.mark.parametrize("name", FIXTURES)
def test_properties_give_every_field_the_fixture_shows(smartx, name):
    answer = json.loads(load(name))
    info = answer.get("basket_info", {})
    with smartx.Transaction.parse(load(name)) as tx:
        assert tx.id == answer["id"]
        assert tx.status == answer["status"]
        assert tx.status_code == smartx.CONSTANTS["SX_STATUS_OK"]
        assert tx.payment_method == answer["payment_method"]
        assert tx.trans_id == text(answer.get("trans_id"))
        assert tx.receipt_number == text(answer.get("receipt_number"))
        assert tx.currency == info["currency"]
        assert (tx.merchant_id, tx.merchant_name) == (answer["merchant"]["id"], answer["merchant"]["companyname"])
        assert (tx.created, tx.updated) == (answer["created"], answer["updated"])
        assert tx.merchant_ref == text(answer.get("merchantRef"))
        assert tx.transaction_ref == text(answer.get("transactionRef"))
        assert tx.intent == text(answer.get("intent"))
        assert tx.device_source == answer["device_source"]["id"]
        assert tx.device_destination == answer.get("device_destination", {}).get("id", "")
        assert tx.sum == info["sum"]
        assert tx.missing_sum == integer(info.get("missing_sum"))
        assert tx.gratuity == integer(info.get("gratuity"))
        assert tx.is_demo is answer["is_demo"]
        assert tx.receipt_merchant_print is answer.get("receipt_merchant_print")
        products = answer["basket"]["products"]
        assert [p.desc for p in tx.products] == [p["desc"] for p in products]
        assert [p.article_number for p in tx.products] == [text(p.get("articleNumber")) for p in products]
        assert [p.ean for p in tx.products] == [text(p.get("ean")) for p in products]
        assert [p.unit_price_cents for p in tx.products] == [p["priceOne"] for p in products]
        assert [p.quantity for p in tx.products] == [p["quantity"] for p in products]
        assert [p.vat_percent for p in tx.products] == [p["tax"] for p in products]
        assert [p.parent for p in tx.products] == [integer(p.get("parent")) for p in products]
        idents = answer.get("idents", [])
        assert [i.card_number for i in tx.idents] == [i["value"] for i in idents]
        assert [i.card_group_name for i in tx.idents] == [
            i["merchantcard"]["cardgroup"]["display_name"] for i in idents
        ]
        assert [(i.balance, i.points, i.valid) for i in tx.idents] == [
            (i["merchantcard"]["balance"], i["merchantcard"]["points"], i["valid"]) for i in idents
        ]
        assert [(r.object, r.id) for r in tx.references] == [(r["object"], r["id"]) for r in answer["transactions"]]
        assert tx.json("/merchant/companyname") == answer["merchant"]["companyname"]
        assert json.loads(tx.json("/basket")) == answer["basket"]
        assert tx.json("/merchantRef") == answer.get("merchantRef"), "null and absent are None"
        assert tx.json("/no/such/field") is None
        with pytest.raises(smartx.InvalidArgumentError):
            tx.json("no slash")
    with pytest.raises(ValueError):
        tx.products  # closed


def test_numbers_sent_as_strings_read_the_same(smartx):
    answer = json.loads(load("start-cash-response.json"))
    answer["trans_id"] = 29008411
    answer["receipt_number"] = "7"
    answer["basket"]["products"][0]["articleNumber"] = "30037"
    answer["basket"]["products"][0]["priceOne"] = "349"
    answer["basket_info"]["missing_sum"] = "0"
    with smartx.Transaction.parse(json.dumps(answer)) as tx:
        assert (tx.trans_id, tx.receipt_number) == ("29008411", "7")
        assert (tx.products[0].article_number, tx.products[0].unit_price_cents) == ("30037", 349)
        assert tx.missing_sum == 0, "0 is present, not None"


def test_pre_check_against_the_sandbox(smartx, sandbox):
    transaction_id = sandbox.create()  # a copy of the seed: created, with a customer card
    with smartx.Client(sandbox.base_url) as client:
        client.use_token(TOKEN)
        with client.pre_check(transaction_id) as pre:
            bonus = pre.bonus_products
            assert len(bonus) == 1 and bonus[0].unit_price_cents < 0 and bonus[0].desc
            assert pre.missing_sum == 796 + bonus[0].unit_price_cents
        with pytest.raises(smartx.ApiError) as caught:
            client.pre_check("STX_UNKNOWN_TO_THE_SANDBOX")
        assert caught.value.http_status == 404
        lost = sandbox.create({"mode": "reset"})
        with pytest.raises(smartx.OutcomeUnknownError):
            client.pre_check(lost)
