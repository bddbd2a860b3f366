#!/usr/bin/env bash
# Runs the C layer's unsafe code under Miri: the in-process C ABI tests (tests/c_api/in_process.rs: pointer
# helpers, the buffer rule, handle lifetimes, the strings handed out) and the C layer's unit tests. Miri checks
# every pointer use for undefined behaviour. It needs the nightly toolchain with the miri component, which
# this script installs when it is missing. About a minute on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! rustup +nightly component list --installed 2>/dev/null | grep -q '^miri'; then
    rustup toolchain install nightly --profile minimal --component miri,rust-src
fi
export MIRIFLAGS="${MIRIFLAGS:-} -Zmiri-strict-provenance"
cargo +nightly miri setup --quiet 2>/dev/null || cargo +nightly miri setup
cargo +nightly miri test --quiet --test c_api in_process::
cargo +nightly miri test --quiet --lib ffi::
