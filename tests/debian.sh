#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# debian.sh - the Debian package from contrib/debian: the release tree (make
# distdir) becomes the .orig tarball, contrib/debian becomes debian/, and
# dpkg-buildpackage -us -uc builds it (running the plugin's own tests);
# lintian finds no error, no warning and no copyright or license problem;
# the .deb
# holds the plugin in /usr/lib/nagios/plugins, the man page and the Icinga 2 and Nagios
# definitions where those systems read them. Then a real install and purge
# (apt-get, which waits for the dpkg lock), checked on the system.
. "$(dirname "$0")/lib.sh"

need dpkg-buildpackage dh lintian fakeroot apt-get icinga2
package=check-ocsp-staple
version=$(plugin_version) || { echo "Bail out! no version"; exit 99; }
arch=$(dpkg --print-architecture)
D=$T/deb
src=$D/$package-$version
plugin=usr/lib/nagios/plugins/check_ocsp_staple
icinga_conf=usr/share/icinga2/include/plugins-contrib.d/check_ocsp_staple.conf
nagios_cfg=etc/nagios-plugins/config/check_ocsp_staple.cfg
man_page=usr/share/man/man1/check_ocsp_staple.1.gz

check "make distdir gives the release tree" dist_tree "$src" || { finish; exit; }
check "the Debian changelog's upstream version is the plugin's ($version)" \
    grep -q "^$package ($version-[0-9][0-9]*) " "$src/contrib/debian/changelog"
tar -C "$D" -czf "$D/${package}_$version.orig.tar.gz" "$package-$version"
cp -R "$src/contrib/debian" "$src/debian"

(cd "$src" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
    DEB_BUILD_OPTIONS=parallel=2 dpkg-buildpackage -us -uc) >"$D/build.log" 2>&1
check "dpkg-buildpackage -us -uc builds the source and binary packages" test $? -eq 0 ||
    tail -n 40 "$D/build.log" | sed 's/^/#   /'
deb=$D/${package}_$version-1_$arch.deb
check "the build ran the plugin's tests, all passed" \
    grep -Pzq '\nPASS: offline\.sh\n(.*\n)*# FAIL: +0\n' "$D/build.log"
check "the build ran the unit suites" grep -q '^PASS: unit/check_staple$' "$D/build.log"
check "the build ran the bad command lines" grep -q '^PASS: cli\.sh$' "$D/build.log"
check "the build left out the server and ecosystem tests" \
    test -z "$(grep -E '^[A-Z]+: (icinga2|nagios|debian|rpm|nginx|apache|s_server|hostile)\.sh' "$D/build.log")"

lint=$(lintian --fail-on error,warning "$D/${package}_$version-1_$arch.changes" 2>&1)
check "lintian finds no error and no warning" test $? -eq 0
check "lintian has nothing to say about the copyright file or the license" \
    test -z "$(grep -Ei 'copyright|licen[cs]e|dep5' <<<"$lint")"
printf '%s\n' "$lint" | grep -E '^[EW]: ' | sed 's/^/#   lintian: /'

contents=$(dpkg-deb -c "$deb" | awk '{ print $6 }')
for path in "$plugin" "$man_page" "$icinga_conf" "$nagios_cfg"; do
    check "the package holds /$path" grep -qx "./$path" <<<"$contents"
done
# The files the man page says the package installs are the package's.
named=$(sed 's/\\-/-/g; s/\\://g' "$src/doc/check_ocsp_staple.1" |
    grep -Eo '/(usr/share/icinga2|etc/nagios-plugins|usr/lib/nagios|usr/share/man)/[^ ,;)]*[^ ,;).]' | sort -u)
check "the man page names the package's files ($(wc -w <<<"$named"))" test -n "$named"
for path in $named; do
    check "the man page's $path is in the package (dpkg -c)" grep -qx ".$path" <<<"$contents"
done
check "the plugin is executable" \
    grep -Eq "^-rwxr-xr-x root/root .* \./$plugin\$" <<<"$(dpkg-deb -c "$deb")"
check "it depends on OpenSSL's library" \
    grep -q '^ Depends: .*libssl3' <<<"$(dpkg-deb -I "$deb")"

make_pki
offline=(--response "$PKI/good.der" --cert "$PKI/leaf-chain.pem" -C "$PKI/root.pem")
dpkg-deb -x "$deb" "$D/root"
expect_run "the unpacked plugin runs: OK" 0 '^OCSP STAPLE OK - certificate good' \
    "$D/root/$plugin" "${offline[@]}"
check "the packaged definitions are contrib's" \
    cmp "$D/root/$icinga_conf" "$src/contrib/icinga2/check_ocsp_staple.conf"
check "the packaged Nagios file is contrib's" \
    cmp "$D/root/$nagios_cfg" "$src/contrib/nagios/check_ocsp_staple.cfg"

# The round trip on this system. A package installed before the test is
# someone's, not ours to remove.
if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed'; then
    check "$package is not installed on this system already (the round trip would remove it)" false
    finish
    exit
fi
apt_get() {
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q -y "$@"
}
# Also when the test is interrupted.
purge_if_installed() {
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' &&
        apt_get purge "$package" >/dev/null 2>&1
}
at_exit purge_if_installed
apt_get install --no-install-recommends "$deb" >"$D/install.log" 2>&1
check "apt-get installs the .deb" test $? -eq 0 || sed 's/^/#   /' "$D/install.log"
expect_run "the installed plugin runs: OK" 0 '^OCSP STAPLE OK - certificate good' \
    "/$plugin" "${offline[@]}"
check "man finds the installed page" test "$(man -w check_ocsp_staple)" = "/$man_page"

# Icinga 2 on this system loads the CheckCommand through the ITL's
# plugins-contrib include, with nothing else to configure.
I=$T/icinga2
mkdir -p "$I"/{data,log,cache,spool,run}
cat >"$I/icinga2.conf" <<EOF
const PluginDir = "/usr/lib/nagios/plugins"
const PluginContribDir = "/usr/lib/nagios/plugins"
include <itl>
include <plugins>
include <plugins-contrib>
object Host "stapler" {
  check_command = "dummy"
  address = "127.0.0.1"
}
object Service "ocsp" {
  host_name = "stapler"
  check_command = "ocsp_staple"
}
EOF
icinga_paths=(-DConfigDir="$I" -DDataDir="$I/data" -DLogDir="$I/log" -DCacheDir="$I/cache"
    -DSpoolDir="$I/spool" -DInitRunDir="$I/run" -DRunAsUser=root -DRunAsGroup=root)
icinga2 daemon -C -c "$I/icinga2.conf" "${icinga_paths[@]}" >"$I/validate.log" 2>&1
check "Icinga 2 accepts a service using ocsp_staple with only the ITL included" test $? -eq 0 ||
    grep -m 5 critical/ "$I/validate.log" | sed 's/^/#   /'
check "and its CheckCommand is the package's" \
    grep -q "declared in '/$icinga_conf'" \
    <<<"$(icinga2 object list --type CheckCommand --name ocsp_staple "${icinga_paths[@]}" 2>&1)"

apt_get purge "$package" >"$D/purge.log" 2>&1
check "apt-get purges it" test $? -eq 0 || sed 's/^/#   /' "$D/purge.log"
for path in "$plugin" "$man_page" "$icinga_conf" "$nagios_cfg"; do
    check "/$path is gone" test ! -e "/$path"
done

finish
