"""The loyalty card and the terminal through smartx.Client against the sandbox: one smoke of the binding."""

from conftest import client_of

EXAMPLE_CARD = "9276004428481652"
TERMINAL = "SDV_8KQW2N5TDX7RJ3MZC6V0HP4YFA1GBE"
CONTRACT = "GCR_2H69XY35227V2VKP9WRA3SJ0W95RP0"


def test_the_card_its_checks_its_slip_the_terminal_and_the_methods(sandbox):
    import smartx

    with client_of(sandbox) as client:
        assert client.find_card("9276000000000000") is None
        card = client.find_card(EXAMPLE_CARD)
        assert (card.balance, card.cash_balance, card.bonus_balance, card.points) == (352, 300, 52, 7)
        assert card.locked is False and card.number_masked == "************1652"
        assert EXAMPLE_CARD not in repr(card)
        assert client.check_csc(card, "4471") is True
        assert client.check_csc(card, "1111") is False
        with client.card_balance_receipt(card) as slip:
            assert "3,52 EUR" in slip.text()
        card.close()
        terminal = client.get_device(TERMINAL)
        assert (terminal.type, terminal.online) == ("zvt", True)
        with smartx.Basket("EUR") as basket:
            assert "loyalty" in client.payment_methods(CONTRACT, basket)
