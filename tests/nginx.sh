#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# nginx.sh - the plugin against nginx, over TLS 1.2 and 1.3, RSA and ECDSA:
# static staples (ssl_stapling_file) and staples nginx fetches itself from
# real OCSP responders (ssl_stapling on, with and without
# ssl_stapling_verify).
#
# What nginx 1.22 does, as this test checks it:
# - ssl_stapling_file: it staples any well-formed file as it is, expired,
#   revoked, unknown, for another certificate or signed by a stranger, for
#   ever; it refuses to start on a file that is not DER.
# - Live: it fetches lazily. The first handshake after a start carries no
#   staple (a must-staple certificate fails it); it fetches then, and later
#   handshakes carry the staple. It refuses responses with status revoked
#   or unknown, expired ones and, with ssl_stapling_verify, ones signed by a
#   stranger: it logs why and staples nothing, which the plugin reports as
#   an absent staple. Without ssl_stapling_verify it staples a stranger's
#   signature. Without an OCSP URL in the certificate it ignores
#   ssl_stapling (and says so when it starts). A live fetch asks about the
#   server's own certificate, so a staple for another certificate comes
#   only from a file.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/servers.sh"
own_network "$@"

responders || exit 99

# Live sites: NAME LEAF MODE RESPONDER (- for the certificate's) CASE, and
# for the responses nginx refuses, the words of its error log.
live=(
    "good leaf live - good"
    "ec leaf-ec live - good"
    "delegated leaf live delegated delegated"
    "warn leaf live warn warn"
    "crit leaf live crit crit"
    "nonext leaf live nonext nonext"
    "unrelated-noverify leaf live-noverify unrelated unrelated"
    "muststaple leaf-ms live - good"
    'revoked leaf-revoked live - absent certificate status "revoked" in the OCSP response'
    'unknown leaf-unknown live - absent certificate status "unknown" in the OCSP response'
    "expired leaf live expired absent OCSP_check_validity\\(\\) failed"
    "unrelated leaf live unrelated absent OCSP_basic_verify\\(\\) failed"
    "down leaf live down absent \\(111: Connection refused\\)"
    "nourl leaf-nourl live - nourl"
    "absent leaf none off absent"
)

# from RESPONDER: words for where a live site fetches.
from() {
    case $1 in
    -) echo "responder from the certificate" ;;
    off) echo "ssl_stapling off" ;;
    *) echo "responder $1" ;;
    esac
}

for version in 1.2 1.3; do
    v=TLSv$version

    for site in "${static_sites[@]}"; do
        read -r name leaf response _ <<<"$site"
        if [ "$response" = - ]; then
            nginx_site "$name" "$version" "$leaf"
        else
            nginx_site "$name" "$version" "$leaf" file "$response"
        fi
    done
    nginx static || exit 99
    for site in "${static_sites[@]}"; do
        read -r name leaf response case <<<"$site"
        port=${name//-/_}_port
        what="ssl_stapling_file $response"
        [ "$response" != - ] || what="no stapling"
        expect_case "nginx $v $what, $leaf: $case" \
            "$case" "${!port}"
    done
    check "nginx $v: the plugin names the version" grep -q "with $v" <<<"$LAST_OUTPUT"
    expect_case "nginx $v ssl_stapling_file good.der, -w 8d: warning" warning "$good_port"
    expect_case "nginx $v ssl_stapling_file good-ec.der, -c 8d: critical" critical "$ec_port"
    stop static

    for site in "${live[@]}"; do
        read -r name leaf mode responder _ <<<"$site"
        if [ "$responder" = - ] || [ "$responder" = off ]; then
            nginx_site "$name" "$version" "$leaf" "$mode"
        else
            url=${responder}_url
            nginx_site "$name" "$version" "$leaf" "$mode" "${!url}"
        fi
    done
    nginx live || exit 99
    check "nginx $v ignores ssl_stapling for a certificate without OCSP URL, and says so" \
        wait_log live '"ssl_stapling" ignored, no OCSP responder URL in the certificate'

    # The first handshake with each site: no staple yet; it makes nginx fetch.
    for site in "${live[@]}"; do
        read -r name leaf mode responder _ <<<"$site"
        port=${name//-/_}_port
        case $leaf in
        leaf-ms) case=muststaple ;;
        leaf-nourl) case=nourl ;;
        *) case=absent ;;
        esac
        expect_case "nginx $v $mode $leaf, $(from "$responder"), first handshake after the start: $case" \
            "$case" "${!port}"
    done

    for site in "${live[@]}"; do
        read -r name leaf mode responder case refusal <<<"$site"
        port=${name//-/_}_port
        what="nginx $v $mode $leaf, $(from "$responder")"
        if [ -n "$refusal" ]; then
            check "$what: nginx logs why it staples nothing: ${refusal//\\/}" \
                wait_log live "$refusal"
        elif [ "$case" != absent ] && [ "$case" != nourl ]; then
            check "$what: a later handshake carries a staple" wait_staple "${!port}"
        fi
        expect_case "$what: $case" "$case" "${!port}"
    done
    expect_case "nginx $v live good, -w 8d: warning" warning "$good_port"
    expect_case "nginx $v live ec, -c 8d: critical" critical "$ec_port"
    stop live
done

finish
