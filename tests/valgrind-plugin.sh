#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# valgrind-plugin.sh - stands in for the plugin in 'make check-valgrind':
# runs $COS_REAL_PLUGIN with the same arguments under valgrind, one log per
# run in $COS_VALGRIND_LOGS. Any memory error or definite leak exits 99,
# which no test expects (the plugin exits 0 to 3), so the test fails.
# No --track-origins: it costs a third more time, and only explains an
# error, which a run by hand with it can do.
: "${COS_REAL_PLUGIN:?}" "${COS_VALGRIND_LOGS:?}"
exec valgrind --leak-check=full --show-leak-kinds=definite \
    --errors-for-leak-kinds=definite --error-exitcode=99 \
    --log-file="$COS_VALGRIND_LOGS/%p.log" "$COS_REAL_PLUGIN" "$@"
