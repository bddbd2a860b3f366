#!/usr/bin/env bash
# Cross-builds smartx.dll for Windows on Linux, with mingw-w64, and the C example against it:
#
#   scripts/build-windows.sh          64-bit: target/windows/      smartx.dll, libsmartx.dll.a (import library for
#                                     mingw), smartx.h, smartx.hpp, start_cash.exe, smartx.exe (the command-line
#                                     tool)
#   scripts/build-windows.sh x86      32-bit: target/windows-x86/  the same files, for 32-bit registers (Delphi's
#                                     Win32 installed base: a 32-bit process cannot load a 64-bit DLL)
#   scripts/build-windows.sh all      both
#
# Needs: rustup target add x86_64-pc-windows-gnu i686-pc-windows-gnu; Debian packages gcc-mingw-w64-x86-64 and
# gcc-mingw-w64-i686 (gcc, windres). .cargo/config.toml names the linkers. Debian's i686 compiler (the default,
# win32 thread model, DWARF-2 unwinding) is the one Rust's i686-pc-windows-gnu links with: the DLL needs no
# libgcc_s or libwinpthread DLL beside it.
# A register ships smartx.dll beside its .exe; it needs no other DLL than Windows' own. To try start_cash.exe
# under Wine 8 (Debian 12), which lacks bcryptprimitives.dll, see tests/platforms/windows_dll.rs: it runs it with a
# stand-in DLL (tests/data/windows/bcryptprimitives.c) in target/windows-test; Windows 10 and later need none.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# build TARGET TOOL_PREFIX OUT
build() {
    local target=$1 cc=$2-gcc out=$3
    cargo build --release --target "$target" --package smartx --package smartx-cli
    local built=$root/target/$target/release
    # A fresh folder each time: it holds only what ships and what a register builds against (the Windows test's
    # own files, a Wine stand-in DLL and a Wine prefix, live in target/windows-test).
    rm -rf "$out"
    mkdir -p "$out"
    cp "$built/smartx.dll" "$built/libsmartx.dll.a" "$built/smartx.exe" include/smartx.h include/smartx.hpp "$out/"
    # The example links the import library; at run time Windows finds smartx.dll beside start_cash.exe.
    "$cc" -std=c99 -Wall -Wextra -Werror -O2 -I include examples-c/start_cash.c \
        -o "$out/start_cash.exe" -L "$out" -lsmartx
    echo "built $out: $(cd "$out" && echo *)"
}

case ${1:-x64} in
    x64) build x86_64-pc-windows-gnu x86_64-w64-mingw32 "$root/target/windows" ;;
    x86) build i686-pc-windows-gnu i686-w64-mingw32 "$root/target/windows-x86" ;;
    all)
        build x86_64-pc-windows-gnu x86_64-w64-mingw32 "$root/target/windows"
        build i686-pc-windows-gnu i686-w64-mingw32 "$root/target/windows-x86"
        ;;
    *) echo "usage: $0 [x64 | x86 | all]" >&2; exit 2 ;;
esac
