#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# rpm.sh - contrib/check_ocsp_staple.spec, with Debian's rpm tools: rpmspec
# parses it, and rpmbuild -tb builds a binary RPM from the release tarball
# (which carries the spec) as on Fedora or RHEL. Debian's rpm database knows
# none of the BuildRequires, hence --nodeps; the plugin's own tests run in
# the Debian package build (debian.sh), hence --nocheck.
. "$(dirname "$0")/lib.sh"

: "${TOP_SRCDIR:?}"
need rpmspec rpmbuild rpm rpm2cpio cpio
spec=$TOP_SRCDIR/contrib/check_ocsp_staple.spec
version=$(plugin_version) || { echo "Bail out! no version"; exit 99; }
R=$T/rpm
mkdir -p "$R/tmp"

parsed=$(rpmspec -P "$spec" 2>&1)
check "rpmspec -P parses the spec" test $? -eq 0 || printf '%s\n' "$parsed" | sed 's/^/#   /'
check "its version is the plugin's ($version)" grep -Eq "^Version: +$version\$" <<<"$parsed"
check "it configures the plugin directory" \
    grep -q -- '--with-plugindir=/usr/lib64/nagios/plugins' <<<"$parsed"

check "make distdir gives the release tree" dist_tree "$R/src/check_ocsp_staple-$version" ||
    { finish; exit; }
tarball=$R/check_ocsp_staple-$version.tar.gz
tar -C "$R/src" -czf "$tarball" "check_ocsp_staple-$version"
(cd "$R" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL rpmbuild --define "_topdir $R/top" \
    --define "_tmppath $R/tmp" --nodeps -tb "$tarball") >"$R/build.log" 2>&1
check "rpmbuild -tb builds the RPM from the release tarball" test $? -eq 0 ||
    tail -n 30 "$R/build.log" | sed 's/^/#   /'
# %check ran, and every test it ran passed.
for t in unit/check_staple unit/check_report unit/check_options unit/check_range \
    replay-staple offline.sh cli.sh; do
    check "%check ran $t, which passed" grep -qx "PASS: $t" "$R/build.log"
done
check "%check had no failure" grep -Eq '^# FAIL: +0$' "$R/build.log"

rpm_file=$(find "$R/top/RPMS" -name "check_ocsp_staple-$version-1*.rpm" | head -n 1)
check "there is one binary RPM" test -n "$rpm_file" || { finish; exit; }
files=$(rpm -qlp "$rpm_file" 2>/dev/null)
for path in /usr/lib64/nagios/plugins/check_ocsp_staple \
    /usr/share/icinga2/include/plugins-contrib.d/check_ocsp_staple.conf \
    /etc/nagios/conf.d/check_ocsp_staple.cfg; do
    check "the RPM holds $path" grep -qx "$path" <<<"$files"
done
check "the RPM holds the man page" grep -Eq '^/usr/share/man/man1/check_ocsp_staple\.1(\.gz)?$' <<<"$files"
check "the Nagios file is a config file" \
    grep -qx /etc/nagios/conf.d/check_ocsp_staple.cfg <<<"$(rpm -qcp "$rpm_file" 2>/dev/null)"

make_pki
mkdir "$R/root"
(cd "$R/root" && rpm2cpio "$rpm_file" | cpio -idm --quiet)
expect_run "the unpacked plugin runs: OK" 0 '^OCSP STAPLE OK - certificate good' \
    "$R/root/usr/lib64/nagios/plugins/check_ocsp_staple" \
    --response "$PKI/good.der" --cert "$PKI/leaf-chain.pem" -C "$PKI/root.pem"

finish
