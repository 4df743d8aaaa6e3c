#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# handshakes.sh - --handshakes N (SPEC 8): N full handshakes at once, each
# judged, the worst verdict on the status line with "stapled k of N". A
# static staple (openssl s_server) is stapled by every handshake; a freshly
# started nginx with 4 workers (reuseport: the kernel spreads the
# connections), each fetching and keeping its own staple, staples fewer
# than 4 of 4 at first and 4 of 4 once every worker has fetched, as an
# operator would see it by checking again.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/servers.sh"
own_network "$@"

responders || exit 99
cd "$PKI" || exit 99

s_server static -cert leaf.pem -key leaf.key -cert_chain int.pem \
    -status_file good.der || exit 99
expect "s_server, --handshakes 4: stapled 4 of 4" 0 \
    "^OCSP STAPLE OK - stapled 4 of 4; certificate good, next update in .* \\| next_update=[0-9]+s;86400:;14400: staple_age=[0-9]+s cert_expiry=[0-9]+s stapled=4;;;0;4 time=" \
    -H localhost -p "$static_port" -C root.pem --handshakes 4
check "... a line for each handshake" \
    test "$(grep -Ec '^handshake [1-4]: OK - certificate good' <<<"$LAST_OUTPUT")" -eq 4
expect "--handshakes 1 is one plain handshake" 0 \
    "^OCSP STAPLE OK - certificate good, next update in " \
    -H localhost -p "$static_port" -C root.pem --handshakes 1

NGINX_WORKERS=4 NGINX_LISTEN=reuseport nginx_site workers 1.3 leaf live
NGINX_WORKERS=4 nginx web || exit 99
check "nginx runs 4 workers" test "$(pgrep -c -P "$(cat "$T/web/nginx.pid")")" -eq 4
expect "a fresh nginx with 4 workers: fewer than 4 of 4 stapled" 2 \
    "^OCSP STAPLE CRITICAL - stapled [0-3] of 4; handshake [1-4]: no OCSP staple; .* stapled=[0-3];;;0;4 " \
    -H localhost -p "$workers_port" -C root.pem --handshakes 4
check "... the handshakes without one say so" grep -Eq '^handshake [1-4]: CRITICAL - no OCSP staple' <<<"$LAST_OUTPUT"
# Checking again, as an operator would, until every worker has fetched:
# 40 handshakes reach each of the 4 workers (all but surely), and then
# 4 of 4, three checks running.
for i in $(seq 10); do
    "$PLUGIN" -H localhost -p "$workers_port" -C root.pem --handshakes 4 >/dev/null
done
all_stapled() {
    local i
    for i in 1 2 3; do
        "$PLUGIN" -H localhost -p "$workers_port" -C root.pem --handshakes 4 |
            grep -q '^OCSP STAPLE OK - stapled 4 of 4; ' || return 1
    done
}
check "once every worker has fetched: 4 of 4, three checks running (within 30 s)" \
    wait_for 30 all_stapled
expect "... and then OK" 0 "^OCSP STAPLE OK - stapled 4 of 4; certificate good" \
    -H localhost -p "$workers_port" -C root.pem --handshakes 4
expect "--handshakes with --retries: each handshake retries" 0 \
    "^OCSP STAPLE OK - stapled 2 of 2; certificate good" \
    -H localhost -p "$workers_port" -C root.pem --handshakes 2 --retries 1

finish
