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
# The race program (tests/c_api/races.rs) for 20 s instead of the plain run's minute: the same races, half the CI time.
export SMARTX_RACE_SECONDS="${SMARTX_RACE_SECONDS:-20}"
# The modules whose tests run C programs (one filter per module; the in-process tests of these targets gain
# nothing from a sanitizer run; `tls::` also takes the two in-process tests of plain_to_tls::).
cargo test --quiet --test c_api --test docs --test hostile -- \
    abi:: contract:: render:: client:: races:: lifecycle:: accessors:: \
    example_c:: example_pair:: example_full_flow:: \
    fresh_connection:: reused_connection:: tls::
