#!/usr/bin/env python3
"""Generates the language bindings of smartx from the C header, so that nothing added to the C API can be
forgotten in a binding.

    python3 bindings/generate.py            rewrite bindings/pascal/smartx.pas and bindings/python/smartx/_ffi.py
    python3 bindings/generate.py --check    exit 1 when a committed file differs from what the header gives
    python3 bindings/generate.py --header H --pascal P --python Y     generate from another header (tests)
    python3 bindings/generate.py --layout-c | --layout-pascal | --layout-python   print a program that prints
                                            sizeof/offsetof of every struct and every constant as NAME=value

The header is cbindgen's output, which is regular: doc comments, `#define SX_... value`, typedefs of opaque
structs, integers and function pointers, `typedef struct x { ... } x;` and prototypes. Anything else is an
error, never skipped: a construct this script does not know must be taught to it, not silently left out.
"""

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = ROOT / "include" / "smartx.h"
PASCAL = ROOT / "bindings" / "pascal" / "smartx.pas"
PYTHON = ROOT / "bindings" / "python" / "smartx" / "_ffi.py"

# C scalar type -> (Pascal, ctypes). Pointers to these get a P-prefixed Pascal type declared in the unit.
SCALARS = {
    "uint8_t": ("UInt8", "ctypes.c_uint8"),
    "int8_t": ("Int8", "ctypes.c_int8"),
    "uint16_t": ("UInt16", "ctypes.c_uint16"),
    "int16_t": ("Int16", "ctypes.c_int16"),
    "uint32_t": ("UInt32", "ctypes.c_uint32"),
    "int32_t": ("Int32", "ctypes.c_int32"),
    "uint64_t": ("UInt64", "ctypes.c_uint64"),
    "int64_t": ("Int64", "ctypes.c_int64"),
    "size_t": ("NativeUInt", "ctypes.c_size_t"),
    "uintptr_t": ("NativeUInt", "ctypes.c_size_t"),
    "intptr_t": ("NativeInt", "ctypes.c_ssize_t"),
}

# Pascal reserved words and names that cannot be a parameter or field there; such a name gets a trailing "_".
PASCAL_RESERVED = set(
    """and array as asm begin case class const constructor destructor dispinterface div do downto else end except
    exports file finalization finally for function goto if implementation in inherited initialization inline
    interface is label library mod nil not object of on operator or out packed procedure program property raise
    record repeat resourcestring set shl shr string then threadvar to try type unit until uses var while with xor
    result self index message absolute abstract default""".split()
)


class HeaderError(Exception):
    pass


@dataclass
class CType:
    base: str  # "uint32_t", "char", "void", "sx_transaction", ...
    pointers: int = 0
    const: bool = False  # the pointee is const (documentation only for the bindings)


@dataclass
class Param:
    name: str
    ctype: CType


@dataclass
class Item:
    kind: str  # "const", "opaque", "alias", "struct", "callback", "function"
    name: str
    doc: str = ""
    value: str = ""  # const
    ctype: CType = None  # alias target, function / callback return type
    fields: list = field(default_factory=list)  # struct fields, function / callback params (Param)


def parse_type(text):
    """'const struct sx_transaction *' -> CType."""
    text = text.replace("*", " * ")
    words = text.split()
    const = "const" in words
    pointers = words.count("*")
    rest = [w for w in words if w not in ("const", "struct", "*")]
    if len(rest) != 1:
        raise HeaderError(f"cannot read the type {text!r}")
    return CType(rest[0], pointers, const)


def parse_decl(text):
    """'const char *name' -> Param."""
    m = re.fullmatch(r"(.*?)([A-Za-z_][A-Za-z0-9_]*)", text.strip(), re.S)
    if not m:
        raise HeaderError(f"cannot read the declaration {text!r}")
    return Param(m.group(2), parse_type(m.group(1)))


def parse_params(text):
    text = " ".join(text.split())
    if text in ("void", ""):
        return []
    return [parse_decl(p) for p in text.split(",")]


def clean_doc(comment):
    lines = []
    for line in comment.splitlines():
        line = line.strip()
        line = re.sub(r"^/\*\*?", "", line)
        line = re.sub(r"\*/$", "", line)
        line = re.sub(r"^\* ?", "", line)
        lines.append(line.rstrip())
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def parse_header(text):
    """The items of the header, in order. Raises HeaderError on anything unknown."""
    items = []
    doc = ""
    pos = 0
    n = len(text)
    statement = ""
    while pos < n:
        if text.startswith("/*", pos):
            end = text.index("*/", pos) + 2
            comment = text[pos:end]
            if not statement.strip():
                doc = clean_doc(comment) if comment.startswith("/**") else ""
            pos = end
            continue
        if text.startswith("//", pos):
            pos = text.index("\n", pos) if "\n" in text[pos:] else n
            continue
        if text[pos] == "#" and not statement.strip():
            end = text.find("\n", pos)
            end = n if end < 0 else end
            line = text[pos:end].strip()
            pos = end
            line = re.sub(r"//.*$", "", line).strip()
            line = re.sub(r"/\*.*?\*/", "", line).strip()
            m = re.fullmatch(r"#define\s+(SX_[A-Z0-9_]+)\s+(.+)", line)
            if m:
                value = m.group(2).strip()
                if not re.fullmatch(r"-?(0x[0-9A-Fa-f]+|[0-9]+)[uUlL]*", value):
                    raise HeaderError(f"constant {m.group(1)} has a value this script cannot translate: {value}")
                items.append(Item("const", m.group(1), doc, value=value))
            elif not re.fullmatch(
                r"#(ifndef SMARTX_H|define SMARTX_H|endif|ifdef __cplusplus|include <std(def|int)\.h>)", line
            ):
                raise HeaderError(f"unknown preprocessor line: {line}")
            doc = ""
            continue
        statement += text[pos]
        pos += 1
        if text[pos - 1] == "}" and statement.strip() == "}":
            statement = ""  # the closing brace of extern "C"
            continue
        if text[pos - 1] == "{" and re.fullmatch(r'\s*extern "C"\s*\{', statement):
            statement = ""
            continue
        if text[pos - 1] == ";" and statement.count("{") == statement.count("}"):
            items.append(parse_statement(" ".join(statement.split()), doc))
            statement = ""
            doc = ""
    if statement.strip():
        raise HeaderError(f"unfinished statement at the end: {statement.strip()}")
    return items


def parse_statement(s, doc):
    m = re.fullmatch(r"typedef struct (\w+) (\w+);", s)
    if m and m.group(1) == m.group(2):
        return Item("opaque", m.group(1), doc)
    m = re.fullmatch(r"typedef struct (\w+) \{(.*)\} (\w+);", s)
    if m and m.group(1) == m.group(3):
        fields = []
        body = re.sub(r"/\*.*?\*/", " ", m.group(2), flags=re.S)
        for decl in body.split(";"):
            if decl.strip():
                fields.append(parse_decl(decl))
        return Item("struct", m.group(1), doc, fields=fields)
    m = re.fullmatch(r"typedef (.+?)\(\s*\*\s*(\w+)\s*\)\s*\((.*)\);", s)
    if m:
        return Item("callback", m.group(2), doc, ctype=parse_type(m.group(1)), fields=parse_params(m.group(3)))
    m = re.fullmatch(r"typedef ([\w ]+?) (\w+);", s)
    if m:
        return Item("alias", m.group(2), doc, ctype=parse_type(m.group(1)))
    m = re.fullmatch(r"(.+?[\s*])(sx_\w+)\s*\((.*)\);", s)
    if m:
        return Item("function", m.group(2), doc, ctype=parse_type(m.group(1)), fields=parse_params(m.group(3)))
    raise HeaderError(f"unknown statement: {s}")


# ---------------------------------------------------------------- Pascal


def pascal_name(name):
    return name + "_" if name.lower() in PASCAL_RESERVED else name


def pascal_type(t, aliases):
    base = t.base
    if base == "void":
        if t.pointers == 0:
            return None
        inner = "Pointer"
        pointers = t.pointers - 1
    elif base == "char":
        if t.pointers == 0:
            return "AnsiChar"
        inner = "PAnsiChar"
        pointers = t.pointers - 1
    elif base in SCALARS:
        inner = SCALARS[base][0]
        pointers = t.pointers
    elif base in aliases:
        inner = base
        pointers = t.pointers
    else:
        raise HeaderError(f"no Pascal type for {base}")
    return "P" * pointers + inner


def pascal_doc(doc, indent):
    if not doc:
        return []
    return [indent + "// " + line if line else indent + "//" for line in doc.splitlines()]


def pascal_params(params, aliases):
    parts = [f"{pascal_name(p.name)}: {pascal_type(p.ctype, aliases)}" for p in params]
    return "(" + "; ".join(parts) + ")" if parts else ""


def pointer_types_needed(items, aliases):
    """Every P.. and PP.. type the declarations use, so the unit declares exactly those."""
    needed = set()

    def visit(t):
        if t is None:
            return
        if t.base in ("void",):
            if t.pointers >= 2:
                needed.add(("Pointer", t.pointers - 1))
            return
        if t.base == "char":
            if t.pointers >= 2:
                needed.add(("PAnsiChar", t.pointers - 1))
            return
        if t.pointers:
            inner = SCALARS[t.base][0] if t.base in SCALARS else t.base
            needed.add((inner, t.pointers))

    for item in items:
        visit(item.ctype)
        for p in item.fields:
            visit(p.ctype)
        if item.kind in ("struct", "opaque"):
            needed.add((item.name, 1))  # P<record> always exists, for callers and the layout program
    return needed


def generate_pascal(items, header_name):
    aliases = {i.name for i in items if i.kind in ("opaque", "alias", "struct", "callback")}
    out = [
        "{ smartx: secuconnect Smart Transactions for cash registers, for Delphi and Free Pascal.",
        f"  GENERATED from {header_name} by bindings/generate.py: do not edit; run",
        "  `python3 bindings/generate.py` after changing the C API. The tests fail when this file is stale.",
        "",
        "  Every function is cdecl and uses fixed-width types; records have the C layout (not packed).",
        "  Strings in are UTF-8 (pass PAnsiChar(UTF8String(s))); strings out follow the buffer rule of smartx.h.",
        "  Pascal reserved words used as C names get a trailing underscore (the record field `type` is `type_`). }",
        "unit smartx;",
        "",
        "{$IFDEF FPC}",
        "  {$MODE DELPHI}",
        "  {$PACKRECORDS C}",
        "{$ELSE}",
        "  {$ALIGN 8}",
        "  {$MINENUMSIZE 4}",
        "{$ENDIF}",
        "",
        "interface",
        "",
        "const",
        "  // The library's file: smartx.dll beside the program on Windows; on Linux Free Pascal links -lsmartx",
        "  // (libsmartx.so at link time, its soname libsmartx.so.0 at run time); Delphi for Linux loads libsmartx.so.",
        "{$IF DEFINED(MSWINDOWS)}",
        "  SMARTX_LIB = 'smartx.dll';",
        "{$ELSEIF DEFINED(FPC)}",
        "  SMARTX_LIB = 'smartx';",
        "{$ELSE}",
        "  SMARTX_LIB = 'libsmartx.so';",
        "{$IFEND}",
        "",
    ]
    consts = [i for i in items if i.kind == "const"]
    if consts:
        out.append("const")
        for c in consts:
            out += pascal_doc(c.doc, "  ")
            value = re.sub(r"[uUlL]+$", "", c.value)
            if value.lower().startswith("0x"):
                value = "$" + value[2:]
            out.append(f"  {c.name} = {value};")
        out.append("")

    out.append("type")
    # Forward pointer types first: Pascal allows ^T before T within one type block.
    needed = pointer_types_needed(items, aliases)
    declared_pointers = set()
    for inner, depth in sorted(needed, key=lambda x: (x[0], x[1])):
        for d in range(1, depth + 1):
            if (inner, d) in declared_pointers:
                continue
            declared_pointers.add((inner, d))
            target = "P" * (d - 1) + inner
            out.append(f"  {'P' * d}{inner} = ^{target};")
    out.append("")
    for item in items:
        if item.kind == "opaque":
            out += pascal_doc(item.doc, "  ")
            out.append(f"  {item.name} = record end; {{ opaque: only pointers to it exist }}")
        elif item.kind == "alias":
            out += pascal_doc(item.doc, "  ")
            out.append(f"  {item.name} = {pascal_type(item.ctype, aliases)};")
        elif item.kind == "struct":
            out += pascal_doc(item.doc, "  ")
            out.append(f"  {item.name} = record")
            for f in item.fields:
                out.append(f"    {pascal_name(f.name)}: {pascal_type(f.ctype, aliases)};")
            out.append("  end;")
        elif item.kind == "callback":
            out += pascal_doc(item.doc, "  ")
            ret = pascal_type(item.ctype, aliases)
            params = pascal_params(item.fields, aliases)
            if ret is None:
                out.append(f"  {item.name} = procedure{params}; cdecl;")
            else:
                out.append(f"  {item.name} = function{params}: {ret}; cdecl;")
        else:
            continue
        out.append("")

    for item in items:
        if item.kind != "function":
            continue
        out += pascal_doc(item.doc, "")
        ret = pascal_type(item.ctype, aliases)
        params = pascal_params(item.fields, aliases)
        if ret is None:
            out.append(f"procedure {item.name}{params}; cdecl; external SMARTX_LIB;")
        else:
            out.append(f"function {item.name}{params}: {ret}; cdecl; external SMARTX_LIB;")
        out.append("")
    out += ["implementation", "", "end.", ""]
    return "\n".join(out)


# ---------------------------------------------------------------- Python


def python_type(t, items_by_name):
    base = t.base
    if base == "void":
        if t.pointers == 0:
            return "None"
        inner, pointers = "ctypes.c_void_p", t.pointers - 1
    elif base == "char":
        if t.pointers == 0:
            return "ctypes.c_char"
        inner, pointers = "ctypes.c_char_p", t.pointers - 1
    elif base in SCALARS:
        inner, pointers = SCALARS[base][1], t.pointers
    elif base in items_by_name:
        inner, pointers = base, t.pointers
    else:
        raise HeaderError(f"no ctypes type for {base}")
    for _ in range(pointers):
        inner = f"ctypes.POINTER({inner})"
    return inner


def python_doc(doc, indent):
    if not doc:
        return []
    return [indent + "# " + line if line else indent + "#" for line in doc.splitlines()]


def generate_python(items, header_name):
    by_name = {i.name: i for i in items if i.kind != "function" and i.kind != "const"}
    out = [
        f'"""Low-level ctypes declarations of smartx: GENERATED from {header_name} by bindings/generate.py.',
        "",
        "Do not edit: run `python3 bindings/generate.py` after changing the C API; the tests fail when this file is",
        "stale. The Pythonic layer (smartx/__init__.py) is written by hand on top of this.",
        '"""',
        "",
        "import ctypes",
        "",
    ]
    for c in [i for i in items if i.kind == "const"]:
        out += python_doc(c.doc, "")
        out.append(f"{c.name} = {re.sub(r'[uUlL]+$', '', c.value)}")
    out.append("")
    out.append("CONSTANTS = {")
    for c in [i for i in items if i.kind == "const"]:
        out.append(f'    "{c.name}": {c.name},')
    out.append("}")
    out.append("")
    for item in items:
        if item.kind == "opaque":
            out.append("")
            out += python_doc(item.doc, "")
            out.append(f"class {item.name}(ctypes.Structure):")
            out.append('    """Opaque: only pointers to it exist."""')
            out.append("")
        elif item.kind == "alias":
            out += python_doc(item.doc, "")
            out.append(f"{item.name} = {python_type(item.ctype, by_name)}")
            out.append("")
        elif item.kind == "struct":
            out.append("")
            out += python_doc(item.doc, "")
            out.append(f"class {item.name}(ctypes.Structure):")
            out.append("    _fields_ = [")
            for f in item.fields:
                out.append(f'        ("{f.name}", {python_type(f.ctype, by_name)}),')
            out.append("    ]")
            out.append("")
        elif item.kind == "callback":
            out += python_doc(item.doc, "")
            args = ", ".join([python_type(item.ctype, by_name)] + [python_type(p.ctype, by_name) for p in item.fields])
            out.append(f"{item.name} = ctypes.CFUNCTYPE({args})")
            out.append("")
    out.append("")
    out.append("STRUCTS = {")
    for item in items:
        if item.kind == "struct":
            out.append(f'    "{item.name}": {item.name},')
    out.append("}")
    out.append("")
    out.append("# Every function of the header: (name, restype, argtypes).")
    out.append("FUNCTIONS = [")
    for item in items:
        if item.kind == "function":
            args = ", ".join(python_type(p.ctype, by_name) for p in item.fields)
            out.append(f'    ("{item.name}", {python_type(item.ctype, by_name)}, [{args}]),')
    out.append("]")
    out.append("")
    out.append("")
    out.append("def declare(lib: ctypes.CDLL) -> ctypes.CDLL:")
    out.append('    """Sets restype and argtypes of every function on a loaded library; returns it."""')
    out.append("    for name, restype, argtypes in FUNCTIONS:")
    out.append("        function = getattr(lib, name)")
    out.append("        function.restype = restype")
    out.append("        function.argtypes = argtypes")
    out.append("    return lib")
    out.append("")
    return "\n".join(out)


# ---------------------------------------------------------------- layout programs


def generate_layout_c(items, header_include):
    out = [
        "/* GENERATED by bindings/generate.py --layout-c: sizeof/offsetof of every struct and every constant. */",
        "#include <stddef.h>",
        "#include <stdio.h>",
        f'#include "{header_include}"',
        "",
        "int main(void)",
        "{",
    ]
    for item in items:
        if item.kind == "struct":
            out.append(f'    printf("sizeof.{item.name}=%zu\\n", sizeof({item.name}));')
            for f in item.fields:
                out.append(f'    printf("offsetof.{item.name}.{f.name}=%zu\\n", offsetof({item.name}, {f.name}));')
                out.append(
                    f'    printf("sizeof.{item.name}.{f.name}=%zu\\n", sizeof((({item.name} *)0)->{f.name}));'
                )
        elif item.kind == "const":
            out.append(f'    printf("const.{item.name}=%lld\\n", (long long)({item.name}));')
    out += ["    return 0;", "}", ""]
    return "\n".join(out)


def generate_layout_pascal(items):
    aliases = {i.name for i in items if i.kind in ("opaque", "alias", "struct", "callback")}
    out = [
        "{ GENERATED by bindings/generate.py --layout-pascal: sizeof/offsets of every record and every constant. }",
        "program layout;",
        "{$IFDEF FPC}{$MODE DELPHI}{$ENDIF}",
        "{$IFDEF MSWINDOWS}{$APPTYPE CONSOLE}{$ENDIF}",
        "uses smartx;",
        "begin",
    ]
    for item in items:
        if item.kind == "struct":
            out.append(f"  WriteLn('sizeof.{item.name}=', SizeOf({item.name}));")
            for f in item.fields:
                name = pascal_name(f.name)
                out.append(
                    f"  WriteLn('offsetof.{item.name}.{f.name}=', NativeUInt(@P{item.name}(nil)^.{name}));"
                )
                out.append(f"  WriteLn('sizeof.{item.name}.{f.name}=', SizeOf(P{item.name}(nil)^.{name}));")
            pascal_type(CType(item.name, 1), aliases)
        elif item.kind == "const":
            out.append(f"  WriteLn('const.{item.name}=', Int64({item.name}));")
    out += ["end.", ""]
    return "\n".join(out)


def generate_layout_python(items):
    return "\n".join(
        [
            '"""GENERATED by bindings/generate.py --layout-python: ctypes sizes/offsets and constants."""',
            "import ctypes",
            "import sys",
            "",
            "from smartx import _ffi",
            "",
            "for name, struct in _ffi.STRUCTS.items():",
            '    print(f"sizeof.{name}={ctypes.sizeof(struct)}")',
            "    for field_name, _ in struct._fields_:",
            "        descriptor = getattr(struct, field_name)",
            '        print(f"offsetof.{name}.{field_name}={descriptor.offset}")',
            '        print(f"sizeof.{name}.{field_name}={descriptor.size}")',
            "for name, value in _ffi.CONSTANTS.items():",
            '    print(f"const.{name}={value}")',
            "sys.stdout.flush()",
            "",
        ]
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--header", type=Path, default=HEADER)
    parser.add_argument("--pascal", type=Path, default=PASCAL)
    parser.add_argument("--python", type=Path, default=PYTHON)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--layout-c", action="store_true")
    parser.add_argument("--layout-pascal", action="store_true")
    parser.add_argument("--layout-python", action="store_true")
    parser.add_argument("--functions", action="store_true", help="print the names of the header's functions")
    args = parser.parse_args()

    try:
        items = parse_header(args.header.read_text(encoding="utf-8"))
    except HeaderError as e:
        sys.exit(f"{args.header}: {e}")
    name = "include/smartx.h"
    if args.layout_c:
        sys.stdout.write(generate_layout_c(items, "smartx.h"))
        return
    if args.layout_pascal:
        sys.stdout.write(generate_layout_pascal(items))
        return
    if args.layout_python:
        sys.stdout.write(generate_layout_python(items))
        return
    if args.functions:
        sys.stdout.write("".join(i.name + "\n" for i in items if i.kind == "function"))
        return
    outputs = {args.pascal: generate_pascal(items, name), args.python: generate_python(items, name)}
    stale = []
    for path, text in outputs.items():
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
    if stale:
        sys.exit(
            "stale, regenerate with `python3 bindings/generate.py` and commit: "
            + ", ".join(str(p) for p in stale)
        )


if __name__ == "__main__":
    main()
