#!/usr/bin/env bash
# Fuzzes the library with libFuzzer (cargo-fuzz): each target for SECONDS (default 30), or only the targets named.
#   scripts/fuzz.sh                              every target for 30 s (CI runs it with a short time)
#   scripts/fuzz.sh 14400 transaction_parse      four hours on one target
# The corpora live in fuzz/corpus/<target> (kept between runs, not committed) and are seeded from fixtures/.
# A crash, a panic or a hang (over 10 s for one input) stops the run with a failing exit code and leaves the
# input in fuzz/artifacts/<target>/; turn it into a plain test before fixing it.
# Needs the nightly toolchain and cargo-fuzz; both are installed when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then
    targets=(transaction_parse answer_classify argument_checks receipt_render)
fi

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

seed() {
    local target=$1 dir=fuzz/corpus/$1 file
    mkdir -p "$dir"
    for file in fixtures/*.json; do
        case $target in
            transaction_parse) cp "$file" "$dir/$(basename "$file")" ;;
            # columns 42, text or ESC/POS, CP858, no flags, the customer receipt; then the transaction
            receipt_render)
                { printf '\052\000\000\000\000\000'; cat "$file"; } >"$dir/text-$(basename "$file")"
                { printf '\052\001\000\002\001\000'; cat "$file"; } >"$dir/escpos-$(basename "$file")"
                ;;
            # status 200 (little-endian), no redirect target, then the body
            answer_classify) { printf '\310\000\000'; cat "$file"; } >"$dir/$(basename "$file")" ;;
        esac
    done
    if [[ $target == argument_checks ]]; then
        printf '\000qb56tjj1bcvo9n2nj4u38k84lo' >"$dir/token"
        printf '\001STX_KJXJDUN542NR3WMRHRVU5WWM6ZQEA2' >"$dir/id"
        printf '\002https://connect-testing.secuconnect.com/' >"$dir/url"
        printf '\002http://[::1]:8080' >"$dir/loopback"
    fi
}

for target in "${targets[@]}"; do
    seed "$target"
    echo "== fuzzing $target for $seconds s"
    log="fuzz/corpus/$target.log"
    status=0
    cargo +nightly fuzz run --fuzz-dir fuzz "$target" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 >"$log" 2>&1 || status=$?
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|Done [0-9]+ runs)' "$log" || true
    if ((status != 0)); then
        tail -n 40 "$log" >&2
        echo "fuzzing $target found a failure (exit $status): see fuzz/artifacts/$target/ and $log" >&2
        exit 1
    fi
done
