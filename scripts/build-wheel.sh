#!/usr/bin/env bash
# Builds a Python wheel of the smartx package (bindings/python) with the library inside, so that
# `pip install smartx-<version>-py3-none-<platform>.whl` is all a Python register needs: `import smartx` loads the
# library from beside the package, without SMARTX_LIBRARY.
#
#   scripts/build-wheel.sh                              Linux x86_64: cargo build --release, then the wheel
#   scripts/build-wheel.sh --from target/windows-x86    Windows x86 (win32) with smartx.dll built by
#   scripts/build-wheel.sh --from target/windows        Windows x64 (win_amd64)   scripts/build-windows.sh
#   scripts/build-wheel.sh --from DIR --out DIR         a library built elsewhere; the wheel into another folder
#
# The wheel goes to target/wheels/ (or --out). Its version is Cargo.toml's. Its tag says the library's platform,
# never "any": a manylinux_2_N_x86_64 tag when the library needs only glibc (N: the newest glibc symbol version it
# uses), else linux_x86_64; win32 or win_amd64 from the DLL's machine type. The package itself is pure Python
# (ctypes), so one wheel serves every Python 3 version: py3-none-<platform>.
# Needs: python3 with pip, setuptools and, for setuptools older than 70.1, wheel (scripts/test.sh installs it);
# binutils (objdump, readelf); for Windows wheels x86_64-w64-mingw32-objdump. No network: the build uses the
# setuptools installed here (--no-build-isolation).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
from=
out=$root/target/wheels
while (($#)); do
    case $1 in
        --from) from=$(cd "$2" && pwd); shift 2 ;;
        --out) mkdir -p "$2"; out=$(cd "$2" && pwd); shift 2 ;;
        -h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "usage: $0 [--from DIR] [--out DIR]" >&2; exit 2 ;;
    esac
done
if [[ -z $from ]]; then
    (cd "$root" && cargo build --release --lib)
    from=$root/target/release
fi
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n 1)

# The library and the platform tag it implies.
if [[ -f $from/smartx.dll ]]; then
    library=$from/smartx.dll
    case $(x86_64-w64-mingw32-objdump -f "$library") in
        *"file format pei-i386"*) plat=win32 ;;
        *"file format pei-x86-64"*) plat=win_amd64 ;;
        *) echo "$library: not a Windows x86 or x64 DLL" >&2; exit 1 ;;
    esac
elif [[ -f $from/libsmartx.so ]]; then
    library=$from/libsmartx.so
    case $(readelf -h "$library" | sed -n 's/^ *Machine: *//p') in
        "Advanced Micro Devices X86-64") arch=x86_64 ;;
        AArch64) arch=aarch64 ;;
        *) echo "$library: an architecture this script does not tag" >&2; exit 1 ;;
    esac
    # manylinux (PEP 600) allows only glibc's own libraries and libgcc_s; the glibc version is the newest
    # GLIBC_2.N symbol version the library uses.
    needed=$(readelf -d "$library" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
    others=$(grep -Ev '^(libc|libm|libdl|librt|libpthread|libgcc_s)\.so\.[0-9]+$|^ld-linux' <<<"$needed" || true)
    glibc=$(objdump -T "$library" | grep -o 'GLIBC_2\.[0-9]*' | sort -t. -k2 -n | tail -n 1 | cut -d. -f2)
    if [[ -z $others && -n $glibc ]]; then plat=manylinux_2_${glibc}_$arch; else plat=linux_$arch; fi
else
    echo "no smartx.dll or libsmartx.so in $from" >&2
    exit 1
fi

# A copy of the package with the library beside __init__.py (where smartx/_library.py looks first), the version
# from Cargo.toml, and the platform tag (setup.cfg's [bdist_wheel]).
stage=$root/target/wheel-stage/$plat
rm -rf "$stage"
mkdir -p "$stage"
cp -r "$root/bindings/python/pyproject.toml" "$root/bindings/python/README.md" "$root/bindings/python/smartx" "$stage/"
find "$stage" -name __pycache__ -prune -exec rm -rf {} +
cp "$library" "$stage/smartx/"
sed -i "s/^version = \".*\"/version = \"$version\"/" "$stage/pyproject.toml"
cat > "$stage/setup.cfg" <<CFG
[bdist_wheel]
python_tag = py3
plat_name = $plat
CFG
mkdir -p "$out"
rm -f "$out/smartx-$version-py3-none-$plat.whl"
PYTHONDONTWRITEBYTECODE=1 python3 -m pip wheel --quiet --no-build-isolation --no-deps --wheel-dir "$out" "$stage"
rm -rf "$stage"
wheel=$out/smartx-$version-py3-none-$plat.whl
[[ -f $wheel ]] || { echo "pip made no $wheel" >&2; exit 1; }
echo "built $wheel"
