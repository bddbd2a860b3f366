"""The journal through the Python package, against the sandbox: entries as dataclasses with their transaction,
reconcile of a start whose answer never came (reported as newly done, printed again as a copy), settle,
JournalError."""

import subprocess
import sys

import pytest

from conftest import REPO, TOKEN, Sandbox


@pytest.fixture(scope="module")
def sandbox():
    running = Sandbox()
    yield running
    running.stop()


def sale(client, reference):
    import smartx

    with smartx.Basket("EUR") as basket:
        basket.add_product("Brötchen", quantity=3, unit_price_cents=45, vat_percent=7)
        basket.set_refs(None, reference)
        created = client.create(basket)
    return created.id, client.start(created.id, "cash")


def test_entries_hold_the_call_its_outcome_and_the_transaction_to_print_again(sandbox, tmp_path):
    import smartx

    with smartx.Client(sandbox.base_url) as client:
        client.use_token(TOKEN)
        client.open_journal(str(tmp_path / "till.journal"))
        transaction_id, paid = sale(client, "py-sale-1")
        assert client.pending() == []
        start, create = client.recent(2)
        assert isinstance(start, smartx.JournalEntry)
        assert (create.call, create.outcome, create.reference, create.transaction_id) == (
            smartx.Call.CREATE,
            smartx.Outcome.DONE,
            "py-sale-1",
            transaction_id,
        )
        assert (start.call, start.outcome, start.method, start.http_status) == (
            smartx.Call.START,
            smartx.Outcome.DONE,
            "cash",
            200,
        )
        assert start.seq == create.seq + 1 and start.settled_ms >= start.began_ms > 0
        assert start.transaction.id == transaction_id and start.transaction.status == "ok"
        copy = start.copy_text("*** KOPIE ***")
        assert copy.count("*** KOPIE ***") == 2 and paid.text() in copy
        assert len(client.recent()) == 2


def test_a_start_whose_answer_was_lost_is_reconciled_and_reported_newly_done(sandbox, tmp_path):
    import smartx

    path = str(tmp_path / "till.journal")
    transaction_id = sandbox.create()
    # The sandbox executes the start and resets the connection instead of answering. The register that made it
    # is another process, which ends (reconcile leaves alone the calls of processes still running).
    sandbox.set_rule("POST", f"/api/v2/Smart/Transactions/{transaction_id}/start", {"mode": "reset"})
    lost = f"""
import smartx
client = smartx.Client({sandbox.base_url!r})
client.use_token({TOKEN!r})
client.open_journal({path!r})
try:
    client.start({transaction_id!r}, "cash")
except smartx.OutcomeUnknownError:
    (pending,) = client.pending()
    assert (pending.call, pending.outcome, pending.transaction) == (smartx.Call.START, smartx.Outcome.PENDING, None)
    print("lost", pending.seq)
"""
    package_parent = REPO / "bindings" / "python"
    child = subprocess.run(
        [sys.executable, "-c", lost], capture_output=True, text=True, timeout=60, cwd=package_parent
    )
    assert child.returncode == 0 and child.stdout.startswith("lost "), child.stdout + child.stderr
    seq = int(child.stdout.split()[1])
    # The register restarts: a new client, the same journal.
    with smartx.Client(sandbox.base_url) as client:
        client.use_token(TOKEN)
        client.open_journal(path)
        reconciled = client.reconcile()
        assert (reconciled.settled, reconciled.still_pending) == (1, 0)
        (done,) = reconciled.newly_done
        assert (done.seq, done.outcome, done.transaction_id) == (seq, smartx.Outcome.DONE, transaction_id)
        assert "*** COPY ***" in done.copy_text()
        assert client.reconcile() == smartx.Reconciled(0, 0, [])
        assert sandbox.starts(transaction_id) == 1


def test_settle_and_the_journal_errors(sandbox, tmp_path):
    import smartx

    with smartx.Client(sandbox.base_url) as client:
        client.use_token(TOKEN)
        with pytest.raises(smartx.JournalError):
            client.pending()
        with pytest.raises(smartx.JournalError):
            client.open_journal(str(tmp_path / "no-such-folder" / "till.journal"))
        (tmp_path / "list.txt").write_bytes(b"a shopping list\n")
        with pytest.raises(smartx.JournalError, match="not a smartx journal"):
            client.open_journal(str(tmp_path / "list.txt"))
        assert (tmp_path / "list.txt").read_bytes() == b"a shopping list\n"
        client.open_journal(str(tmp_path / "till.journal"))
        with pytest.raises(smartx.InvalidArgumentError):
            client.open_journal(str(tmp_path / "other.journal"))
        with pytest.raises(smartx.InvalidArgumentError):
            client.settle(1, smartx.Outcome.DONE)  # no such entry
