"""The Pythonic layer against the sandbox: payments, every error path it maps, handles, and the generated
declarations' agreement with the header."""

import gc
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, SEED_ID, TOKEN, chapter_block


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_seed_payment_returns_the_receipt_as_dataclasses(smartx, sandbox):
    with smartx.start_cash(SEED_ID, TOKEN) as tx:
        lines = tx.receipt()
        assert tx.merchant_receipt() == []
    assert [line.type for line in lines] == ["separator", "name-value", "name-value", "space"]
    assert lines[0].kind == smartx.CONSTANTS["SX_LINE_SEPARATOR"]
    assert lines[0].caption == "Kundenkarte"
    assert (lines[1].name, lines[1].value) == ("Kartennummer:", "9276004429942845")
    assert lines[1].kind == smartx.CONSTANTS["SX_LINE_NAME_VALUE"]
    assert smartx.last_http_status() == 200
    assert smartx.last_error_message() == ""
    assert json.loads(smartx.last_response())["status"] == "ok"
    assert len(sandbox.requests(SEED_ID)) == 1, "one payment, one request"
    assert tx.closed


def test_starting_twice_raises_api_error_with_the_api_fields(smartx, sandbox):
    transaction_id = sandbox.create()
    smartx.start_cash(transaction_id, TOKEN).close()
    with pytest.raises(smartx.ApiError) as caught:
        smartx.start_cash(transaction_id, TOKEN)
    error = caught.value
    assert error.code == 21 and error.name == "SX_ERR_API"
    assert error.http_status == 400
    assert error.api_error and "already" in (error.api_error + (error.api_error_details or ""))
    assert "400" in error.message
    assert TOKEN not in str(error) and TOKEN.encode() not in error.response
    assert isinstance(error, smartx.SmartxError)


def test_api_error_fields_come_from_the_body(smartx, sandbox):
    behaviour = {"mode": "error", "status": 404, "code": "ProductNotFound", "error": "Nope", "details": "no such"}
    transaction_id = sandbox.create(behaviour)
    with pytest.raises(smartx.ApiError) as caught:
        smartx.start_cash(transaction_id, TOKEN)
    assert caught.value.http_status == 404
    assert caught.value.api_error == "Nope"
    assert caught.value.api_error_details == "no such"
    assert caught.value.api_code == "ProductNotFound"


def test_not_ok_carries_the_unpaid_transaction(smartx, sandbox):
    transaction_id = sandbox.create({"mode": "failed"})
    with pytest.raises(smartx.NotOkError) as caught:
        smartx.start_cash(transaction_id, TOKEN)
    with caught.value.transaction as tx:
        assert any(line.name == "Kartennummer:" for line in tx.receipt())


def test_lost_answer_is_outcome_unknown_and_sent_once(smartx, sandbox):
    transaction_id = sandbox.create({"mode": "reset"})
    with pytest.raises(smartx.OutcomeUnknownError):
        smartx.start_cash(transaction_id, TOKEN)
    assert len(sandbox.requests(transaction_id)) == 1


def test_closed_port_is_a_connect_error(smartx):
    smartx.set_base_url(f"http://127.0.0.1:{closed_port()}")
    with pytest.raises(smartx.ConnectError) as caught:
        smartx.start_cash(SEED_ID, TOKEN)
    assert caught.value.http_status == 0
    assert caught.value.api_error is None


def test_bad_arguments_raise_before_sending(smartx, sandbox):
    with pytest.raises(smartx.InvalidArgumentError) as caught:
        smartx.start_cash("not an id!", TOKEN)
    assert isinstance(caught.value, ValueError)
    assert caught.value.message
    with pytest.raises(smartx.InvalidArgumentError):
        smartx.set_base_url("http://192.0.2.1")
    with pytest.raises(smartx.UnauthorizedError):
        smartx.start_cash(sandbox.create(), "wrong-token")


def test_handles_close_by_context_garbage_collection_and_close(smartx):
    answer = (REPO / "fixtures" / "start-cashless-response.json").read_bytes()
    tx = smartx.Transaction.parse(answer)
    assert len(tx.merchant_receipt()) > 0
    tx.close()
    tx.close()
    with pytest.raises(ValueError):
        tx.receipt()
    tx = smartx.Transaction.parse(answer.decode("utf-8"))
    finalizer = tx._finalizer
    del tx
    gc.collect()
    assert not finalizer.alive, "the handle was freed on garbage collection"
    with pytest.raises(smartx.InvalidArgumentError):
        smartx.Transaction.parse(b"[1, 2")


def test_every_result_code_has_its_exception_class():
    import smartx
    from smartx import _ffi, errors

    codes = {name for name in _ffi.CONSTANTS if name.startswith("SX_ERR_")}
    missing = codes - set(errors.CLASSES_BY_NAME)
    assert not missing, f"result codes without an exception class: {missing}"
    for name in codes:
        assert errors.error_class(_ffi.CONSTANTS[name]) is errors.CLASSES_BY_NAME[name]
        assert smartx.library().sx_result_name(_ffi.CONSTANTS[name]).decode() == name
    assert errors.error_class(12345) is errors.SmartxError


def test_advice_for_every_code_in_both_languages_and_on_the_error(smartx, sandbox):
    from smartx import _ffi

    codes = {value for name, value in _ffi.CONSTANTS.items() if name == "SX_OK" or name.startswith("SX_ERR_")}
    for language in ("de", "en"):
        texts = {smartx.advice(code, language) for code in codes}
        assert len(texts) == len(codes) and all(texts), f"{language}: every code has its own text"
    assert smartx.advice(0) == smartx.advice(0, "en") == smartx.advice(0, None) == smartx.advice(0, "fr")
    assert smartx.advice(0, "de-AT") == smartx.advice(0, "de") != smartx.advice(0, "en")
    assert smartx.advice(12345, "en") not in {smartx.advice(code, "en") for code in codes}

    transaction_id = sandbox.create({"mode": "reset"})
    with pytest.raises(smartx.OutcomeUnknownError) as caught:
        smartx.start_cash(transaction_id, TOKEN)
    message = smartx.last_error_message()
    assert "nicht noch einmal kassieren" in caught.value.advice("de").lower()
    assert caught.value.advice() == smartx.advice(caught.value.code, "en")
    assert smartx.last_error_message() == message, "reading the advice keeps the last error"


def test_every_declared_function_is_in_the_library():
    import smartx
    from smartx import _ffi

    assert smartx.version()
    for name, _, argtypes in _ffi.FUNCTIONS:
        assert getattr(smartx.library(), name).argtypes == argtypes


def test_smartx_library_names_the_library_and_nothing_else_is_tried(tmp_path):
    code = "import smartx; smartx.version()"
    env = dict(os.environ, SMARTX_LIBRARY=str(tmp_path / "missing.so"), PYTHONPATH=str(REPO / "bindings/python"))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "SMARTX_LIBRARY" in done.stderr and "missing.so" in done.stderr


def test_library_beside_the_package_is_found(tmp_path):
    package = tmp_path / "smartx"
    package.mkdir()
    for source in (REPO / "bindings/python/smartx").glob("*.py"):
        (package / source.name).write_bytes(source.read_bytes())
    (package / "libsmartx.so").symlink_to(os.environ["SMARTX_LIBRARY"])
    code = "import smartx; print(smartx.library()._name)"
    env = {k: v for k, v in os.environ.items() if k not in ("SMARTX_LIBRARY", "LD_LIBRARY_PATH")}
    env["PYTHONPATH"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(package / "libsmartx.so")


def test_the_books_ctypes_snippet_runs_as_pasted(sandbox, tmp_path):
    """The book's plain-ctypes lines, run as a vendor would: libsmartx.so in the current folder, the
    sandbox's address in SX_BASE_URL."""
    (tmp_path / "libsmartx.so").symlink_to(os.environ["SMARTX_LIBRARY"])
    (tmp_path / "snippet.py").write_text(chapter_block("python-ctypes"), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMARTX_") and k != "LD_LIBRARY_PATH"}
    env["SX_BASE_URL"] = sandbox.base_url
    env["TOKEN"] = TOKEN
    transaction_id = sandbox.create()
    done = subprocess.run(
        [sys.executable, "snippet.py", transaction_id],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert len(sandbox.requests(transaction_id)) == 1
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SX_OK" in done.stdout, done.stdout
    assert "Kartennummer:" in done.stdout, done.stdout
    assert "9276004429942845" in done.stdout, done.stdout


def test_the_books_python_package_snippet_runs_as_pasted(sandbox, tmp_path):
    (tmp_path / "snippet.py").write_text(chapter_block("python-package"), encoding="utf-8")
    env = dict(os.environ, SX_BASE_URL=sandbox.base_url, TOKEN=TOKEN, PYTHONPATH=str(REPO / "bindings/python"))
    transaction_id = sandbox.create()
    done = subprocess.run(
        [sys.executable, "snippet.py", transaction_id],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Kartennummer:" in done.stdout, done.stdout
    assert len(sandbox.requests(transaction_id)) == 1
