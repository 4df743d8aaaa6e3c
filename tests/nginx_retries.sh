#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# nginx_retries.sh - --retries against a live-fetching nginx just started:
# nginx fetches its staple on the first handshake after a start and staples
# only from a later one, so a check without --retries finds no staple and
# one with --retries finds it on a later handshake, within -t.
# Uses tests/servers.sh (nginx_site, nginx, responder, own_network).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/servers.sh"
own_network "$@"

ca_port=$(free_port)
make_pki "http://127.0.0.1:$ca_port/"
responder ca "$ca_port" int -ndays 7 || exit 99
ca=(-C "$PKI/root.pem")

for version in 1.2 1.3; do
    v=TLSv$version

    nginx_site fresh "$version" leaf live
    nginx web || exit 99
    expect "nginx $v just started, no --retries: no staple on the first handshake" 2 \
        '^OCSP STAPLE CRITICAL - no OCSP staple; the certificate names an OCSP responder' \
        -H localhost -p "$fresh_port" "${ca[@]}"
    stop web

    nginx_site fresh "$version" leaf live
    nginx web || exit 99
    expect_within 500 10000 "nginx $v just started, --retries 5 --retry-delay 0.5: OK" 0 \
        "^OCSP STAPLE OK - certificate good, next update in $(durations_since_pki 604800)" \
        -H localhost -p "$fresh_port" "${ca[@]}" --retries 5 --retry-delay 0.5 -t 10
    check "nginx $v: the staple came on the second handshake (one worker)" \
        grep -q "^Connected to .* (2 handshakes: --retries)$" <<<"$LAST_OUTPUT"
    stop web

    # -A and --retries together: each address retries on its own.
    nginx_site fresh "$version" leaf live
    nginx web || exit 99
    expect "nginx $v just started, -A --retries 5: OK" 0 \
        '^OCSP STAPLE OK - 1 of 1 addresses staple; certificate good' \
        -A -H localhost -I 127.0.0.1 -p "$fresh_port" "${ca[@]}" --retries 5 --retry-delay 0.5
    stop web
done

finish
