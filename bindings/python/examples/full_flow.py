"""full_flow: a register's sales with smartx.Client, as examples-c/full_flow.c: builds a basket, creates the Smart
Transaction, pays it and prints the receipt, three times: in cash, by card, and by card again. Whatever comes back
is handled as a register must: paid (print the receipt), declined (smartx.NotOkError: print the receipt of its
`.transaction` too, the customer pays another way), or an answer that was lost (smartx.OutcomeUnknownError: read
the transaction back with Client.check, never guess and never simply pay again).

    usage: python3 full_flow.py <client-id> <client-secret> [base-url]

Without base-url: SX_BASE_URL from the environment, else the secuconnect testing host. Money stays integer cents,
also when printed. Exit status: 0 when every sale ended in a known state (paid or not), else the failing result
code; 2 for a usage error.
"""

import sys
import time

import smartx

# How often a register asks again while the terminal is still at it, and how long it waits in between.
CHECK_ATTEMPTS = 30
CHECK_WAIT_S = 1.0


def euros(cents: int) -> str:
    """470 as "4.70": integer arithmetic, no floating point."""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}{whole}.{rest:02d}"


def print_receipt(tx: smartx.Transaction) -> None:
    print(tx.text(columns=42))


def make_basket(sale: int) -> smartx.Basket:
    basket = smartx.Basket("EUR")
    basket.add_product("Brötchen", quantity=4, unit_price_cents=45, vat_percent=7, article_number="30037")
    basket.add_product("Kaffee to go", quantity=1, unit_price_cents=290, vat_percent=19, ean="4006381333931")
    basket.set_refs(merchant_ref="till-7", transaction_ref=f"Beleg {sale}")
    return basket


def resolve(client: smartx.Client, sale: int, transaction_id: str, method: str, may_start_again: bool) -> int:
    """After OutcomeUnknownError: the documented loop. Returns 0 when the sale ended in a known state."""
    for _ in range(CHECK_ATTEMPTS):
        try:
            verdict, tx = client.check(transaction_id)
        except smartx.SmartxError as error:
            print(f"check failed: {error}", file=sys.stderr)  # the read failed too: read again
            time.sleep(CHECK_WAIT_S)
            continue
        with tx:
            if verdict is smartx.Verdict.IN_PROGRESS:
                print(f"sale {sale}: still at the terminal ({tx.status}), asking again")
                time.sleep(CHECK_WAIT_S)
                continue
            if verdict is smartx.Verdict.PAID:
                print(f"sale {sale}: checked: paid ({tx.status}), {euros(tx.sum)} EUR")
                print_receipt(tx)
            elif verdict is smartx.Verdict.NOT_PAID and tx.status == "created":
                print(f"sale {sale}: checked: the start never ran")
                if may_start_again:
                    # The only case in which starting again is right; once, by the register, never by the library.
                    return start(client, sale, transaction_id, method, again=True)
            elif verdict is smartx.Verdict.NOT_PAID:
                print(f"sale {sale}: checked: not paid ({tx.status})")
            else:
                print(f'sale {sale}: checked: status "{tx.status}" is unknown: ask the back office')
        return 0
    print(f"sale {sale}: no answer after {CHECK_ATTEMPTS} checks: ask the back office before selling it again")
    return smartx.CONSTANTS["SX_ERR_OUTCOME_UNKNOWN"]


def start(client: smartx.Client, sale: int, transaction_id: str, method: str, again: bool = False) -> int:
    said = f"sale {sale}: started again: " if again else f"sale {sale}: "
    try:
        with client.start(transaction_id, method) as paid:
            print(said + ("SX_OK" if again else "paid"))
            print_receipt(paid)
    except smartx.NotOkError as declined:  # e.g. a declined card: its receipt says so and is printed too
        with declined.transaction as tx:
            print(said + (declined.name if again else f"not paid ({tx.status})"))
            print_receipt(tx)
    except smartx.OutcomeUnknownError as lost:
        print(said + (lost.name if again else "the answer was lost; checking"))
        return resolve(client, sale, transaction_id, method, may_start_again=not again)
    except smartx.SmartxError as error:
        print(f"start failed: {error}", file=sys.stderr)
        return error.code
    return 0


def sell(client: smartx.Client, sale: int, method: str) -> int:
    try:
        with make_basket(sale) as basket, client.create(basket) as created:
            transaction_id = created.id
            print(f"sale {sale}: {transaction_id} created, {euros(created.sum)} EUR, paying by {method}")
    except smartx.SmartxError as error:
        print(f"create failed: {error}", file=sys.stderr)
        return error.code
    return start(client, sale, transaction_id, method)


def main(argv: list) -> int:
    if len(argv) not in (3, 4):
        print(f"usage: {argv[0]} <client-id> <client-secret> [base-url]", file=sys.stderr)
        return 2
    status = 0
    try:
        with smartx.Client(argv[3] if len(argv) == 4 else None) as client:
            client.use_client_credentials(argv[1], argv[2])
            for sale, method in enumerate(["cash", "cashless", "cashless"], start=1):
                result = sell(client, sale, method)
                status = status or result
    except smartx.SmartxError as error:
        print(f"client: {error}", file=sys.stderr)
        return error.code
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
