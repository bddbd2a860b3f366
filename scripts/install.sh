#!/usr/bin/env bash
# Installs smartx as a C library: what `cargo cinstall` (cargo-c) installs, without building cargo-c; and the
# command-line tool `smartx` (smartx-cli) for the installer and the support line.
# `scripts/install.sh --help` prints the usage below and what to ship per platform.
usage() {
    cat <<'USAGE'
usage: scripts/install.sh [--prefix /usr/local] [--destdir DIR] [--from DIR]

Installs (Linux):
  $DESTDIR$PREFIX/lib/libsmartx.so.0.1.0   the shared library, soname libsmartx.so.0 (the ABI's major version)
  $DESTDIR$PREFIX/lib/libsmartx.so.0       -> libsmartx.so.0.1.0 (what programs load)
  $DESTDIR$PREFIX/lib/libsmartx.so         -> libsmartx.so.0 (what the linker finds for -lsmartx)
  $DESTDIR$PREFIX/lib/libsmartx.a          the static library
  $DESTDIR$PREFIX/bin/smartx               the command-line tool (`smartx doctor` when the till cannot pay)
  $DESTDIR$PREFIX/include/smartx.h, smartx.hpp
  $DESTDIR$PREFIX/lib/pkgconfig/smartx.pc          cc prog.c $(pkg-config --cflags --libs smartx)
  $DESTDIR$PREFIX/lib/pkgconfig/smartx-static.pc   cc prog.c $(pkg-config --cflags --libs smartx-static)
                                                   (links libsmartx.a: the program needs no libsmartx.so)

  --prefix DIR   where to install (default /usr/local). When DIR/lib is a folder the loader searches
                 (/usr/local/lib, /usr/lib, ... see ldconfig -v), ldconfig is run, so programs find the library
                 at once; elsewhere link with -Wl,-rpath,DIR/lib. A Python venv as prefix
                 (--prefix "$VIRTUAL_ENV") is where `pip install ./bindings/python` looks for the library.
  --destdir DIR  stage the tree under DIR for a package (ldconfig is then the package's job)
  --from DIR     take libsmartx.so, libsmartx.a and smartx already built in DIR (default: cargo build --release);
                 a DIR without the smartx binary installs the library only

What to ship with a register (the register's own program beside it):
  Linux, shared:  the library under the name the program needs (readelf -d: libsmartx.so.0 when linked
                  against this install, libsmartx.so when linked against target/release) beside the program,
                  linked with -Wl,-rpath,'$ORIGIN'; or installed by this script. Needs only glibc.
  Linux, static:  nothing: libsmartx.a is inside the program (smartx-static.pc).
  Windows:        smartx.dll beside the .exe, of the register's width: a 32-bit program (most Delphi
                  registers) needs the 32-bit DLL (scripts/build-windows.sh x86 -> target/windows-x86/), a
                  64-bit one the 64-bit DLL (scripts/build-windows.sh -> target/windows/); either needs only
                  Windows' own DLLs. Link with libsmartx.dll.a (mingw) or load it at run time (Delphi
                  external 'smartx.dll' cdecl, Python ctypes).
  Linux ARM64:    scripts/build-arm.sh --release, then as Linux above.
  Python:         the wheel (scripts/build-wheel.sh -> target/wheels/), which carries the library; or the
                  smartx package (bindings/python) plus the library: beside the package, in the Python
                  prefix's lib, or installed system-wide.
  Delphi / Free Pascal: bindings/pascal/smartx.pas compiled in, plus the library as above.
  Development only, never shipped: include/ (headers), lib/pkgconfig, the sandbox.
USAGE
}
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
prefix=/usr/local
destdir=
from=
while (($#)); do
    case $1 in
        --prefix) prefix=$2; shift 2 ;;
        --destdir) destdir=$2; shift 2 ;;
        --from) from=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
done
command -v patchelf >/dev/null || { echo "patchelf is needed (Debian: apt-get install patchelf)" >&2; exit 1; }
if [[ -z $from ]]; then
    (cd "$root" && cargo build --release --package smartx --package smartx-cli)
    from=$root/target/release
fi
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n 1)
major=${version%%.*}
lib=$destdir$prefix/lib
include=$destdir$prefix/include
install -d "$lib/pkgconfig" "$include"
install -m 0755 "$from/libsmartx.so" "$lib/libsmartx.so.$version"
patchelf --set-soname "libsmartx.so.$major" "$lib/libsmartx.so.$version"
ln -sfn "libsmartx.so.$version" "$lib/libsmartx.so.$major"
ln -sfn "libsmartx.so.$major" "$lib/libsmartx.so"
install -m 0644 "$from/libsmartx.a" "$lib/libsmartx.a"
install -m 0644 "$root/include/smartx.h" "$root/include/smartx.hpp" "$include/"
if [[ -x $from/smartx ]]; then
    install -d "$destdir$prefix/bin"
    install -m 0755 "$from/smartx" "$destdir$prefix/bin/smartx"
else
    echo "note: no smartx binary in $from: the command-line tool is not installed" >&2
fi
# What the Rust standard library in libsmartx.a needs (rustc --print native-static-libs).
native_libs="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"
cat > "$lib/pkgconfig/smartx.pc" <<PC
prefix=$prefix
exec_prefix=\${prefix}
libdir=\${exec_prefix}/lib
includedir=\${prefix}/include

Name: smartx
Description: secuconnect Smart Transactions for cash registers (C library)
Version: $version
Libs: -L\${libdir} -lsmartx
Libs.private: $native_libs
Cflags: -I\${includedir}
PC
# `pkg-config --static smartx` would still name -lsmartx, which the linker resolves to the .so: the static
# library gets its own name, linked by file name (-l:libsmartx.a), with what it needs in Libs.
cat > "$lib/pkgconfig/smartx-static.pc" <<PC
prefix=$prefix
exec_prefix=\${prefix}
libdir=\${exec_prefix}/lib
includedir=\${prefix}/include

Name: smartx-static
Description: secuconnect Smart Transactions for cash registers (C library, linked statically)
Version: $version
Libs: -L\${libdir} -l:libsmartx.a $native_libs
Cflags: -I\${includedir}
PC

# The loader's cache: a new library in a folder it searches is found only after ldconfig.
if [[ -z $destdir ]]; then
    libdir_real=$(realpath "$lib")
    searched=no
    while read -r folder; do
        [[ -d $folder && $(realpath "$folder") == "$libdir_real" ]] && searched=yes
    done < <(ldconfig -v -N 2>/dev/null | sed -n 's|^\(/[^:]*\):.*|\1|p')
    if [[ $searched == yes ]]; then
        if ((EUID == 0)); then
            ldconfig
        elif command -v sudo >/dev/null; then
            sudo ldconfig
        else
            echo "run ldconfig as root so that programs find $lib/libsmartx.so.0" >&2
        fi
    else
        echo "note: the loader does not search $lib: link programs with -Wl,-rpath,$lib" >&2
    fi
fi
echo "installed smartx $version under $destdir$prefix"
