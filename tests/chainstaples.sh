#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# chainstaples.sh - TLS 1.3 staples for the chain (SPEC 8, RFC 8446
# 4.4.2.1): gnutls-serv with one OCSP response per certificate of the
# chain (--ocsp-response for the leaf, then for the intermediate, which
# GnuTLS matches to its certificate and staples in its CertificateEntry).
# The intermediate's staple is good, expired (the server started under
# libfaketime while it was still valid: GnuTLS refuses to load an expired
# one, and a revoked one too), signed by a stranger, or absent; over TLS
# 1.2, where a
# Certificate message has no room for it, nothing is looked for. Then what
# no TLS library sends, from tls13-server: a status extension of another
# type, of a length that does not fit, empty, twice, past its entry's end,
# and a Certificate message too large to keep.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/servers.sh"
own_network "$@"

make_pki
cd "$PKI" || exit 99
: "${FORGE:?}"
forge_int() {
    local out=$1
    shift
    "$FORGE" --issuer root.pem --cert int.pem --signer root.pem --key root.key \
        --out "$out" "$@" || { echo "Bail out! cannot forge $out"; exit 99; }
}
forge_int int-good.der
forge_int int-expired.der --this-update -864000 --next-update -259200
"$FORGE" --issuer root.pem --cert int.pem --signer other-root.pem --key other-root.key \
    --out int-stranger.der || exit 99

gnutls_serv good 1.3 leaf good.der --ocsp-response "$PKI/int-good.der" || exit 99
gnutls_serv --clock -5d expired 1.3 leaf good.der \
    --ocsp-response "$PKI/int-expired.der" || exit 99
gnutls_serv stranger 1.3 leaf good.der --ocsp-response "$PKI/int-stranger.der" || exit 99
gnutls_serv leafonly 1.3 leaf good.der || exit 99
gnutls_serv tls12 1.2 leaf good.der --ocsp-response "$PKI/int-good.der" || exit 99

int='CN=COS Test Intermediate'
check_at() { expect "$1" "$2" "$3" -H localhost -p "$4" -C root.pem; }

check_at "a good staple for the intermediate: OK" 0 \
    "^OCSP STAPLE OK - certificate good, next update in " "$good_port"
check "... its line in the long output" \
    grep -Eq "^Staple for depth 1 \\($int\\): certificate good, next update .* \\(in [0-9dhm ]+\\)$" <<<"$LAST_OUTPUT"
check_at "an expired staple for the intermediate: CRITICAL" 2 \
    "^OCSP STAPLE CRITICAL - staple for depth 1 \\($int\\): staple expired; certificate good, " "$expired_port"
check "... with its detail" grep -q "^Staple for depth 1 ($int): staple expired \\[expired\\]: " <<<"$LAST_OUTPUT"
check_at "a stranger's staple for the intermediate: CRITICAL" 2 \
    "^OCSP STAPLE CRITICAL - staple for depth 1 \\($int\\): staple's signer certificate not found; certificate good" \
    "$stranger_port"
check_at "no staple for the intermediate: normal, and silent" 0 \
    "^OCSP STAPLE OK - certificate good" "$leafonly_port"
check "... no line for it" eval '! grep -q "^Staple for depth" <<<"$LAST_OUTPUT"'
check_at "TLS 1.2: the leaf's staple only" 0 "^OCSP STAPLE OK - certificate good" "$tls12_port"
check "... no line for the intermediate" eval '! grep -q "^Staple for depth" <<<"$LAST_OUTPUT"'

# A hostile TLS 1.3 server (tls13-server, on libcrypto alone): what no TLS
# library sends in the intermediate's entry. First its control: a good
# staple there, judged as gnutls-serv's is.
: "${TLS13_SERVER:?}"
head -c 40000 /dev/zero >big.der
for mode in good type length empty twice overrun; do
    listener "t13-$mode" "$TLS13_SERVER" leaf-chain.pem leaf.key good.der \
        "$mode" int-good.der || exit 99
done
listener t13-big "$TLS13_SERVER" leaf-chain.pem leaf.key good.der good big.der || exit 99
check_at "tls13-server, a good staple for the intermediate: OK" 0 \
    "^OCSP STAPLE OK - certificate good, next update in " "$t13_good_port"
check "... its line in the long output" \
    grep -Eq "^Staple for depth 1 \\($int\\): certificate good, next update " <<<"$LAST_OUTPUT"
malformed="^OCSP STAPLE CRITICAL - staple for depth 1 \\($int\\): staple is not a well-formed OCSP response; certificate good"
for case in "type:a CertificateStatus of another type than ocsp" \
    "length:a CertificateStatus whose length does not fit" \
    "empty:an empty CertificateStatus"; do
    port_var=t13_${case%%:*}_port
    check_at "tls13-server, ${case#*:}: CRITICAL" 2 "$malformed" "${!port_var}"
    check "... its own words in the long output" grep -q \
        "^Staple for depth 1 ($int): staple is not a well-formed OCSP response \\[malformed\\]: the Certificate message has ${case#*:} for it\$" \
        <<<"$LAST_OUTPUT"
done
check_at "tls13-server, two status extensions for the intermediate: OpenSSL refuses, the plugin says which" 2 \
    "^OCSP STAPLE CRITICAL - TLS handshake failed: 127.0.0.1:$t13_twice_port: bad extension \\(the Certificate message: two status_request extensions in entry 1\\) " \
    "$t13_twice_port"
check_at "tls13-server, a status extension past its entry's end: the same, in its own words" 2 \
    "^OCSP STAPLE CRITICAL - TLS handshake failed: 127.0.0.1:$t13_overrun_port: bad extension \\(the Certificate message: a CertificateEntry does not fit\\) " \
    "$t13_overrun_port"
check_at "tls13-server, a Certificate message over 32 KiB: the leaf judged" 0 \
    "^OCSP STAPLE OK - certificate good" "$t13_big_port"
check "... the long output says the chain's staples were not looked for" grep -q \
    "^Staples above the leaf: not looked for (the Certificate message is 4[0-9] KiB, more than the 32 KiB kept)\$" \
    <<<"$LAST_OUTPUT"
expect "... and the JSON document gives its length" 0 '^\{' -H localhost -p "$t13_big_port" \
    -C root.pem --output-format json
check "... certificate_message_unread" python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
sys.exit(0 if d["check"]["certificate_message_unread"] > 32768 else 1)' <<<"$LAST_OUTPUT"

finish
