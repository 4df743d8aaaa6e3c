#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# certificates.sh - --all-certificates (SPEC 8): servers that hold an RSA
# and an ECDSA certificate and choose one by the client's signature
# algorithms, over TLS 1.2 and 1.3: nginx (live stapling: both good; one
# ssl_stapling_file for both: the ECDSA certificate gets the RSA staple),
# HAProxy (a crt and its .ocsp each),
# Apache (two certificates, live), and servers with one key type only
# (nginx, openssl s_server), where the others are noted, not failed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/servers.sh"
own_network "$@"

responders || exit 99
cd "$PKI" || exit 99

for v in 1.2 1.3; do
    n=${v/./}
    nginx_site "live$n" "$v" leaf,leaf-ec live
    nginx_site "file$n" "$v" leaf,leaf-ec file good.der
    nginx_site "rsa$n" "$v" leaf file good.der
    haproxy_site "hgood$n" "$v" leaf,leaf-ec good.der,good-ec.der
    apache_site "apache$n" "$v" leaf,leaf-ec live
done
nginx web || exit 99
haproxy hap || exit 99
apache httpd || exit 99
s_server ecdsa -cert leaf-ec.pem -key leaf-ec.key -cert_chain int.pem \
    -status_file good-ec.der || exit 99

all=(-H localhost -C root.pem --all-certificates)
good_both='^OCSP STAPLE OK - RSA and ECDSA certificates: certificate good, next update in '

for v in 1.2 1.3; do
    n=${v/./}
    port=live${n}_port
    # nginx fetches each certificate's staple on its first handshake.
    "$PLUGIN" "${all[@]}" -p "${!port}" >/dev/null 2>&1
    wait_for 10 eval '"$PLUGIN" "${all[@]}" -p "${!port}" | grep -q "^OCSP STAPLE OK"'
    expect "nginx TLS $v, RSA and ECDSA, live stapling: both good" 0 \
        "$good_both.* next_update_rsa=[0-9]+s;86400:;14400: staple_age_rsa=[0-9]+s cert_expiry_rsa=[0-9]+s next_update_ecdsa=[0-9]+s;86400:;14400: staple_age_ecdsa=[0-9]+s cert_expiry_ecdsa=[0-9]+s time=" \
        "${all[@]}" -p "${!port}" --tls-min "$v" --tls-max "$v"
    check "... a line for each certificate" \
        test "$(grep -Ec '^(RSA|ECDSA) certificate: OK - certificate good' <<<"$LAST_OUTPUT")" -eq 2
    check "... Ed25519: none, noted" grep -q '^Ed25519 certificate: none (the server refuses a client that offers only Ed25519 signatures: ' <<<"$LAST_OUTPUT"

    port=file${n}_port
    expect "nginx TLS $v, one ssl_stapling_file for both: the ECDSA certificate's staple is the RSA one's" 2 \
        "^OCSP STAPLE CRITICAL - ECDSA certificate: staple is for another certificate" \
        "${all[@]}" -p "${!port}"
    check "... the RSA certificate is good" grep -q '^RSA certificate: OK - certificate good' <<<"$LAST_OUTPUT"
    check "... the details are the ECDSA certificate's" grep -q '^Details of ECDSA certificate:$' <<<"$LAST_OUTPUT"

    port=rsa${n}_port
    expect "nginx TLS $v, an RSA certificate only: the others are noted" 0 \
        "^OCSP STAPLE OK - RSA certificate: certificate good, .* next_update_rsa=" \
        "${all[@]}" -p "${!port}"
    check "... ECDSA: none" grep -q '^ECDSA certificate: none (the server refuses a client that offers only ECDSA signatures: ' <<<"$LAST_OUTPUT"
    check "... no perfdata for a key type it lacks" eval '! grep -q next_update_ecdsa <<<"$LAST_OUTPUT"'

    port=hgood${n}_port
    expect "HAProxy TLS $v, two crt with their .ocsp: both good" 0 "$good_both" \
        "${all[@]}" -p "${!port}"

    port=apache${n}_port
    "$PLUGIN" "${all[@]}" -p "${!port}" >/dev/null 2>&1
    wait_for 10 eval '"$PLUGIN" "${all[@]}" -p "${!port}" | grep -q "^OCSP STAPLE OK"'
    expect "Apache TLS $v, two certificates, live stapling: both good" 0 "$good_both" \
        "${all[@]}" -p "${!port}"
done

before=$(grep -c "Received request" "$T/ca.log")
expect "--all-certificates --responder: the responder asked about each certificate" 0 \
    "$good_both" "${all[@]}" -p "$live13_port" --responder
check "... once for each of the two" test "$(grep -c "Received request" "$T/ca.log")" -eq $((before + 2))
expect "openssl s_server with an ECDSA certificate only" 0 \
    "^OCSP STAPLE OK - ECDSA certificate: certificate good" \
    "${all[@]}" -p "$ecdsa_port"
check "... RSA: none" grep -q '^RSA certificate: none (the server refuses a client that offers only RSA signatures: ' <<<"$LAST_OUTPUT"
expect "without --all-certificates: one handshake, the server's choice" 0 \
    "^OCSP STAPLE OK - certificate good" -H localhost -C root.pem -p "$live13_port"
check "... no line per certificate" eval '! grep -q "certificate: OK" <<<"$LAST_OUTPUT"'

finish
