#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# gnutls.sh - the plugin against GnuTLS's gnutls-serv stapling static
# response files (--ocsp-response), over TLS 1.2 and 1.3, RSA and ECDSA.
#
# gnutls-serv checks the file against its certificate when it starts: it
# refuses (and does not start) a revoked or expired response, one for
# another certificate and an unsuccessful one, unless
# --ignore-ocsp-response-errors; then it staples them and the plugin must
# catch them. It staples status unknown, a stranger's signature and a
# response without nextUpdate as they are.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/servers.sh"
own_network "$@"

make_pki

# What gnutls-serv refuses to start with, and its words.
declare -A refuses=(
    [revoked]="The session or certificate has expired"
    [expired]="The session or certificate has expired"
    [other]="The OCSP response provided doesn't match the available certificates"
    [trylater]="The OCSP response provided doesn't match the available certificates"
)

# refused NAME LEAF RESPONSE: gnutls-serv does not start with RESPONSE for
# LEAF, and says why.
refused() {
    ! gnutls_serv "$1" "$version" "$2" "$3" 2>/dev/null &&
        grep -q "Cannot set OCSP status request file: .*$3: ${refuses[$1]}" "$T/$1.log"
}

for version in 1.2 1.3; do
    v=TLSv$version
    for site in "${static_sites[@]}"; do
        read -r name leaf response case <<<"$site"
        [ -z "${refuses[$name]-}" ] || continue
        gnutls_serv "$name" "$version" "$leaf" "${response#-}" || exit 99
        port=${name}_port
        expect_case "gnutls-serv $v $leaf with ${response/#-/no file}: $case" \
            "$case" "${!port}"
    done
    check "gnutls-serv $v: the plugin names the version" grep -q "with $v" <<<"$LAST_OUTPUT"
    expect_case "gnutls-serv $v leaf with good.der, -w 8d: warning" warning "$good_port"
    expect_case "gnutls-serv $v leaf-ec with good-ec.der, -c 8d: critical" critical "$ec_port"
    for site in "${static_sites[@]}"; do
        stop "${site%% *}"
    done

    for site in "${static_sites[@]}"; do
        read -r name leaf response case <<<"$site"
        [ -n "${refuses[$name]-}" ] || continue
        check "gnutls-serv $v refuses $response: ${refuses[$name]}" \
            refused "$name" "$leaf" "$response"
        gnutls_serv "$name" "$version" "$leaf" "$response" \
            --ignore-ocsp-response-errors || exit 99
        port=${name}_port
        expect_case "gnutls-serv $v $leaf with $response, --ignore-ocsp-response-errors: $case" \
            "$case" "${!port}"
        stop "$name"
    done
done

finish
