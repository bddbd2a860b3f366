#!/usr/bin/env python3
"""What the Pascal unit and the Python binding declare for 32-bit Windows, as the NAME=value lines of
`bindings/generate.py --layout-c` (sizeof./offsetof. of every struct field, const. of every constant).

    python3 tests/data/windows/layout_win32.py pascal bindings/pascal/smartx.pas
    python3 tests/data/windows/layout_win32.py python bindings/python/smartx/_ffi.py

No 32-bit Free Pascal or 32-bit Python runs here (Debian ships neither for Windows), so the declarations are read
as written and laid out by the rules both languages follow on Win32: every pointer, PAnsiChar, P... type, callback,
NativeUInt, c_size_t and c_void_p is 4 bytes; fixed-width integers are their width, aligned to it (Int64 /
c_int64 at 8, as MSVC and mingw lay out int64_t); a record or Structure is laid out as C does ({$PACKRECORDS C}
in the unit; ctypes' default). A type this script does not know is an error, never a guess. tests/platforms/windows_x86.rs
compares the result with what a 32-bit C program compiled by mingw prints under Wine.
"""

import re
import sys

POINTER = (4, 4)
FIXED = {8: (1, 1), 16: (2, 2), 32: (4, 4), 64: (8, 8)}


def lay_out(fields):
    """[(name, (size, align))] -> (size, align, [(name, offset, size)]) by C's rules."""
    offset, align, placed = 0, 1, []
    for name, (size, field_align) in fields:
        offset = (offset + field_align - 1) // field_align * field_align
        placed.append((name, offset, size))
        offset += size
        align = max(align, field_align)
    return (offset + align - 1) // align * align, align, placed


def print_struct(name, fields):
    size, _, placed = lay_out(fields)
    print(f"sizeof.{name}={size}")
    for field, offset, field_size in placed:
        print(f"offsetof.{name}.{field}={offset}")
        print(f"sizeof.{name}.{field}={field_size}")


# ------------------------------------------------------------------------------------------------ Pascal


def pascal(path):
    text = open(path, encoding="utf-8").read()
    interface = text.split("\nimplementation\n")[0]
    types = {"Pointer": POINTER, "PAnsiChar": POINTER, "NativeUInt": POINTER, "NativeInt": POINTER}
    for bits, layout in FIXED.items():
        types[f"UInt{bits}"] = types[f"Int{bits}"] = layout
    constants, records = {}, []
    section = None
    lines = iter(interface.splitlines())
    for line in lines:
        code = line.split("//")[0].rstrip()
        if code in ("const", "type"):
            section = code
            continue
        if code and not code.startswith((" ", "{")):
            section = None  # the functions after the declarations
            continue
        m = re.fullmatch(r"  (\w+) = (.+);(?: \{.*\})?", code)
        if section == "const" and m and re.fullmatch(r"-?\d+", m.group(2)):
            constants[m.group(1)] = int(m.group(2))
        elif section == "const" and m and m.group(1) == "SMARTX_LIB":
            pass  # the library's file name, not a C constant
        elif section == "type" and m and m.group(2) == "record end":
            types[m.group(1)] = None  # opaque: only pointers to it exist
        elif section == "type" and m and m.group(2).startswith("^"):
            types[m.group(1)] = POINTER
        elif section == "type" and m and re.match(r"(procedure|function)\b", m.group(2)):
            types[m.group(1)] = POINTER  # a procedure type is a code pointer
        elif section == "type" and m:
            types[m.group(1)] = types[m.group(2)]  # an alias: sx_result = UInt32
        elif section == "type" and re.fullmatch(r"  (\w+) = record", code):
            name = code.split()[0]
            fields = []
            for field_line in lines:
                field_code = field_line.split("//")[0].strip()
                if field_code == "end;":
                    break
                if not field_code:
                    continue
                fm = re.fullmatch(r"(\w+): (\w+);", field_code)
                if not fm:
                    raise SystemExit(f"{path}: a record field this script does not know: {field_line!r}")
                field_type = fm.group(2)
                if field_type not in types:
                    raise SystemExit(f"{path}: the type {field_type} of {name}.{fm.group(1)} is unknown here")
                # Fields renamed for Pascal (type -> type_) print under their C name.
                fields.append((fm.group(1).rstrip("_"), types[field_type]))
            size, align, _ = lay_out(fields)
            types[name] = (size, align)
            records.append((name, fields))
        elif section == "type" and code.strip() and not code.startswith("  {"):
            raise SystemExit(f"{path}: a type declaration this script does not know: {line!r}")
    for name, fields in records:
        print_struct(name, fields)
    for name, value in constants.items():
        print(f"const.{name}={value}")


# ------------------------------------------------------------------------------------------------ Python


class Win32Type:
    def __init__(self, name, size, align):
        self.name, self.size, self.align = name, size, align


class FakeCtypes:
    """The ctypes names the binding uses, with their sizes on 32-bit Windows."""

    c_char_p = Win32Type("c_char_p", *POINTER)
    c_void_p = Win32Type("c_void_p", *POINTER)
    c_size_t = Win32Type("c_size_t", *POINTER)
    c_ssize_t = Win32Type("c_ssize_t", *POINTER)
    c_int = Win32Type("c_int", 4, 4)
    c_uint = Win32Type("c_uint", 4, 4)
    c_bool = Win32Type("c_bool", 1, 1)

    @staticmethod
    def POINTER(_target):
        return Win32Type("POINTER", *POINTER)

    @staticmethod
    def CFUNCTYPE(*_signature):
        return Win32Type("CFUNCTYPE", *POINTER)

    class Structure:
        pass

    CDLL = object


for _bits, (_size, _align) in FIXED.items():
    setattr(FakeCtypes, f"c_uint{_bits}", Win32Type(f"c_uint{_bits}", _size, _align))
    setattr(FakeCtypes, f"c_int{_bits}", Win32Type(f"c_int{_bits}", _size, _align))


def layout_of(value, where):
    if isinstance(value, Win32Type):
        return (value.size, value.align)
    if isinstance(value, type) and issubclass(value, FakeCtypes.Structure):
        size, align, _ = lay_out([(n, layout_of(t, f"{where}.{n}")) for n, t in value._fields_])
        return (size, align)
    raise SystemExit(f"{where}: a ctypes type this script does not know: {value!r}")


def python(path):
    source = open(path, encoding="utf-8").read()
    if not re.search(r"^import ctypes$", source, re.M):
        raise SystemExit(f"{path}: expected `import ctypes`")
    # The binding's own text, run with `ctypes` bound to the Win32 table above: every name it uses from ctypes
    # must be in the table (an unknown one is an AttributeError, never a 64-bit size).
    namespace = {"__name__": "smartx._ffi_win32", "ctypes": FakeCtypes}
    exec(compile(source.replace("import ctypes\n", "", 1), path, "exec"), namespace)
    for name, struct in namespace["STRUCTS"].items():
        print_struct(name, [(n, layout_of(t, f"{name}.{n}")) for n, t in struct._fields_])
    for name, value in namespace["CONSTANTS"].items():
        print(f"const.{name}={value}")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("pascal", "python"):
        raise SystemExit(__doc__)
    {"pascal": pascal, "python": python}[sys.argv[1]](sys.argv[2])
