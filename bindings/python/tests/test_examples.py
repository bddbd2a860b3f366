"""bindings/python/examples/full_flow.py run as a vendor runs it, against a sandbox told by rules what each sale
meets: cash paid, a card the terminal declines, and a card sale whose answer is lost (after or before executing)."""

import json
import os
import subprocess
import sys

import pytest

from conftest import REPO, TOKEN, Sandbox, chapter_block

CLIENT_ID = "py-flow"
CLIENT_SECRET = "py-flow-SECRET-0c3d"
STARTS = "/api/v2/Smart/Transactions/"
EXAMPLE = REPO / "bindings" / "python" / "examples" / "full_flow.py"


@pytest.fixture()
def flow_sandbox():
    running = Sandbox("--client", f"{CLIENT_ID}:{CLIENT_SECRET}")
    yield running
    running.stop()


def full_flow(sandbox: Sandbox, third: dict, secret: str = CLIENT_SECRET) -> subprocess.CompletedProcess:
    for behaviour in ({"mode": "normal"}, {"mode": "terminal", "delay_ms": 0, "decline": True}, third):
        sandbox.set_rule("POST", STARTS, behaviour)
    environment = dict(os.environ, PYTHONPATH=str(REPO / "bindings" / "python"), PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run(
        [sys.executable, str(EXAMPLE), CLIENT_ID, secret, sandbox.base_url],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert CLIENT_SECRET not in done.stdout + done.stderr
    return done


def ids(stdout: str) -> list:
    return ["STX_" + line.split(": STX_", 1)[1].split(" ", 1)[0] for line in stdout.splitlines() if ": STX_" in line]


def statuses(sandbox: Sandbox, transaction_ids: list) -> list:
    import smartx

    with smartx.Client(sandbox.base_url) as client:
        client.use_token(TOKEN)
        return [client.get(transaction_id).status for transaction_id in transaction_ids]


def test_cash_paid_card_declined_and_a_lost_answer_checked_as_paid(flow_sandbox):
    done = full_flow(flow_sandbox, {"mode": "reset"})
    assert done.returncode == 0, done.stdout + done.stderr
    sales = ids(done.stdout)
    assert len(sales) == 3, done.stdout
    for expected in [
        f"sale 1: {sales[0]} created, 4.70 EUR, paying by cash\nsale 1: paid\n=============== Barzahlung",
        "sale 2: not paid (failed)\n",
        "Karte abgelehnt",
        "sale 3: the answer was lost; checking\nsale 3: checked: paid (ok), 4.70 EUR\n",
        "Karte akzeptiert",
    ]:
        assert expected in done.stdout, done.stdout
    assert statuses(flow_sandbox, sales) == ["ok", "failed", "ok"]
    assert [flow_sandbox.starts(transaction_id) for transaction_id in sales] == [1, 1, 1]


def test_a_lost_answer_before_executing_is_started_again_once(flow_sandbox):
    done = full_flow(flow_sandbox, {"mode": "reset_before"})
    assert done.returncode == 0, done.stdout + done.stderr
    sales = ids(done.stdout)
    assert "sale 3: checked: the start never ran\nsale 3: started again: SX_OK\n" in done.stdout, done.stdout
    assert statuses(flow_sandbox, sales)[2] == "ok"
    assert flow_sandbox.starts(sales[2]) == 2, "the lost start and the one the register made again"


def test_a_wrong_secret_exits_with_the_code_and_creates_nothing(flow_sandbox):
    done = full_flow(flow_sandbox, {"mode": "normal"}, secret="wrong")
    assert done.returncode == 20, done.stdout + done.stderr  # SX_ERR_UNAUTHORIZED
    assert flow_sandbox.api_requests() == 0


@pytest.mark.parametrize(
    "behaviour, printed",
    [
        ({"mode": "normal"}, "ok 470 cents\n"),
        ({"mode": "reset"}, "ok 470 cents\n"),  # the answer lost after the payment: the check loop finds it paid
        ({"mode": "terminal", "delay_ms": 0, "decline": True}, "failed 470 cents\n"),
    ],
)
def test_the_books_day_runs_as_pasted(flow_sandbox, tmp_path, behaviour, printed):
    import smartx

    (tmp_path / "day.py").write_text(chapter_block("python-day"), encoding="utf-8")
    flow_sandbox.set_rule("POST", STARTS, behaviour)
    environment = dict(
        os.environ,
        SX_BASE_URL=flow_sandbox.base_url,
        CLIENT_ID=CLIENT_ID,
        CLIENT_SECRET=CLIENT_SECRET,
        PYTHONPATH=str(REPO / "bindings" / "python"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    done = subprocess.run(
        [sys.executable, "day.py", "Beleg 4711"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    transaction_id, rest = done.stdout.split(" ", 1)
    assert rest.startswith(printed), done.stdout
    assert "Betrag EUR" in done.stdout and "4,70" in done.stdout, done.stdout
    assert "Kassenschnitt" in done.stdout, done.stdout
    assert flow_sandbox.starts(transaction_id) == 1
    with smartx.Client(flow_sandbox.base_url) as client:
        client.use_token(TOKEN)
        assert json.loads(client.get(transaction_id).raw)["transactionRef"] == "Beleg 4711"
