#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""layers.py - holds lib/ to the layer map in HACKING.

The map lists every C file of lib/ once, from the top down. A file may call
(name a non-static function defined in) only files listed below it: no
call goes up a layer and no two files call each other. Functions are found
with Universal Ctags, as ../shared/tools/callgraph.py does. Prints every
file's calls and every call that breaks the order; exits 1 on any.

Usage: layers.py [TOP_SRCDIR]"""
import os
import re
import subprocess
import sys

top = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))
lib = os.path.join(top, 'lib')

# The map: the lines after "Layer map" up to the next blank-line-separated
# heading; each names a folder when it starts a layer, and a file.
order, folder = [], None
in_map = False
for line in open(os.path.join(top, 'HACKING')):
    if line.startswith('Layer map'):
        in_map = True
        continue
    if not in_map:
        continue
    if re.match(r'^\S', line) and not line.startswith('-'):
        break
    m = re.match(r'^\s+(?:.*?\s((?:lib|plugins)/\S*)\s+)?(\S+\.c)\s', line)
    if not m:
        continue
    folder = m.group(1) or folder
    if folder.startswith('lib'):
        order.append(os.path.normpath(os.path.join(folder[4:], m.group(2))))
if not order:
    sys.exit('layers.py: no layer map in HACKING')

files = sorted(os.path.relpath(os.path.join(d, n), lib)
               for d, _, names in os.walk(lib) for n in names
               if n.endswith('.c'))
bad = []
for f in sorted(set(files) - set(order)):
    bad.append(f'{f}: in lib/ but not in the map')
for f in sorted(set(order) - set(files)):
    bad.append(f'{f}: in the map but not in lib/')
for f in set(order):
    if order.count(f) > 1:
        bad.append(f'{f}: twice in the map')

defs = {}
for f in files:
    out = subprocess.run(
        ['ctags', '-x', '--c-kinds=f', '--fields-C=+{properties}',
         '--_xformat=%N %{C.properties}', os.path.join(lib, f)],
        capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if parts and 'static' not in parts[1:]:
            defs.setdefault(parts[0], set()).add(f)
if len(defs) < 50:
    sys.exit(f'layers.py: ctags found only {len(defs)} functions '
             '(is it Universal Ctags?)')

ident = re.compile(r'\b[A-Za-z_][A-Za-z0-9_]*\b')
rank = {f: i for i, f in enumerate(order)}
for f in files:
    text = open(os.path.join(lib, f), errors='replace').read()
    text = re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)
    text = re.sub(r'"(\\.|[^"\\])*"', '""', text)
    calls = {}
    for name in set(ident.findall(text)):
        for g in defs.get(name, ()):
            if g != f:
                calls.setdefault(g, []).append(name)
    print(f'{f} -> {" ".join(sorted(calls)) or "(nothing)"}')
    for g, names in sorted(calls.items()):
        if f in rank and g in rank and rank[g] < rank[f]:
            bad.append(f'{f} calls {", ".join(sorted(names))} of {g}, '
                       'which the map puts above it')
for b in bad:
    print('not ok: ' + b)
print(f'{len(files)} files, {len(bad)} problems')
sys.exit(1 if bad else 0)
