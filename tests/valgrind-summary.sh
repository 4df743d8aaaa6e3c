#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# valgrind-summary.sh DIR - sums up the logs valgrind-plugin.sh wrote: runs,
# errors, definite leaks. Exits 1 when any run had an error or a definite
# leak, or when there is no log at all.
dir=$1
runs=0 errors=0 leaked=0 bad=()
for log in "$dir"/*.log; do
    [ -e "$log" ] || continue
    runs=$((runs + 1))
    e=$(sed -n 's/.*ERROR SUMMARY: \([0-9,]*\) errors.*/\1/p' "$log" | tr -d ,)
    d=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$log" | tr -d ,)
    if [ -z "$e" ]; then
        bad+=("$log (no summary)")
        continue
    fi
    errors=$((errors + e))
    leaked=$((leaked + ${d:-0}))
    [ "$e" -eq 0 ] && [ "${d:-0}" -eq 0 ] || bad+=("$log")
done
echo "valgrind: $runs plugin runs, $errors errors, $leaked bytes definitely lost"
for log in "${bad[@]}"; do
    echo "valgrind: see $log"
done
[ "$runs" -gt 0 ] && [ ${#bad[@]} -eq 0 ]
