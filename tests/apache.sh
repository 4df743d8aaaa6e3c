#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# apache.sh - the plugin against Apache httpd (mod_ssl, SSLUseStapling)
# fetching its staples from real OCSP responders, over TLS 1.2 and 1.3, RSA
# and ECDSA.
#
# What Apache 2.4 does, as this test checks it: it fetches during the first
# handshake that asks for a staple, so that handshake already carries it.
# It staples what the responder says, including revoked, unknown, expired
# and a stranger's signature (SSLStaplingReturnResponderErrors is on by
# default; it logs the problem); when the responder cannot be reached it
# staples a tryLater response of its own making (SSLStaplingFakeTryLater).
# Without an OCSP URL in the certificate it staples nothing and logs
# AH02218. It keeps one staple per certificate, so each responder gets an
# instance of its own. It has no static staple file, and a live fetch asks
# about the server's own certificate, so it cannot serve a staple for
# another certificate (the other servers' tests cover that case).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/servers.sh"
own_network "$@"

responders || exit 99

# Sites: INSTANCE NAME LEAF MODE RESPONDER (- for the certificate's) CASE,
# and for what Apache complains about, the words of its error log.
sites=(
    "ca good leaf live - good"
    "ca ec leaf-ec live - good"
    "ca revoked leaf-revoked live - revoked response has certificate status revoked"
    "ca unknown leaf-unknown live - unknown response has certificate status unknown"
    "ca muststaple leaf-ms live - good"
    "ca nourl leaf-nourl live - nourl AH02218: ssl_stapling_init_cert: no OCSP URI in certificate"
    "off absent leaf none - absent"
    "off muststaple_off leaf-ms none - muststaple"
    "delegated delegated leaf live delegated delegated"
    "unrelated unrelated leaf live unrelated unrelated"
    "nonext nonext leaf live nonext nonext"
    "warn warn leaf live warn warn"
    "crit crit leaf live crit crit"
    "expired expired leaf live expired expired stapling_check_response: response times invalid"
    "down down leaf live down trylater AH01974: could not connect to OCSP responder"
)

for version in 1.2 1.3; do
    v=TLSv$version
    instance=
    for site in "${sites[@]}" end; do
        read -r next name leaf mode responder _ <<<"$site"
        if [ "$next" != "$instance" ] && [ -n "$instance" ]; then
            apache "httpd-$instance" || exit 99
        fi
        [ "$next" != end ] || break
        instance=$next
        url=
        [ "$responder" = - ] || url=${responder}_url
        apache_site "$name" "$version" "$leaf" "$mode" "${url:+${!url}}"
    done

    # Every check is the first handshake with its site since the start.
    for site in "${sites[@]}"; do
        read -r instance name leaf mode responder case complaint <<<"$site"
        port=${name}_port
        what="Apache $v $leaf, SSLUseStapling off"
        [ "$mode" = none ] || what="Apache $v $leaf, stapling from responder ${responder/#-/in the certificate}"
        expect_case "$what, first handshake: $case" "$case" "${!port}"
        if [ -n "$complaint" ]; then
            check "$what: Apache logs $complaint" wait_log "httpd-$instance" "$complaint"
        fi
    done
    expect_case "Apache $v leaf, -w 8d: warning" warning "$good_port"
    # (On a good staple: after a tryLater one, the last site's, Apache may
    # end the handshake before it completes, and no version is named.)
    check "Apache $v: the plugin names the version" grep -q "with $v" <<<"$LAST_OUTPUT"
    expect_case "Apache $v leaf-ec, -c 8d: critical" critical "$ec_port"

    for site in "${sites[@]}"; do
        stop "httpd-${site%% *}"
    done
done

finish
