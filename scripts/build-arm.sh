#!/usr/bin/env bash
# Cross-builds libsmartx.so for 64-bit ARM Linux (aarch64-unknown-linux-gnu) on an x86_64 Debian machine:
#
#   scripts/build-arm.sh            debug build   -> target/aarch64-unknown-linux-gnu/debug/libsmartx.so
#   scripts/build-arm.sh --release  what ships    -> target/aarch64-unknown-linux-gnu/release/libsmartx.so
#
# Needs: rustup target add aarch64-unknown-linux-gnu; Debian packages gcc-aarch64-linux-gnu and
# libc6-dev-arm64-cross (the linker, and the C compiler for SQLite and ring). To run ARM programs here:
# qemu-user (`qemu-aarch64 -L /usr/aarch64-linux-gnu ./program`); tests/platforms/arm.rs does that against the sandbox.
# The linker is named here, not in .cargo/config.toml, so that a native build never depends on the cross tools.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
export CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc
export AR_aarch64_unknown_linux_gnu=aarch64-linux-gnu-ar
case ${1:-} in
    "") cargo build --lib --target aarch64-unknown-linux-gnu ;;
    --release) cargo build --release --lib --target aarch64-unknown-linux-gnu ;;
    *) echo "usage: $0 [--release]" >&2; exit 2 ;;
esac
