#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tls_settings.sh - --tls-min/--tls-max, --ciphers, --ciphersuites,
# --groups and --client-cert/--client-key against openssl s_server and
# tests/helpers/starttls-server.
. "$(dirname "$0")/lib.sh"

make_pki
cd "$PKI" || exit 99
ca=(-C "$PKI/root.pem")

# Versions.
s_server any -cert leaf.pem -key leaf.key -cert_chain int.pem -status_file good.der
s_server old -tls1_2 -cert leaf.pem -key leaf.key -cert_chain int.pem -status_file good.der
expect "--tls-max 1.2: OK" 0 '^OCSP STAPLE OK - certificate good' \
    -H localhost -p "$any_port" "${ca[@]}" --tls-max 1.2
check "--tls-max 1.2 spoke TLS 1.2" grep -q ' with TLSv1.2$' <<<"$LAST_OUTPUT"
expect "--tls-min 1.3: OK" 0 '^OCSP STAPLE OK - certificate good' \
    -H localhost -p "$any_port" "${ca[@]}" --tls-min 1.3
check "--tls-min 1.3 spoke TLS 1.3" grep -q ' with TLSv1.3$' <<<"$LAST_OUTPUT"
expect "--tls-min 1.3 against a TLS 1.2 server: CRITICAL" 2 \
    "^OCSP STAPLE CRITICAL - TLS handshake failed: 127\\.0\\.0\\.1:$old_port: tlsv1 alert protocol version \\|" \
    -H localhost -p "$old_port" "${ca[@]}" --tls-min 1.3
expect "--tls-min 1.2 --tls-max 1.2 against a TLS 1.2 server: OK" 0 '^OCSP STAPLE OK' \
    -H localhost -p "$old_port" "${ca[@]}" --tls-min 1.2 --tls-max 1.2

# Cipher and group lists go to OpenSSL as they are.
expect "--ciphers picks the TLS 1.2 cipher" 0 '^OCSP STAPLE OK' \
    -H localhost -p "$any_port" "${ca[@]}" --tls-max 1.2 --ciphers ECDHE-RSA-CHACHA20-POLY1305 -vv
check "the cipher asked for was used" grep -q ': TLSv1.2, ECDHE-RSA-CHACHA20-POLY1305$' <<<"$LAST_OUTPUT"
expect "--ciphersuites picks the TLS 1.3 suite" 0 '^OCSP STAPLE OK' \
    -H localhost -p "$any_port" "${ca[@]}" --ciphersuites TLS_CHACHA20_POLY1305_SHA256 -vv
check "the suite asked for was used" grep -q ': TLSv1.3, TLS_CHACHA20_POLY1305_SHA256$' <<<"$LAST_OUTPUT"
s_server x25519 -cert leaf.pem -key leaf.key -cert_chain int.pem -status_file good.der -groups X25519
expect "--groups the server shares: OK" 0 '^OCSP STAPLE OK' \
    -H localhost -p "$x25519_port" "${ca[@]}" --groups X25519
expect "--groups the server lacks: CRITICAL" 2 \
    "^OCSP STAPLE CRITICAL - TLS handshake failed: 127\\.0\\.0\\.1:$x25519_port: sslv3 alert handshake failure \\|" \
    -H localhost -p "$x25519_port" "${ca[@]}" --groups P-384

# A server that requires a client certificate (TLS 1.2: in TLS 1.3 the
# staple comes before the server has seen the client's certificate).
starttls_server mtls --status good.der --client-ca root.pem --tls-max 1.2
expect "client certificate required, none given: CRITICAL" 2 \
    "^OCSP STAPLE CRITICAL - TLS handshake failed: 127\\.0\\.0\\.1:$mtls_port: sslv3 alert handshake failure \\|" \
    -H localhost -p "$mtls_port" "${ca[@]}"
# TLS 1.3, as README says: the server asks for the client's certificate
# after its own certificate and staple, so the check has judged the staple
# before the server refuses the missing certificate.
starttls_server mtls13 --status good.der --client-ca root.pem
expect "client certificate required, none given, TLS 1.3: the staple is judged, OK" 0 \
    '^OCSP STAPLE OK - certificate good' -H localhost -p "$mtls13_port" "${ca[@]}" -v
check "client certificate required, none given: TLS 1.3 was spoken" \
    grep -q ' with TLSv1\.3$' <<<"$LAST_OUTPUT"
expect "--client-cert and --client-key: OK" 0 '^OCSP STAPLE OK - certificate good' \
    -H localhost -p "$mtls_port" "${ca[@]}" --client-cert client-chain.pem --client-key client.key
cat client-chain.pem client.key >"$T/client-all.pem"
expect "--client-cert with the key in the same file: OK" 0 '^OCSP STAPLE OK - certificate good' \
    -H localhost -p "$mtls_port" "${ca[@]}" --client-cert "$T/client-all.pem"
expect "a key that is not the certificate's: UNKNOWN" 3 \
    "^OCSP STAPLE UNKNOWN - cannot use the TLS settings given: --client-key leaf.key: the key does not belong to the certificate in client-chain.pem" \
    -H localhost -p "$mtls_port" "${ca[@]}" --client-cert client-chain.pem --client-key leaf.key
expect "an unreadable client certificate: UNKNOWN" 3 \
    "^OCSP STAPLE UNKNOWN - cannot use the TLS settings given: --client-cert $T/none.pem: " \
    -H localhost -p "$mtls_port" "${ca[@]}" --client-cert "$T/none.pem"
expect "a certificate file without a key, no --client-key: UNKNOWN" 3 \
    "^OCSP STAPLE UNKNOWN - cannot use the TLS settings given: --client-cert \(no --client-key\) client-chain.pem: no private key in it" \
    -H localhost -p "$mtls_port" "${ca[@]}" --client-cert client-chain.pem

finish
