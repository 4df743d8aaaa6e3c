#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# s_server.sh - the plugin end to end against openssl s_server on loopback,
# stapling static response files (-status_file), over TLS 1.2 and 1.3, RSA
# and ECDSA; and the offline mode on the same files, which must give the
# same verdicts. s_server sends any file it is given as it is.
. "$(dirname "$0")/lib.sh"
need strace

make_pki
cd "$PKI" || exit 99
ca=(-C "$PKI/root.pem")

# staple_site NAME VERSION LEAF [RESPONSE]: s_server with LEAF's key and chain
staple_site() {
    local name=$1 version=$2 leaf=$3 response=${4:-}
    s_server "$name" "-$version" -cert "$leaf.pem" -key "$leaf.key" \
        -cert_chain int.pem ${response:+-status_file "$response"}
}

for version in tls1_2 tls1_3; do
    v=${version/tls1_/TLSv1.}
    for site in "${static_sites[@]}"; do
        read -r name leaf response _ <<<"$site"
        staple_site "$name" "$version" "$leaf" "${response#-}"
    done

    for site in "${static_sites[@]}"; do
        read -r name leaf response case <<<"$site"
        port=${name}_port
        expect_case "$v $leaf with ${response/#-/no staple}: $case" "$case" "${!port}"
    done
    expect_case "$v leaf with good.der, once more: good" good "$good_port"
    check "$v long output names the TLS version" grep -q "with $v" <<<"$LAST_OUTPUT"
    check "$v perfdata has next_update, staple_age and time" \
        grep -Eq '\| next_update=[0-9]+s;86400:;14400: staple_age=[0-9]+s cert_expiry=[0-9]+s time=[0-9.]+s$' \
        <<<"${LAST_OUTPUT%%$'\n'*}"
    expect_case "$v leaf with good.der, -w 8d: warning" warning "$good_port"
    expect_case "$v leaf-ec with good-ec.der, -c 8d: critical" critical "$ec_port"
    expect "$v absent with --no-staple WARNING: WARNING" 1 '^OCSP STAPLE WARNING - no OCSP staple' \
        -H localhost -p "$absent_port" "${ca[@]}" --no-staple WARNING
    expect "$v must-staple overrides --no-staple OK" 2 '^OCSP STAPLE CRITICAL - no OCSP staple, but' \
        -H localhost -p "$muststaple_port" "${ca[@]}" --no-staple OK --no-ocsp-url OK
    expect "$v no OCSP URL with --no-ocsp-url CRITICAL" 2 '^OCSP STAPLE CRITICAL - no OCSP staple; stapling not applicable' \
        -H localhost -p "$nourl_port" "${ca[@]}" --no-ocsp-url CRITICAL

    # Thresholds on next_update (-w/-c), the defaults being 1d and 4h, and
    # on the staple's age.
    expect "$v -w 6h -c 1h on 12 h left: OK" 0 '^OCSP STAPLE OK - certificate good' \
        -H localhost -p "$warn_port" "${ca[@]}" -w 6h -c 1h
    check "$v perfdata carries the given thresholds in seconds" \
        grep -Eq 'next_update=[0-9]+s;21600:;3600: ' <<<"${LAST_OUTPUT%%$'\n'*}"
    expect "$v staple 2 h old with --age-warning 1h: WARNING" 1 \
        '^OCSP STAPLE WARNING - certificate good.*\(warning: older than 1h\)' \
        -H localhost -p "$good_port" "${ca[@]}" --age-warning 1h --now $(($(date +%s) + 7200))
    expect "$v --now past nextUpdate: expired" 2 '^OCSP STAPLE CRITICAL - staple expired' \
        -H localhost -p "$good_port" "${ca[@]}" --now $(($(date +%s) + 8 * 86400))

    for site in "${static_sites[@]}"; do
        stop "${site%% *}"
    done
done

# What any TLS client checks.
s_server good -cert leaf.pem -key leaf.key -cert_chain int.pem -status_file good.der
expect "chain to an anchor the store lacks: CRITICAL" 2 \
    '^OCSP STAPLE CRITICAL - server certificate chain does not verify: unable to get local issuer certificate' \
    -H localhost -p "$good_port" -C "$PKI/other-root.pem"
expect "intermediate named as the anchor (partial chain): OK" 0 '^OCSP STAPLE OK' \
    -H localhost -p "$good_port" -C "$PKI/int.pem"
expect "name not in the certificate: CRITICAL" 2 \
    '^OCSP STAPLE CRITICAL - server certificate does not match the host name: wrong.example' \
    -H wrong.example -I 127.0.0.1 -p "$good_port" "${ca[@]}"
expect "--sni gives the name checked" 0 '^OCSP STAPLE OK' \
    -H 127.0.0.1 --sni localhost -p "$good_port" "${ca[@]}"
check "--sni name is reported as checked" grep -q '; host name checked: localhost$' <<<"$LAST_OUTPUT"
expect "IP literal: no name check, still verified, and the status line says so" 0 \
    '^OCSP STAPLE OK - certificate good, .*; host name not checked \(-H is an IP address; --sni NAME checks one\) \|' \
    -H 127.0.0.1 -p "$good_port" "${ca[@]}"
check "IP literal is reported as not name-checked" grep -q '; host name not checked (an IP address; --sni NAME checks one)$' <<<"$LAST_OUTPUT"
expect "-4 with localhost: OK" 0 '^OCSP STAPLE OK' -4 -H localhost -p "$good_port" "${ca[@]}"
expect "-6 with an IPv4 literal: UNKNOWN, found before connecting" 3 '^OCSP STAPLE UNKNOWN - -6 cannot reach the IPv4 address 127\.0\.0\.1' \
    -6 -H 127.0.0.1 -p "$good_port" "${ca[@]}"
expect "--now beyond the certificate's notAfter: chain CRITICAL" 2 \
    '^OCSP STAPLE CRITICAL - server certificate chain does not verify: certificate has expired' \
    -H localhost -p "$good_port" "${ca[@]}" --now $(($(date +%s) + 4000 * 86400))

# IPv6.
LISTEN=::1 s_server good6 -cert leaf.pem -key leaf.key -cert_chain int.pem \
    -status_file good.der || exit 99
port6=$good6_port
expect "IPv6 literal ::1: OK" 0 '^OCSP STAPLE OK' -H ::1 -p "$port6" "${ca[@]}"
check "IPv6 peer is reported in brackets" grep -q "Connected to \[::1\]:$port6" <<<"$LAST_OUTPUT"
expect "-6 with the IPv6 literal: OK" 0 '^OCSP STAPLE OK' -6 -H ::1 -p "$port6" "${ca[@]}"

# Descriptors 0 to 2 closed (SPEC 9): a socket must never become one of
# them, and without stdout the plugin says on stderr that it cannot
# report, exits UNKNOWN and connects nowhere.
# (Under check-valgrind, the plugin itself: valgrind's own descriptors
# would fill the closed ones.)
bare_plugin=${COS_REAL_PLUGIN:-$PLUGIN}
expect_run "stdout closed: UNKNOWN, a local problem, said on stderr" 3 \
    '^check_ocsp_staple: local problem: standard output is closed; no check made$' \
    sh -c '"$1" -H localhost -p "$2" -C "$3" 2>&1 >&-' _ "$bare_plugin" "$good_port" "$PKI/root.pem"
# (LeakSanitizer cannot run under ptrace: in the sanitizer build, the leak
# check is left to every other run.)
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
    strace -f -e trace=socket -o "$T/strace.log" "$bare_plugin" -H localhost -p "$good_port" "${ca[@]}" \
    <&- 2>&- >"$T/closed.out"
check "stdin and stderr closed: the check runs, OK" test $? -eq 0
check "stdin and stderr closed: the status line is on stdout" \
    grep -q '^OCSP STAPLE OK - certificate good' "$T/closed.out"
check "stdin and stderr closed: no socket became descriptor 0 or 2" \
    test -z "$(grep -E 'socket\(.*\) = [0-2]$' "$T/strace.log")" -a -n "$(grep -E 'socket\(.*\) = [0-9]+$' "$T/strace.log")"

# Reaching the server.
listener closed "$FREEPORT" --closed || exit 99
closed=$closed_port
expect "connection refused: CRITICAL" 2 "^OCSP STAPLE CRITICAL - cannot connect: 127.0.0.1:$closed: Connection refused" \
    -H 127.0.0.1 -p "$closed" "${ca[@]}"
expect "name that does not resolve: CRITICAL" 2 '^OCSP STAPLE CRITICAL - cannot resolve the host name: no-such-host.invalid' \
    -H no-such-host.invalid "${ca[@]}"
listener silent "$FREEPORT" --hold
silent=$silent_port
expect_within 2000 $((2000 + SLACK_MS)) "server that never answers, -t 2: CRITICAL timeout" 2 \
    '^OCSP STAPLE CRITICAL - timeout: during the TLS handshake' \
    -H localhost -I 127.0.0.1 -p "$silent" -t 2 "${ca[@]}"
check "no certificate came: the long output claims no host name check" \
    test -z "$(grep -i 'host name checked' <<<"$LAST_OUTPUT")"
# The default deadline, 10 s, as --help says.
expect_within 10000 $((10000 + SLACK_MS)) "server that never answers, no -t: timeout after the default 10 s" 2 \
    '^OCSP STAPLE CRITICAL - timeout: during the TLS handshake' \
    -H 127.0.0.1 -p "$silent" "${ca[@]}"
expect_within 1000 $((1000 + SLACK_MS)) "-t 1:WARNING sets the timeout state" 1 '^OCSP STAPLE WARNING - timeout' \
    -H 127.0.0.1 -p "$silent" -t 1:WARNING "${ca[@]}"
expect_within 1000 $((1000 + SLACK_MS)) "-t 1:UNKNOWN sets the timeout state" 3 '^OCSP STAPLE UNKNOWN - timeout' \
    -H 127.0.0.1 -p "$silent" -t 1:unknown "${ca[@]}"

# Offline mode gives the same verdicts on the same files.
expect "offline good: OK" 0 '^OCSP STAPLE OK - certificate good' \
    --response good.der --cert leaf-chain.pem "${ca[@]}"
expect "offline revoked: CRITICAL with the reason" 2 '^OCSP STAPLE CRITICAL - certificate revoked: .*keyCompromise' \
    --response revoked.der --cert leaf-revoked-chain.pem "${ca[@]}"
expect "offline expired: CRITICAL" 2 '^OCSP STAPLE CRITICAL - staple expired' \
    --response expired.der --cert leaf-chain.pem "${ca[@]}"
expect "offline 12 h left: WARNING" 1 '^OCSP STAPLE WARNING - certificate good' \
    --response warn.der --cert leaf-chain.pem "${ca[@]}"
expect "offline 2 h left: CRITICAL" 2 '^OCSP STAPLE CRITICAL - certificate good' \
    --response crit.der --cert leaf-chain.pem "${ca[@]}"
expect "offline -w 8d on 7 days left: WARNING" 1 '^OCSP STAPLE WARNING - certificate good' \
    --response good.der --cert leaf-chain.pem "${ca[@]}" -w 8d

finish
