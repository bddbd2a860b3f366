#!/usr/bin/env bash
# Builds the C test programs and the C example with AddressSanitizer (with LeakSanitizer) and
# UndefinedBehaviorSanitizer and runs their tests against the library and the sandbox. Every finding stops the
# program with a failing exit code, so the test fails. The valgrind tests skip themselves in this mode.
#
# The sanitizer runtime is linked into the C program, so it is loaded first, before libsmartx. A host that is not
# built with ASan (a Python interpreter, a Delphi program) must preload it instead:
#   LD_PRELOAD="$(cc -print-file-name=libasan.so)" python3 register.py
set -euo pipefail
cd "$(dirname "$0")/.."
export SMARTX_SANITIZE="${SMARTX_SANITIZE:-address,undefined}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=86}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# The race program (tests/races.rs) for 20 s instead of the plain run's minute: the same races, half the CI time.
export SMARTX_RACE_SECONDS="${SMARTX_RACE_SECONDS:-20}"
cargo test --quiet --test c_abi --test c_contract --test c_render --test example_c --test c_client --test example_pair \
    --test hostile --test hostile_reused --test hostile_tls --test races --test c_lifecycle --test example_full_flow \
    --test c_accessors
