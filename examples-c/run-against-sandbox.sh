#!/usr/bin/env bash
# Registers a cash payment for the seed transaction against a local smartx-sandbox:
# starts the sandbox on a free port, runs ./start_cash against it, stops the sandbox,
# and exits with start_cash's status. Run it through `make run` (it builds everything first).
set -euo pipefail
cd "$(dirname "$0")"

SANDBOX_BIN=${SANDBOX_BIN:-../target/release/smartx-sandbox}
DEMO_TOKEN=sandbox-demo-token-0001
SEED_ID=STX_KJXJDUN542NR3WMRHRVU5WWM6ZQEA2

if [[ ! -x $SANDBOX_BIN || ! -x ./start_cash ]]; then
    echo "build first: make -C examples-c run (needs $SANDBOX_BIN and ./start_cash)" >&2
    exit 1
fi

# The sandbox prints its base URL as the first line on stdout; port 0 lets it pick a free port.
coproc SANDBOX { exec "$SANDBOX_BIN" --port 0 --token "$DEMO_TOKEN"; }
SANDBOX_PID=$SANDBOX_PID
trap 'kill "$SANDBOX_PID" 2>/dev/null || true; wait "$SANDBOX_PID" 2>/dev/null || true' EXIT

if ! read -r -t 20 BASE_URL <&"${SANDBOX[0]}"; then
    echo "the sandbox did not print its address within 20 s" >&2
    exit 1
fi
# The sandbox's own log (stderr) already says where it listens: no second start line here.

status=0
./start_cash "$SEED_ID" "$DEMO_TOKEN" "$BASE_URL" || status=$?
exit "$status"
