#!/bin/bash
# s_server.sh - the plugin end to end against openssl s_server on loopback,
# stapling static response files (-status_file), over TLS 1.2 and 1.3; and
# the offline mode on the same files, which must give the same verdicts.
. "$(dirname "$0")/lib.sh"

make_pki
cd "$PKI" || exit 99
ca=(-C "$PKI/root.pem")

# serve NAME VERSION LEAF [RESPONSE]: s_server with LEAF's key and chain
serve() {
    local name=$1 version=$2 leaf=$3 response=${4:-}
    s_server "$name" "-$version" -cert "$leaf.pem" -key "$leaf.key" \
        -cert_chain int.pem ${response:+-status_file "$response"}
}

for version in tls1_2 tls1_3; do
    v=${version/tls1_/TLSv1.}
    serve good "$version" leaf good.der
    serve revoked "$version" leaf-revoked revoked.der
    serve unknown "$version" leaf-unknown unknown.der
    serve expired "$version" leaf expired.der
    serve warn "$version" leaf warn.der
    serve crit "$version" leaf crit.der
    serve absent "$version" leaf
    serve muststaple "$version" leaf-ms
    serve nourl "$version" leaf-nourl
    serve ec "$version" leaf-ec good-ec.der
    serve delegated "$version" leaf good-delegated.der
    serve other "$version" leaf good-old.der

    expect "$v good staple: OK" 0 '^OCSP STAPLE OK - certificate good, next update in (6d 23h|7d)' \
        -H localhost -p "$good_port" "${ca[@]}"
    check "$v long output names the TLS version" grep -q "with $v" <<<"$LAST_OUTPUT"
    check "$v perfdata has next_update, staple_age and time" \
        grep -Eq '\| next_update=[0-9]+s;86400:;14400: staple_age=[0-9]+s time=[0-9.]+s$' \
        <<<"${LAST_OUTPUT%%$'\n'*}"
    expect "$v ECDSA leaf: OK" 0 '^OCSP STAPLE OK - certificate good' \
        -H localhost -p "$ec_port" "${ca[@]}"
    expect "$v delegated responder: OK" 0 '^OCSP STAPLE OK - certificate good' \
        -H localhost -p "$delegated_port" "${ca[@]}"
    check "$v delegated responder is named" grep -q 'Signed by: CN=COS Test OCSP Responder (delegated responder)' <<<"$LAST_OUTPUT"
    expect "$v revoked: CRITICAL with the reason" 2 \
        '^OCSP STAPLE CRITICAL - certificate revoked: 2024-01-15 12:00:00 UTC, reason keyCompromise' \
        -H localhost -p "$revoked_port" "${ca[@]}"
    expect "$v unknown: CRITICAL" 2 '^OCSP STAPLE CRITICAL - responder does not know the certificate' \
        -H localhost -p "$unknown_port" "${ca[@]}"
    expect "$v expired: CRITICAL" 2 '^OCSP STAPLE CRITICAL - staple expired: nextUpdate was 3d ago' \
        -H localhost -p "$expired_port" "${ca[@]}"
    expect "$v absent, the certificate names a responder: CRITICAL" 2 \
        '^OCSP STAPLE CRITICAL - no OCSP staple; the certificate names an OCSP responder' \
        -H localhost -p "$absent_port" "${ca[@]}"
    expect "$v absent with --no-staple WARNING: WARNING" 1 '^OCSP STAPLE WARNING - no OCSP staple' \
        -H localhost -p "$absent_port" "${ca[@]}" --no-staple WARNING
    expect "$v must-staple without staple: CRITICAL" 2 \
        '^OCSP STAPLE CRITICAL - no OCSP staple, but the certificate requires one \(must-staple\)' \
        -H localhost -p "$muststaple_port" "${ca[@]}"
    expect "$v must-staple overrides --no-staple OK" 2 '^OCSP STAPLE CRITICAL - no OCSP staple, but' \
        -H localhost -p "$muststaple_port" "${ca[@]}" --no-staple OK --no-ocsp-url OK
    expect "$v no OCSP URL, no staple: OK, not applicable" 0 \
        '^OCSP STAPLE OK - no OCSP staple; stapling not applicable' \
        -H localhost -p "$nourl_port" "${ca[@]}"
    expect "$v no OCSP URL with --no-ocsp-url CRITICAL" 2 '^OCSP STAPLE CRITICAL - no OCSP staple; stapling not applicable' \
        -H localhost -p "$nourl_port" "${ca[@]}" --no-ocsp-url CRITICAL
    expect "$v staple for the old certificate: CRITICAL" 2 \
        '^OCSP STAPLE CRITICAL - staple is for another certificate: serial 10A0000000000005, not 10A0000000000001' \
        -H localhost -p "$other_port" "${ca[@]}"

    # Thresholds on next_update (-w/-c), the defaults being 1d and 4h.
    expect "$v 12 h left: WARNING by default" 1 \
        '^OCSP STAPLE WARNING - certificate good, next update in (11h 5[0-9]m|12h), .*\(warning: less than 1d left\)' \
        -H localhost -p "$warn_port" "${ca[@]}"
    expect "$v 2 h left: CRITICAL by default" 2 \
        '^OCSP STAPLE CRITICAL - certificate good, next update in (1h 5[0-9]m|2h), .*\(critical: less than 4h left\)' \
        -H localhost -p "$crit_port" "${ca[@]}"
    expect "$v -w 8d on 7 days left: WARNING" 1 '^OCSP STAPLE WARNING - certificate good' \
        -H localhost -p "$good_port" "${ca[@]}" -w 8d
    expect "$v -c 8d on 7 days left: CRITICAL" 2 '^OCSP STAPLE CRITICAL - certificate good' \
        -H localhost -p "$good_port" "${ca[@]}" -c 8d
    expect "$v -w 6h -c 1h on 12 h left: OK" 0 '^OCSP STAPLE OK - certificate good' \
        -H localhost -p "$warn_port" "${ca[@]}" -w 6h -c 1h
    check "$v perfdata carries the given thresholds in seconds" \
        grep -Eq 'next_update=[0-9]+s;21600:;3600: ' <<<"${LAST_OUTPUT%%$'\n'*}"
    expect "$v staple 2 h old with --age-warning 1h: WARNING" 1 \
        '^OCSP STAPLE WARNING - certificate good.*\(warning: older than 1h\)' \
        -H localhost -p "$good_port" "${ca[@]}" --age-warning 1h --now $(($(date +%s) + 7200))
    expect "$v --now past nextUpdate: expired" 2 '^OCSP STAPLE CRITICAL - staple expired' \
        -H localhost -p "$good_port" "${ca[@]}" --now $(($(date +%s) + 8 * 86400))

    for name in good revoked unknown expired warn crit absent muststaple nourl ec delegated other; do
        stop "$name"
    done
done

# What any TLS client checks.
s_server good -cert leaf.pem -key leaf.key -cert_chain int.pem -status_file good.der
expect "chain to an anchor the store lacks: CRITICAL" 2 \
    '^OCSP STAPLE CRITICAL - server certificate chain does not verify: unable to get local issuer certificate' \
    -H localhost -p "$good_port" -C "$PKI/other-root.pem"
expect "intermediate named as the anchor (partial chain): OK" 0 '^OCSP STAPLE OK' \
    -H localhost -p "$good_port" -C "$PKI/int.pem"
expect "name not in the certificate: CRITICAL" 2 \
    '^OCSP STAPLE CRITICAL - server certificate does not match the host name: wrong.example' \
    -H wrong.example -I 127.0.0.1 -p "$good_port" "${ca[@]}"
expect "--sni gives the name checked" 0 '^OCSP STAPLE OK' \
    -H 127.0.0.1 --sni localhost -p "$good_port" "${ca[@]}"
check "--sni name is reported as checked" grep -q 'Host name checked: localhost' <<<"$LAST_OUTPUT"
expect "IP literal: no name check, still verified" 0 '^OCSP STAPLE OK' \
    -H 127.0.0.1 -p "$good_port" "${ca[@]}"
check "IP literal is reported as not name-checked" grep -q 'Host name not checked' <<<"$LAST_OUTPUT"
expect "-4 with localhost: OK" 0 '^OCSP STAPLE OK' -4 -H localhost -p "$good_port" "${ca[@]}"
expect "-6 with an IPv4 literal: CRITICAL" 2 '^OCSP STAPLE CRITICAL - cannot resolve' \
    -6 -H 127.0.0.1 -p "$good_port" "${ca[@]}"
expect "--now beyond the certificate's notAfter: chain CRITICAL" 2 \
    '^OCSP STAPLE CRITICAL - server certificate chain does not verify: certificate has expired' \
    -H localhost -p "$good_port" "${ca[@]}" --now $(($(date +%s) + 4000 * 86400))

# IPv6.
port6=$(free_port -6)
spawn good6 openssl s_server -accept "[::1]:$port6" -www -quiet -cert leaf.pem -key leaf.key \
    -cert_chain int.pem -status_file good.der
wait_tcp ::1 "$port6"
expect "IPv6 literal ::1: OK" 0 '^OCSP STAPLE OK' -H ::1 -p "$port6" "${ca[@]}"
check "IPv6 peer is reported in brackets" grep -q "Connected to \[::1\]:$port6" <<<"$LAST_OUTPUT"
expect "-6 with the IPv6 literal: OK" 0 '^OCSP STAPLE OK' -6 -H ::1 -p "$port6" "${ca[@]}"

# Reaching the server.
closed=$(free_port)
expect "connection refused: CRITICAL" 2 "^OCSP STAPLE CRITICAL - cannot connect: 127.0.0.1:$closed: Connection refused" \
    -H 127.0.0.1 -p "$closed" "${ca[@]}"
expect "name that does not resolve: CRITICAL" 2 '^OCSP STAPLE CRITICAL - cannot resolve the host name: no-such-host.invalid' \
    -H no-such-host.invalid "${ca[@]}"
listener silent "$FREEPORT" --hold
silent=$silent_port
expect_within 3000 "server that never answers, -t 2: CRITICAL timeout" 2 \
    '^OCSP STAPLE CRITICAL - timeout: during the TLS handshake' \
    -H 127.0.0.1 -p "$silent" -t 2 "${ca[@]}"
expect "-t 1:WARNING sets the timeout state" 1 '^OCSP STAPLE WARNING - timeout' \
    -H 127.0.0.1 -p "$silent" -t 1:WARNING "${ca[@]}"
expect "-t 1:UNKNOWN sets the timeout state" 3 '^OCSP STAPLE UNKNOWN - timeout' \
    -H 127.0.0.1 -p "$silent" -t 1:unknown "${ca[@]}"

# Offline mode gives the same verdicts on the same files.
expect "offline good: OK" 0 '^OCSP STAPLE OK - certificate good' \
    --response good.der --cert leaf-chain.pem "${ca[@]}"
expect "offline revoked: CRITICAL with the reason" 2 '^OCSP STAPLE CRITICAL - certificate revoked: .*keyCompromise' \
    --response revoked.der --cert leaf-revoked-chain.pem "${ca[@]}"
expect "offline expired: CRITICAL" 2 '^OCSP STAPLE CRITICAL - staple expired' \
    --response expired.der --cert leaf-chain.pem "${ca[@]}"
expect "offline 12 h left: WARNING" 1 '^OCSP STAPLE WARNING - certificate good' \
    --response warn.der --cert leaf-chain.pem "${ca[@]}"
expect "offline 2 h left: CRITICAL" 2 '^OCSP STAPLE CRITICAL - certificate good' \
    --response crit.der --cert leaf-chain.pem "${ca[@]}"
expect "offline -w 8d on 7 days left: WARNING" 1 '^OCSP STAPLE WARNING - certificate good' \
    --response good.der --cert leaf-chain.pem "${ca[@]}" -w 8d

finish
