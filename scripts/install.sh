#!/usr/bin/env bash
# Installs smartx as a C library: what `cargo cinstall` (cargo-c) installs, without building cargo-c.
#
#   scripts/install.sh [--prefix /usr/local] [--destdir DIR] [--from DIR]
#
#   $DESTDIR$PREFIX/lib/libsmartx.so.0.1.0   the shared library, soname libsmartx.so.0 (the ABI's major version)
#   $DESTDIR$PREFIX/lib/libsmartx.so.0       -> libsmartx.so.0.1.0 (what programs load)
#   $DESTDIR$PREFIX/lib/libsmartx.so         -> libsmartx.so.0 (what the linker finds for -lsmartx)
#   $DESTDIR$PREFIX/lib/libsmartx.a          the static library
#   $DESTDIR$PREFIX/include/smartx.h, smartx.hpp
#   $DESTDIR$PREFIX/lib/pkgconfig/smartx.pc  `pkg-config --cflags --libs smartx` (add --static for libsmartx.a)
#
# It builds with `cargo build --release` unless --from names a directory holding libsmartx.so and libsmartx.a
# already built (the tests pass theirs). The soname is set on the installed copy only (patchelf), so the
# libraries under target/ stay usable by their plain file name. Linux; Windows: scripts/build-windows.sh.
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
        *) echo "usage: $0 [--prefix DIR] [--destdir DIR] [--from DIR]" >&2; exit 2 ;;
    esac
done
command -v patchelf >/dev/null || { echo "patchelf is needed (Debian: apt-get install patchelf)" >&2; exit 1; }
if [[ -z $from ]]; then
    (cd "$root" && cargo build --release --lib)
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
# Libs.private: what the Rust standard library in libsmartx.a needs (rustc --print native-static-libs).
cat > "$lib/pkgconfig/smartx.pc" <<PC
prefix=$prefix
exec_prefix=\${prefix}
libdir=\${exec_prefix}/lib
includedir=\${prefix}/include

Name: smartx
Description: secuconnect Smart Transactions for cash registers (C library)
Version: $version
Libs: -L\${libdir} -lsmartx
Libs.private: -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
Cflags: -I\${includedir}
PC
echo "installed smartx $version under $destdir$prefix"
