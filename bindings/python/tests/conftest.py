"""Starts the smartx-sandbox (a separate process on loopback) for the tests, as tests/support/mod.rs does.

The Rust test tests/bindings/languages.rs sets SMARTX_LIBRARY (this run's libsmartx) and SMARTX_SANDBOX (the
sandbox binary); run by hand, the debug builds of the repository are used."""

import json
import os
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "bindings" / "python"))
os.environ.setdefault("SMARTX_LIBRARY", str(REPO / "target" / "debug" / "libsmartx.so"))

# The book's chapter on Python: its marked code blocks are run as pasted.
PYTHON_CHAPTER = REPO / "docs" / "src" / "getting-started" / "python.md"


def chapter_block(marker: str) -> str:
    """The code block right after `<!-- marker -->` in the Python chapter, without its fences."""
    import re

    found = re.search(rf"<!-- {marker} -->\n```\w*\n(.*?)```", PYTHON_CHAPTER.read_text(encoding="utf-8"), re.S)
    assert found, f"no <!-- {marker} --> code block in {PYTHON_CHAPTER}"
    return found.group(1)

TOKEN = "py-test-token-SECRET-5a1c"
SEED_ID = "STX_KJXJDUN542NR3WMRHRVU5WWM6ZQEA2"


class Sandbox:
    def __init__(self, *args: str) -> None:
        exe = os.environ.get("SMARTX_SANDBOX", str(REPO / "target" / "debug" / "smartx-sandbox"))
        self.process = subprocess.Popen(
            [exe, "--token", TOKEN, *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        line = []
        reader = threading.Thread(target=lambda: line.append(self.process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(20)
        if not line or not line[0].startswith("http"):
            self.process.kill()
            raise RuntimeError(f"{exe} printed no base URL: {line}")
        self.base_url = line[0].strip()
        # Keep draining stdout so the sandbox never blocks on a full pipe.
        threading.Thread(target=self.process.stdout.read, daemon=True).start()

    def control(self, method: str, path: str, body: object = None) -> object:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=30) as answer:
            text = answer.read()
        return json.loads(text) if text else None

    def create(self, behaviour: object = None) -> str:
        body = {} if behaviour is None else {"behaviour": behaviour}
        return self.control("POST", "/_sandbox/transactions", body)["ids"][0]

    def requests(self, transaction_id: str) -> list:
        return self.control("GET", f"/_sandbox/transactions/{transaction_id}/requests")

    def api_requests(self) -> int:
        """Requests under /api/ so far (the control API is not counted)."""
        return self.control("GET", "/_sandbox/stats")["api_requests"]

    def set_rule(self, method: str, path_prefix: str, behaviour: dict, times: int = 1) -> None:
        """`behaviour` for the next `times` calls of `method` on a path starting with `path_prefix`
        (a start: "POST", "/api/v2/Smart/Transactions/"; a create has no trailing slash)."""
        rule = {"method": method, "path": path_prefix, "times": times, "behaviour": behaviour}
        self.control("POST", "/_sandbox/rules", rule)

    def starts(self, transaction_id: str) -> int:
        """The starts (POST .../start/...) the sandbox received for the transaction."""
        return sum(1 for request in self.requests(transaction_id) if "/start/" in request["path"])

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


@pytest.fixture(scope="session")
def sandbox():
    running = Sandbox()
    yield running
    running.stop()


@pytest.fixture()
def smartx(sandbox):
    import smartx

    smartx.set_base_url(sandbox.base_url)
    yield smartx


@pytest.fixture()
def own_sandbox():
    """A sandbox of the test's own, for tests that set fault rules or count requests."""
    running = Sandbox()
    yield running
    running.stop()


def client_of(sandbox):
    """A smartx.Client on `sandbox` with the sandbox's token."""
    import smartx

    client = smartx.Client(sandbox.base_url)
    client.use_token(TOKEN)
    return client
