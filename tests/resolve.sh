#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# resolve.sh - -t bounds name resolution too: a name server that never
# answers (a UDP socket on 127.0.0.1:53 that reads and says nothing) named
# by a resolv.conf bind-mounted over /etc/resolv.conf in a private mount
# namespace, inside the test's own network namespace; the machine's
# resolver is left alone.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/servers.sh"
need python3 unshare mount
own_network "$@"

# shellcheck disable=SC2016 # python's own code
listener dns python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 53))
print(s.getsockname()[1], flush=True)
end = time.time() + 120
while time.time() < end:
    s.settimeout(1)
    try:
        s.recv(512)
    except socket.timeout:
        pass
' || exit 99
printf 'nameserver 127.0.0.1\noptions timeout:30 attempts:1\n' >"$T/resolv.conf"
# shellcheck disable=SC2016 # expanded by the inner shell
with_resolver=(unshare -m sh -c 'mount --bind "$1" /etc/resolv.conf && shift && exec "$@"'
    with_resolver "$T/resolv.conf")
check "the name server is there and silent (getent waits for it)" \
    test "$(timeout 1 "${with_resolver[@]}" getent hosts silent.test; echo $?)" = 124

expect_run_within 2000 $((2000 + SLACK_MS)) "a name server that never answers, -t 2: CRITICAL timeout" 2 \
    '^OCSP STAPLE CRITICAL - timeout: while resolving silent\.test \|' \
    "${with_resolver[@]}" "$PLUGIN" -H silent.test -t 2
expect_run_within 1000 $((1000 + SLACK_MS)) "the same with -t 1:WARNING: WARNING" 1 \
    '^OCSP STAPLE WARNING - timeout: while resolving silent\.test \|' \
    "${with_resolver[@]}" "$PLUGIN" -H silent.test -t 1:WARNING

# An IPv6 address with its zone is an address: no SNI, no name check, the
# zone used to connect. The certificate is for localhost, so a name check
# would fail.
make_pki
ip -6 addr add fe80::1/64 dev lo nodad || exit 99
LISTEN='fe80::1%lo' s_server zoned -cert "$PKI/leaf.pem" -key "$PKI/leaf.key" \
    -cert_chain "$PKI/int.pem" -status_file "$PKI/good.der" || exit 99
expect "-H fe80::1%lo: an address, connected through lo, no name checked: OK" 0 \
    '^OCSP STAPLE OK - certificate good' -H 'fe80::1%lo' -p "$zoned_port" -C "$PKI/root.pem" -v
check "the peer is the scoped address" grep -q "^Connected to \[fe80::1%lo\]:$zoned_port" <<<"$LAST_OUTPUT"
check "no host name was checked" \
    grep -qx 'Host name not checked: the host is an IP address (--sni NAME checks one)' <<<"$LAST_OUTPUT"

finish
