#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# haproxy.sh - the plugin against HAProxy stapling the .ocsp file beside
# each certificate, over TLS 1.2 and 1.3, RSA and ECDSA.
#
# What HAProxy 2.6 does, as this test checks it: it staples a good or
# revoked response, whoever signed it (the plugin must catch a stranger's
# signature). It refuses, when it starts, a response with status unknown,
# an expired one, one without nextUpdate, one for another certificate, one
# whose CertID is hashed with SHA-256 and an unsuccessful one: it warns
# "Content will be ignored" and staples nothing, which the plugin reports
# as an absent staple. It keeps one staple per certificate, so each
# response gets an instance of its own (with a bind for each TLS version).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/servers.sh"
own_network "$@"

make_pki

# What HAProxy refuses, with the words of its warning.
declare -A refuses=(
    [unknown]="OCSP single response: certificate status is unknown"
    [expired]="OCSP single response: no longer valid"
    [nonext]="OCSP single response: missing nextupdate"
    [other]="OCSP single response: Certificate ID does not match certificate and issuer"
    [sha256]="OCSP single response: Certificate ID does not match certificate and issuer"
    [trylater]="OCSP response status not successful"
)
sites=("${static_sites[@]}" "sha256 leaf sha256.der good")

for site in "${sites[@]}"; do
    read -r name leaf response _ <<<"$site"
    for version in 1.2 1.3; do
        haproxy_site "$name${version/./}" "$version" "$leaf" "${response#-}"
    done
    haproxy "haproxy-$name" || exit 99
done

for version in 1.2 1.3; do
    v=TLSv$version
    for site in "${sites[@]}"; do
        read -r name leaf response case <<<"$site"
        port=$name${version/./}_port
        what="HAProxy $v $leaf with ${response/#-/no .ocsp file}"
        if [ -n "${refuses[$name]-}" ]; then
            check "$what: HAProxy refuses the file: ${refuses[$name]}" \
                wait_log "haproxy-$name" "${refuses[$name]}\\.+ Content will be ignored"
            case=absent
            [ "$leaf" != leaf-nourl ] || case=nourl
        fi
        expect_case "$what: $case" "$case" "${!port}"
    done
    check "HAProxy $v: the plugin names the version" grep -q "with $v" <<<"$LAST_OUTPUT"
    port=good${version/./}_port
    expect_case "HAProxy $v leaf with good.der, -w 8d: warning" warning "${!port}"
    port=ec${version/./}_port
    expect_case "HAProxy $v leaf-ec with good-ec.der, -c 8d: critical" critical "${!port}"
done

finish
