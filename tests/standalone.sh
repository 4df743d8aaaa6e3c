# SPDX-License-Identifier: GPL-3.0-or-later
# standalone.sh - the test harness outside make check, for run-demo and
# bench/run; source it from the top of the source tree, do not run it.
#
# Builds the plugin and the test helpers when they are missing or stale
# (configuring the tree first if needed), exports what lib.sh needs, and
# sources lib.sh and servers.sh. The caller has run tests/install-deps.sh.

# Quiet unless something fails: then once more, to show why.
[ -f configure ] || autoreconf -fi >/dev/null 2>&1 || autoreconf -fi || exit 1
[ -f Makefile ] || ./configure -q || exit 1
make -s -j"$(nproc)" >/dev/null || exit 1
make -s -C tests helpers/ocsp-forge helpers/freeport helpers/starttls-server \
    helpers/hostile-server >/dev/null || exit 1

export PLUGIN=$PWD/plugins/check_ocsp_staple MKPKI=$PWD/tests/mkpki.sh
export FORGE=$PWD/tests/helpers/ocsp-forge FREEPORT=$PWD/tests/helpers/freeport
export STARTTLS_SERVER=$PWD/tests/helpers/starttls-server
export HOSTILE=$PWD/tests/helpers/hostile-server
. tests/lib.sh
. tests/servers.sh
