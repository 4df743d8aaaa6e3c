#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# retries.sh - --retries and --retry-delay against a lazy stapler:
# tests/helpers/starttls-server --staple-from K sends no staple on the first
# K-1 handshakes that ask for one, as nginx and Apache do after a start or
# reload; and only within the -t deadline.
. "$(dirname "$0")/lib.sh"

make_pki
cd "$PKI" || exit 99
ca=(-C "$PKI/root.pem")

# Servers that staple good.der from their K-th handshake on
# (--staple-from K).

starttls_server lazy --status good.der --staple-from 3
expect "without --retries the first handshake decides: CRITICAL" 2 \
    '^OCSP STAPLE CRITICAL - no OCSP staple; the certificate names an OCSP responder' \
    -H localhost -p "$lazy_port" "${ca[@]}"
expect "--retries 1: the third handshake staples: OK" 0 '^OCSP STAPLE OK - certificate good' \
    -H localhost -p "$lazy_port" "${ca[@]}" --retries 1 --retry-delay 0.1
check "the long output counts the handshakes" grep -q '^Connected to .* (2 handshakes: --retries)$' <<<"$LAST_OUTPUT"

starttls_server lazier --status good.der --staple-from 3
expect "--retries 1 is one too few: CRITICAL, the handshakes counted" 2 \
    '^OCSP STAPLE CRITICAL - no OCSP staple in 2 handshakes; the certificate names an OCSP responder' \
    -H localhost -p "$lazier_port" "${ca[@]}" --retries 1 --retry-delay 0.1
starttls_server fresh --status good.der --staple-from 3
expect "--retries 2 on a fresh lazy server: OK" 0 '^OCSP STAPLE OK - certificate good' \
    -H localhost -p "$fresh_port" "${ca[@]}" --retries 2 --retry-delay 0.1 -vv
check "-vv traces the retries" grep -q '^attempt 2: no staple; trying again after 0.1 s$' <<<"$LAST_OUTPUT"

# Without --retry-delay, the pause is the default 1 s.
starttls_server second --status good.der --staple-from 2
expect_within 1000 $((1000 + SLACK_MS)) "--retries 1 without --retry-delay: one pause of 1 s, OK" 0 \
    '^OCSP STAPLE OK - certificate good' -H localhost -p "$second_port" "${ca[@]}" --retries 1 -vv
check "-vv names the default pause" grep -qx 'attempt 1: no staple; trying again after 1 s' <<<"$LAST_OUTPUT"

# The retries stay within -t: a delay that does not fit is not waited for.
starttls_server slow --status good.der --staple-from 2
expect_within 0 1500 "--retry-delay beyond -t: no retry, CRITICAL at once, not waiting" 2 \
    '^OCSP STAPLE CRITICAL - no OCSP staple;' \
    -H localhost -p "$slow_port" "${ca[@]}" --retries 3 --retry-delay 5 -t 2

# A staple that is there but bad is the server's answer: never retried.
starttls_server expired --status expired.der
expect "an expired staple is not retried" 2 '^OCSP STAPLE CRITICAL - staple expired' \
    -H localhost -p "$expired_port" "${ca[@]}" --retries 3 --retry-delay 0.1
check "one handshake only" bash -c '! grep -q "^Handshakes:" <<<"$1"' _ "$LAST_OUTPUT"

# Retries after STARTTLS.
starttls_server lazy-smtp --status good.der --staple-from 2 --proto smtp
expect "-S smtp --retries 1 on a lazy stapler: OK" 0 '^OCSP STAPLE OK - certificate good' \
    -S smtp -H localhost -p "$lazy_smtp_port" "${ca[@]}" --retries 1 --retry-delay 0

finish
