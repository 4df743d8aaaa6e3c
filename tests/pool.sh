#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# pool.sh - -A: every address behind a name, checked at once under one
# deadline, against tests/helpers/starttls-server on 127.0.0.1, 127.0.0.2
# and ::1 (one port, three servers). The name comes from a hosts file the
# test owns, bind-mounted over /etc/hosts in a private mount namespace
# (unshare -m), so that the real resolver path is used and the machine's
# /etc/hosts is left alone; -I takes the same pool as a list.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/servers.sh"
# One port on three addresses, and servers stopped and started again on
# it: in a network namespace of its own, no other test can take it.
own_network "$@"

make_pki
cd "$PKI" || exit 99
ca=(-C "$PKI/root.pem")
pool=127.0.0.1,127.0.0.2,::1

# Every server of the pool listens on the port of the first (the pool's).
LISTEN=127.0.0.1 starttls_server one --status good.der || exit 99
port=$one_port

# "${with_hosts[@]}" CMD...: CMD with $T/hosts as /etc/hosts, in a mount
# namespace of its own.
printf '%s localhost\n' 127.0.0.1 127.0.0.2 ::1 >"$T/hosts"
with_hosts=(unshare -m sh -c 'mount --bind "$1" /etc/hosts && shift && exec "$@"'
    with_hosts "$T/hosts")
check "the hosts file gives localhost three addresses (unshare -m works)" \
    test "$("${with_hosts[@]}" getent ahosts localhost | awk '$2 == "STREAM"' | wc -l)" -eq 3

LISTEN=127.0.0.2 PORT=$port starttls_server two
LISTEN=::1 PORT=$port starttls_server six --status good.der

expect "-A, one address without a staple: CRITICAL" 2 \
    '^OCSP STAPLE CRITICAL - 2 of 3 addresses staple; 127\.0\.0\.2: no OCSP staple; the certificate names an OCSP responder \| next_update=[0-9]+s;86400:;14400: staple_age=[0-9]+s cert_expiry=[0-9]+s time=' \
    -A -H localhost -I "$pool" -p "$port" "${ca[@]}"
check "each address has its line" test "$(grep -Ec '^Address (127\.0\.0\.1|\[::1\]): OK - certificate good|^Address 127\.0\.0\.2: CRITICAL - no OCSP staple' <<<"$LAST_OUTPUT")" -eq 3
check "the details are the failing address's" grep -q '^Details of 127.0.0.2:$' <<<"$LAST_OUTPUT"
expect_run "-A through a name with three addresses: the same" 2 \
    '^OCSP STAPLE CRITICAL - 2 of 3 addresses staple; 127\.0\.0\.2: no OCSP staple' \
    "${with_hosts[@]}" "$PLUGIN" -A -H localhost -p "$port" "${ca[@]}"
check "the name's three addresses were checked" test "$(grep -c '^Address ' <<<"$LAST_OUTPUT")" -eq 3
expect_run "-A -4 through the name: the IPv4 addresses only" 2 \
    '^OCSP STAPLE CRITICAL - 1 of 2 addresses staple; 127\.0\.0\.2: no OCSP staple' \
    "${with_hosts[@]}" "$PLUGIN" -A -4 -H localhost -p "$port" "${ca[@]}"

# Without -A, the first address that accepts is the one checked.
expect "-I list without -A: the first address only" 2 '^OCSP STAPLE CRITICAL - no OCSP staple' \
    -H localhost -I 127.0.0.2,127.0.0.1 -p "$port" "${ca[@]}"
expect "-I list without -A: an address that refuses is skipped" 0 '^OCSP STAPLE OK - certificate good' \
    -H localhost -I 127.0.0.3,127.0.0.1 -p "$port" "${ca[@]}"
check "the one that accepted is named" grep -q "^Connected to 127.0.0.1:$port with" <<<"$LAST_OUTPUT"

# Every address good.
stop two
LISTEN=127.0.0.2 PORT=$port starttls_server two --status warn.der
expect "-A, every address staples, one with 12 h left: WARNING, that one named" 1 \
    "^OCSP STAPLE WARNING - 3 of 3 addresses staple; 127\\.0\\.0\\.2: certificate good, next update in $(durations_since_pki 43200)" \
    -A -H localhost -I "$pool" -p "$port" "${ca[@]}"
seconds_left "perfdata gives the least time left" next_update 43200 "$LAST_OUTPUT"
stop two
LISTEN=127.0.0.2 PORT=$port starttls_server two --status good.der
expect "-A, every address good: OK" 0 '^OCSP STAPLE OK - 3 of 3 addresses staple; certificate good, next update in' \
    -A -H localhost -I "$pool" -p "$port" "${ca[@]}"

# One deadline for all, the addresses at once: a server that hangs first in
# the list costs the others nothing.
stop two
LISTEN=127.0.0.2 PORT=$port starttls_server two --silent
expect_within 2000 $((2000 + SLACK_MS)) "-A with a hanging address, -t 2: that one times out" 2 \
    '^OCSP STAPLE CRITICAL - 2 of 3 addresses staple; 127\.0\.0\.2: timeout: during the TLS handshake' \
    -A -H localhost -I 127.0.0.2,127.0.0.1,::1 -p "$port" -t 2 "${ca[@]}"
check "the addresses after it were checked in time" test "$(grep -c ': OK - certificate good' <<<"$LAST_OUTPUT")" -eq 2

# An address nothing listens on.
listener closed "$FREEPORT" --closed || exit 99
closed=$closed_port
expect "-A with nothing listening: every address says so" 2 \
    "^OCSP STAPLE CRITICAL - 0 of 2 addresses staple; 127\.0\.0\.1: cannot connect: 127\.0\.0\.1:$closed: Connection refused" \
    -A -H localhost -I 127.0.0.1,127.0.0.2 -p "$closed" "${ca[@]}"


# -A checks 32 addresses at the most, and names the rest: 34 real
# listeners, 127.0.0.1 to 127.0.0.34, one port.
stop two
big=(127.0.0.1) # one's
for i in $(seq 2 34); do
    LISTEN=127.0.0.$i PORT=$port starttls_server "big$i" --status good.der || exit 99
    big+=("127.0.0.$i")
done
big_list=$(IFS=,; echo "${big[*]}")
expect "-A over 34 addresses: the first 32 checked, OK" 0 \
    '^OCSP STAPLE OK - 32 of 32 addresses staple; certificate good' \
    -A -H localhost -I "$big_list" -p "$port" "${ca[@]}"
check "each of the 32 has its line" test "$(grep -c '^Address 127\.0\.0\.[0-9]*: OK' <<<"$LAST_OUTPUT")" -eq 32
check "the 33rd and 34th are not among them" \
    test -z "$(grep -E '^Address 127\.0\.0\.3[34]:' <<<"$LAST_OUTPUT")"
check "the two left out are named" \
    grep -qx 'Not checked: 2 more handshakes (a check makes 32 at the most)' <<<"$LAST_OUTPUT"

finish
