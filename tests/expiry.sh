#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# expiry.sh - the certificate's own end (issue 15): perfdata cert_expiry on
# every run that saw a certificate, --expiry-warning and --expiry-critical
# (a bare N means N:), per certificate with --all-certificates, against
# openssl s_server holding the test PKI's leaves (valid for ten years) and
# a leaf that expires in 10 days; and the note for a bare number that was
# meant as days.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/servers.sh"
own_network "$@"

make_pki
cd "$PKI" || exit 99
# A leaf of int for 10 days, its staple good (openssl ocsp, int signs).
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -noenc -subj /CN=localhost \
    -keyout short.key -out "$T/short.csr" 2>/dev/null &&
    printf 'subjectAltName = DNS:localhost\nauthorityInfoAccess = OCSP;URI:http://127.0.0.1:8888/\n' >"$T/short.ext" &&
    openssl x509 -req -in "$T/short.csr" -CA int.pem -CAkey int.key -days 10 \
        -set_serial 0x7001 -extfile "$T/short.ext" -out short.pem 2>/dev/null &&
    printf 'V\t%s\t\t7001\tunknown\t/CN=localhost\n' "$(date -u -d '+10 days' +%y%m%d%H%M%SZ)" >"$T/short-index.txt" &&
    openssl ocsp -issuer int.pem -cert short.pem -no_nonce -reqout "$T/short.req" 2>/dev/null &&
    openssl ocsp -index "$T/short-index.txt" -rsigner int.pem -rkey int.key -CA int.pem \
        -reqin "$T/short.req" -respout short-good.der -ndays 7 2>/dev/null ||
    { echo "Bail out! cannot make the short-lived leaf"; exit 99; }

s_server long -cert leaf.pem -key leaf.key -cert_chain int.pem -status_file good.der || exit 99
s_server short -cert short.pem -key short.key -cert_chain int.pem -status_file short-good.der || exit 99
s_server foreign -cert short.pem -key short.key -cert_chain int.pem -status_file good.der || exit 99
opts=(-H localhost -C root.pem)

expect "cert_expiry on every run, no threshold by default" 0 \
    "^OCSP STAPLE OK - certificate good, .* staple_age=[0-9]+s cert_expiry=3153[0-9]{5}s time=" \
    "${opts[@]}" -p "$long_port"
expect "a leaf with 10 days left, --expiry-warning 30d: WARNING" 1 \
    "^OCSP STAPLE WARNING - certificate expires in (9d 23h|10d) \\(warning: less than 30d left\\); certificate good, .* cert_expiry=8[0-9]{5}s;2592000: " \
    "${opts[@]}" -p "$short_port" --expiry-warning 30d
expect "... --expiry-critical 14d: CRITICAL" 2 \
    "^OCSP STAPLE CRITICAL - certificate expires in (9d 23h|10d) \\(critical: less than 14d left\\); certificate good, .* cert_expiry=8[0-9]{5}s;2592000:;1209600: " \
    "${opts[@]}" -p "$short_port" --expiry-warning 30d --expiry-critical 14d
expect "... a bare number is seconds: 864100 means 864100: (10 days are less)" 1 \
    "^OCSP STAPLE WARNING - certificate expires in " \
    "${opts[@]}" -p "$short_port" --expiry-warning 864100
expect "... --expiry-warning 5d: OK" 0 "^OCSP STAPLE OK - certificate good" \
    "${opts[@]}" -p "$short_port" --expiry-warning 5d
expect "a staple problem stays in front, the expiry added" 2 \
    "^OCSP STAPLE CRITICAL - staple is for another certificate.*; certificate expires in .* \\(warning: less than 30d left\\)" \
    "${opts[@]}" -p "$foreign_port" --expiry-warning 30d
# --all-certificates: each certificate its own cert_expiry.
s_server dual -cert leaf.pem -key leaf.key -dcert short.pem -dkey short.key \
    -cert_chain int.pem -dcert_chain int.pem -status_file good.der || exit 99
expect "--all-certificates: the short ECDSA leaf's expiry judged on its own" 2 \
    "^OCSP STAPLE CRITICAL - ECDSA certificate: .* cert_expiry=8[0-9]{5}s;;1209600: .*cert_expiry_rsa=3153[0-9]{5}s;;1209600: .*cert_expiry_ecdsa=8[0-9]{5}s;;1209600: " \
    "${opts[@]}" -p "$dual_port" --all-certificates --expiry-critical 14d

# check_ssl_cert's -w 20 -c 15 are days: ours are seconds, and say so.
expect "-w 20 -c 15: taken as seconds, and a note for each" 0 \
    "^OCSP STAPLE OK - certificate good, .* next_update=[0-9]+s;20:;15: " \
    "${opts[@]}" -p "$long_port" -w 20 -c 15
check "... the note for -w" grep -qx 'Note: -w 20 means 20 seconds; did you mean 20d?' <<<"$LAST_OUTPUT"
check "... and for -c" grep -qx 'Note: -c 15 means 15 seconds; did you mean 15d?' <<<"$LAST_OUTPUT"
expect "--expiry-warning 30: the same note" 0 "^OCSP STAPLE OK" \
    "${opts[@]}" -p "$long_port" --expiry-warning 30
check "... for --expiry-warning" grep -qx 'Note: --expiry-warning 30 means 30 seconds; did you mean 30d?' <<<"$LAST_OUTPUT"
expect "-w 2d, -c 3600: no note" 0 "^OCSP STAPLE OK" "${opts[@]}" -p "$long_port" -w 2d -c 3600
check "... none" eval '! grep -q "^Note:" <<<"$LAST_OUTPUT"'

finish
