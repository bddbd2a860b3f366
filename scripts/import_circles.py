#!/usr/bin/env python3
"""Import circles between the files of a crate: edges from `super::x` / `crate::a::b` paths in code (comments
and `mod tests` left out); prints every strongly connected set of more than one file, with its edges.

    python3 scripts/import_circles.py [SRC_DIR] [--depth N]

SRC_DIR defaults to src; --depth 1 folds the files into their top-level modules (the layers: http, auth, api,
journal, ffi...), so that it shows circles between layers rather than between files."""
import os, re, sys
args = [a for a in sys.argv[1:] if not a.startswith('--depth')]
depth = None
for a in sys.argv[1:]:
    if a.startswith('--depth'):
        depth = int(a.split('=', 1)[1]) if '=' in a else int(sys.argv[sys.argv.index(a) + 1])
        if '=' not in a:
            args.remove(sys.argv[sys.argv.index(a) + 1])
root = args[0] if args else 'src'
files = {}
for d, _, fs in os.walk(root):
    for f in fs:
        if f.endswith('.rs'):
            p = os.path.join(d, f)
            rel = os.path.relpath(p, root)[:-3]
            parts = rel.split(os.sep)
            if parts[-1] in ('mod', 'lib'):
                parts = parts[:-1]
            files[tuple(parts)] = p
def resolve(path):
    # longest prefix that is a file
    for n in range(len(path), 0, -1):
        if tuple(path[:n]) in files:
            return tuple(path[:n])
    return None
edges = {}
for mod, p in files.items():
    text = open(p).read()
    text = re.sub(r'(?m)^\s*//.*$', '', text)
    text = re.split(r'#\[cfg\(test\)\]\s*(?:pub(?:\(crate\))? )?mod tests', text)[0]
    deps = set()
    is_dir = p.endswith('mod.rs') or p.endswith('lib.rs')
    parent = list(mod) if is_dir else list(mod[:-1])
    for m in re.finditer(r'\b(super|crate)::([a-z_][a-z0-9_]*(?:::[a-z_][a-z0-9_]*)*)', text):
        base = parent[:-1] if m.group(1) == 'super' and is_dir else (parent if m.group(1) == 'super' else [])
        if m.group(1) == 'super' and is_dir:
            base = list(mod[:-1])
        for brace in [m.group(2)]:
            target = resolve(base + brace.split('::'))
            if target and target != mod and target != tuple(mod[:len(target)]):
                deps.add(target)
    # `use super::{a, b}` forms
    for m in re.finditer(r'use (super|crate)::\{([^}]*)\}', text):
        base = (list(mod[:-1]) if is_dir else parent) if m.group(1) == 'super' else []
        for item in m.group(2).split(','):
            item = item.strip().split('::')[0]
            if item and item[0].islower():
                target = resolve(base + [item])
                if target and target != mod and target != tuple(mod[:len(target)]):
                    deps.add(target)
    edges[mod] = deps
if depth:
    folded = {}
    for mod, deps in edges.items():
        key = mod[:depth]
        folded.setdefault(key, set()).update(d[:depth] for d in deps if d[:depth] != key)
    edges = folded
# Tarjan
index, low, stack, on, sccs, i = {}, {}, [], set(), [], [0]
sys.setrecursionlimit(10000)
def visit(v):
    index[v] = low[v] = i[0]; i[0] += 1; stack.append(v); on.add(v)
    for w in edges.get(v, ()):
        if w not in index:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v: break
        if len(comp) > 1: sccs.append(comp)
for v in list(edges):
    if v not in index: visit(v)
def name(m): return '::'.join(m) or 'crate'
if not sccs:
    print('no import circles between', 'layers' if depth else 'files')
for comp in sccs:
    s = set(comp)
    print('circle:', ', '.join(sorted(name(m) for m in comp)))
    for v in sorted(comp):
        for w in sorted(edges[v] & s):
            print('   ', name(v), '->', name(w))
sys.exit(1 if sccs else 0)
