#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# spdx.sh - every source, build and script file of the tree (the release
# tree in make distcheck) names its license, GPL-3.0-or-later, in an SPDX
# line near its top; COPYING holds the GPL version 3.
set -u
top=${TOP_SRCDIR:?}
fail=0 n=0
while IFS= read -r -d '' f; do
    n=$((n + 1))
    head -n 3 "$f" | grep -q 'SPDX-License-Identifier: GPL-3\.0-or-later' ||
        { echo "not ok - ${f#"$top"/} has no SPDX line"; fail=1; }
done < <(find "$top" \( -path "$top/fuzz/corpus" -o -path "$top/fuzz/regressions" \
    -o -path "$top/fuzz/pki" -o -path "$top/.git" -o -path "$top/sanitize-build" \
    -o -path "$top/autom4te.cache" -o -name '_build' -o -name config.h -o -name 'check_ocsp_staple-*' \) -prune -o \
    -type f \( -name '*.c' -o -name '*.h' -o -name '*.sh' -o -name '*.py' \
    -o -name 'Makefile.am' -o -name 'configure.ac' -o -name '*.spec' \
    -o -name '*.cfg' -o -name '*.conf' -o -name '*.1' -o -path "$top/.ci/run" \
    -o -path "$top/run-tests" -o -path "$top/run-demo" -o -path "$top/bench/run" \
    -o -path "$top/contrib/debian/rules" \) -print0)
[ "$n" -ge 90 ] || { echo "not ok - only $n files found under $top"; fail=1; }
grep -q 'GNU GENERAL PUBLIC LICENSE' "$top/COPYING" &&
    grep -q 'Version 3, 29 June 2007' "$top/COPYING" ||
    { echo "not ok - COPYING is not the GPL version 3"; fail=1; }
[ "$fail" -eq 0 ] && echo "ok - $n files name GPL-3.0-or-later; COPYING is the GPLv3"
exit "$fail"
