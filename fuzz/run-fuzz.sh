#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# run-fuzz.sh HARNESS [LIBFUZZER-OPTION...] - runs ./fuzz-HARNESS (from the
# build directory's fuzz/) on a working copy of its seeds and regressions
# in fuzz-work/HARNESS/, and prints libFuzzer's final figures. A finding (a
# crash, a sanitizer report, a leak, a failed check, an input slower than
# 10 s) leaves its input there, prints the end of the log and exits 1.
set -eu
harness=$1
shift
src=$(cd "$(dirname "$0")" && pwd)
work=fuzz-work/$harness
rm -rf "$work"
mkdir -p "$work/corpus"
cp "$src/corpus/$harness"/* "$work/corpus/"
if [ -d "$src/regressions/$harness" ]; then
    cp "$src/regressions/$harness"/* "$work/corpus/"
fi
start=$(date +%s)
if ! "./fuzz-$harness" -artifact_prefix="$work/" -print_final_stats=1 -timeout=10 \
    "$@" "$work/corpus" >"$work/log" 2>&1; then
    tail -n 60 "$work/log"
    echo "run-fuzz.sh: $harness: FINDING, its input is in $work/"
    exit 1
fi
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
echo "fuzz-$harness: $runs executions in $(($(date +%s) - start)) s," \
    "corpus $(find "$work/corpus" -type f | wc -l) inputs, no finding"
