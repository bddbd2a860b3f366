#!/usr/bin/env bash
# Cross-builds smartx.dll for 64-bit Windows on Linux, with mingw-w64, and the C example against it:
#
#   scripts/build-windows.sh        -> target/windows/: smartx.dll, libsmartx.dll.a (import library for mingw),
#                                      smartx.h, smartx.hpp, start_cash.exe, smartx.exe (the command-line tool)
#
# Needs: rustup target add x86_64-pc-windows-gnu; Debian packages gcc-mingw-w64-x86-64 (gcc, windres).
# .cargo/config.toml names the linker.
# A register ships smartx.dll beside its .exe; it needs no other DLL than Windows' own. To try start_cash.exe
# under Wine 8 (Debian 12), which lacks bcryptprimitives.dll, see tests/bindings/windows_dll.rs: it runs it with a
# stand-in DLL (tests/data/windows/bcryptprimitives.c) in target/windows-test; Windows 10 and later need none.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target=x86_64-pc-windows-gnu
out=$root/target/windows
cd "$root"
cargo build --release --target "$target" --package smartx --package smartx-cli
built=$root/target/$target/release
# A fresh folder each time: it holds only what ships and what a register builds against (the Windows test's
# own files, a Wine stand-in DLL and a Wine prefix, live in target/windows-test).
rm -rf "$out"
mkdir -p "$out"
cp "$built/smartx.dll" "$built/libsmartx.dll.a" "$built/smartx.exe" include/smartx.h include/smartx.hpp "$out/"
# The example links the import library; at run time Windows finds smartx.dll beside start_cash.exe.
x86_64-w64-mingw32-gcc -std=c99 -Wall -Wextra -Werror -O2 -I include examples-c/start_cash.c \
    -o "$out/start_cash.exe" -L "$out" -lsmartx
echo "built $out: $(cd "$out" && echo *)"
