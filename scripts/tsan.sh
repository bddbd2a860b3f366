#!/usr/bin/env bash
# Runs tests/data/c/races.c (16 threads of calls racing with sx_shutdown, sx_set_base_url, sx_set_timeouts and other
# clients) under ThreadSanitizer, through `cargo test --test c_api races::races_under_thread_sanitizer`.
#
# TSan only sees instrumented code: the normal libsmartx.so hides the Rust code's locks and atomics from it and
# every allocation freed on another thread is then reported as a race. So the library and the Rust standard
# library are built here with -Zsanitizer=thread (nightly, -Zbuild-std, into target/tsan), and the C program is
# linked with rustc's own TSan runtime, which matches that instrumentation. The nightly toolchain and its
# rust-src component are installed when missing. Several minutes for the build the first time;
# SMARTX_RACE_TSAN_SECONDS (default 30) sets how long the program runs.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! rustup +nightly component list --installed 2>/dev/null | grep -q '^rust-src'; then
    rustup toolchain install nightly --profile minimal --component rust-src
fi
host=$(rustc +nightly -vV | sed -n 's/^host: //p')
RUSTFLAGS="-Zsanitizer=thread" cargo +nightly build --quiet -Zbuild-std --target "$host" --target-dir target/tsan --lib
export SMARTX_TSAN_LIBDIR="$PWD/target/tsan/$host/debug"
export SMARTX_TSAN_RUNTIME="$(rustc +nightly --print sysroot)/lib/rustlib/$host/lib/librustc-nightly_rt.tsan.a"
[ -f "$SMARTX_TSAN_RUNTIME" ] || { echo "no TSan runtime at $SMARTX_TSAN_RUNTIME"; exit 1; }
cargo test --quiet --test c_api races::races_under_thread_sanitizer -- --nocapture
