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
# Certificate message has no room for it, nothing is looked for.
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

finish
