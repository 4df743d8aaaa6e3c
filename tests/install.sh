#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# install.sh - make install DESTDIR=... puts the plugin into the plugin
# directory and the man page into man1, nothing else; the installed plugin
# runs; make uninstall leaves no file behind.
. "$(dirname "$0")/lib.sh"

: "${TOP_BUILDDIR:?}" "${INSTALL_PLUGINDIR:?}" "${INSTALL_MANDIR:?}"
need man
root=$T/root
plugin=$root$INSTALL_PLUGINDIR/check_ocsp_staple
page=$root$INSTALL_MANDIR/man1/check_ocsp_staple.1

# make in the build tree, as a make of its own (not a part of the make
# check that runs this test).
build_make=(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$TOP_BUILDDIR")

expect_run "make install DESTDIR=... succeeds" 0 '' "${build_make[@]}" install DESTDIR="$root"
check "it installs exactly the plugin and the man page" \
    test "$(cd "$root" && find . ! -type d | sort)" = \
    "$(printf '.%s\n' "$INSTALL_MANDIR/man1/check_ocsp_staple.1" \
        "$INSTALL_PLUGINDIR/check_ocsp_staple" | sort)"
check "the plugin is executable" test -x "$plugin"
check "the man page is not" test ! -x "$page"
expect_run "the installed plugin runs (--version, UNKNOWN)" 3 '^check_ocsp_staple [0-9]' "$plugin" --version
check "man reads the installed page" test -n "$(man -l "$page" 2>/dev/null | grep -w OPTIONS)"

expect_run "make uninstall DESTDIR=... succeeds" 0 '' "${build_make[@]}" uninstall DESTDIR="$root"
left=$(find "$root" ! -type d)
check "no file is left behind" test -z "$left" || printf '#   left: %s\n' $left

finish
