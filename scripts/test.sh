#!/usr/bin/env bash
# The test command, on a fresh machine too: installs what the tests need and is missing, then runs every test.
#
#   scripts/test.sh                  install what is missing, run `cargo test --workspace`, print the totals
#   scripts/test.sh --install-only   only install (.ci/run does this before fmt, clippy and the other checks)
#   scripts/test.sh --no-install     only the tests (they say what is missing)
#
# Needs Rust (rustup, https://rustup.rs) and, on Debian or Ubuntu, apt-get. As root it installs Debian packages
# itself; otherwise through sudo where there is sudo, else it prints the apt-get line to run as root and stops.
# The last line is the totals, `tests: N passed, N failed`; the exit status is cargo test's.
set -euo pipefail
cd "$(dirname "$0")/.."

MDBOOK_VERSION=0.5.4
install=yes
tests=yes
case ${1:-} in
    "") ;;
    --install-only) tests=no ;;
    --no-install) install=no ;;
    -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "usage: $0 [--install-only | --no-install]" >&2; exit 2 ;;
esac

# The command prefix that runs a command as root here: none as root, sudo where there is sudo; else it fails.
root_prefix() {
    if ((EUID == 0)); then
        return 0
    elif command -v sudo >/dev/null; then
        echo sudo
    else
        return 1
    fi
}

# Debian packages, each named with the command (or check) that shows it is there.
debian_packages() {
    local -a missing=()
    # C and C++ compilers and make for the C programs and the header read as C++; binutils for nm and readelf;
    # valgrind for the memory checks; git for the header check.
    command -v cc >/dev/null || missing+=(gcc libc6-dev)
    command -v c++ >/dev/null || missing+=(g++)
    command -v make >/dev/null || missing+=(make)
    command -v readelf >/dev/null || missing+=(binutils)
    command -v valgrind >/dev/null || missing+=(valgrind)
    command -v git >/dev/null || missing+=(git)
    # strace for the order of the journal's sync and the first byte sent (tests/journal/sync.rs).
    command -v strace >/dev/null || missing+=(strace)
    # The bindings (tests/bindings/languages.rs, tests/platforms/windows_dll.rs): Free Pascal; pkg-config and patchelf
    # for the installed tree; Python with pip and venv (the package installed into a fresh venv); mingw-w64 and Wine for
    # smartx.dll. --no-install-recommends below keeps Wine small (no fonts); 32-bit Wine is named below.
    command -v fpc >/dev/null || missing+=(fp-compiler)
    command -v pkg-config >/dev/null || missing+=(pkg-config)
    command -v patchelf >/dev/null || missing+=(patchelf)
    command -v x86_64-w64-mingw32-gcc >/dev/null || missing+=(gcc-mingw-w64-x86-64)
    command -v wine >/dev/null || missing+=(wine wine64)
    # 32-bit Windows (tests/platforms/windows_x86.rs): mingw-w64's i686 compiler and 32-bit Wine (i386 packages: the
    # architecture is added first, in install_missing).
    command -v i686-w64-mingw32-gcc >/dev/null || missing+=(gcc-mingw-w64-i686)
    [[ -x /usr/lib/wine/wine ]] || missing+=(wine32:i386)
    # ARM Linux (tests/platforms/arm.rs): Debian's aarch64 cross compiler and C library, and qemu-user to run the programs.
    command -v aarch64-linux-gnu-gcc >/dev/null || missing+=(gcc-aarch64-linux-gnu)
    # Its headers, not the loader: the loader is libc6-arm64-cross's, which stays when the -dev package is gone.
    [[ -e /usr/aarch64-linux-gnu/include/stdio.h ]] || missing+=(libc6-dev-arm64-cross)
    command -v qemu-aarch64 >/dev/null || missing+=(qemu-user)
    command -v python3 >/dev/null && python3 -m pip --version >/dev/null 2>&1 || missing+=(python3 python3-pip)
    python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
    if ((${#missing[@]})); then printf '%s\n' "${missing[@]}"; fi
}

install_missing() {
    command -v cargo >/dev/null || {
        echo "scripts/test.sh: Rust is needed: install it with rustup (https://rustup.rs), then run this again" >&2
        exit 1
    }
    local -a missing
    mapfile -t missing < <(debian_packages)
    if ((${#missing[@]})); then
        command -v apt-get >/dev/null || {
            echo "scripts/test.sh: not a Debian-like system; install the equivalents of: ${missing[*]}" >&2
            exit 1
        }
        local sudo
        sudo=$(root_prefix) || {
            echo "scripts/test.sh: these Debian packages are missing; not root and no sudo, so run as root:" >&2
            echo "  dpkg --add-architecture i386 && apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
            exit 1
        }
        echo "== installing Debian packages: ${missing[*]}"
        if [[ " ${missing[*]} " == *":i386 "* ]] && ! dpkg --print-foreign-architectures | grep -qx i386; then
            $sudo dpkg --add-architecture i386
        fi
        $sudo apt-get update -qq
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
    # Python packages: pytest for the Python binding's tests. Debian's Python refuses pip installs outside a venv
    # (PEP 668) unless told to; as a user, into the user's site.
    if ! python3 -m pytest --version >/dev/null 2>&1; then
        echo "== installing pytest"
        local -a pip=(python3 -m pip install --quiet)
        ((EUID == 0)) || pip+=(--user)
        "${pip[@]}" pytest || "${pip[@]}" --break-system-packages pytest
    fi
    # The wheel (scripts/build-wheel.sh, tests/platforms/wheel.rs) is built offline with the setuptools here; a setuptools
    # older than 70.1 takes its bdist_wheel from the wheel package (which dropped it in 0.46).
    if ! python3 -c 'import setuptools.command.bdist_wheel' >/dev/null 2>&1 &&
        ! python3 -c 'import wheel.bdist_wheel' >/dev/null 2>&1; then
        echo "== installing wheel"
        local -a pip=(python3 -m pip install --quiet)
        ((EUID == 0)) || pip+=(--user)
        "${pip[@]}" "wheel<0.46" || "${pip[@]}" --break-system-packages "wheel<0.46"
    fi
    # Rust: the Windows targets for smartx.dll (64- and 32-bit), ARM Linux, rustfmt and clippy for the checks.
    if command -v rustup >/dev/null; then
        local target
        for target in x86_64-pc-windows-gnu i686-pc-windows-gnu aarch64-unknown-linux-gnu; do
            rustup target list --installed | grep -qx "$target" || rustup target add "$target"
        done
        local component
        for component in rustfmt clippy; do
            rustup component list --installed 2>/dev/null | grep -q "^$component" || rustup component add "$component"
        done
    else
        echo "scripts/test.sh: no rustup: the Windows and ARM tests skip themselves without their Rust targets" >&2
    fi
    # The manual in docs/ (tests/docs/book.rs builds it and checks its links): mdBook, the Rust ecosystem's book tool,
    # from crates.io (no Debian package). Pinned, without its server and file watcher; about 2 minutes to build.
    if [[ $(mdbook --version 2>/dev/null) != "mdbook v$MDBOOK_VERSION" ]]; then
        echo "== installing mdbook $MDBOOK_VERSION (cargo install)"
        cargo install mdbook --version "$MDBOOK_VERSION" --locked --no-default-features --features search --quiet
    fi
}

[[ $install == yes ]] && install_missing
[[ $tests == yes ]] || exit 0

echo "== cargo test --workspace"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
cargo test --workspace 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
awk '/^test result:/ { passed += $4; failed += $6 } END { printf "tests: %d passed, %d failed\n", passed, failed }' "$log"
exit "$status"
