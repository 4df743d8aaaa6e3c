#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# hostile.sh - servers on loopback that misbehave: silent, slow, garbage,
# closing or resetting mid-handshake, alerting, stapling empty, huge or
# forged responses, or presenting a certificate full of control characters.
# Every case runs with -t 3 and asserts the exit code, the status line, that
# the check ended within about 3 s, and that the output stays well-formed
# (under valgrind: see below).
. "$(dirname "$0")/lib.sh"
: "${HOSTILE:?HOSTILE is not set: run the tests with make check}"

make_pki
cd "$PKI" || exit 99
ca=(-C "$PKI/root.pem")
# -t 3, whatever the server does, ends the check within 3 s (and SLACK_MS).
# Under valgrind the plugin runs 20 to 50 times slower: a handshake alone
# can take longer than 3 s, and the check would time out before it judged
# the staple. There, only the cases meant to time out keep -t 3; the
# others get -t 30 (and the elapsed-time bounds are skipped).
t=3
if [ "${COS_VALGRIND:-}" = 1 ]; then
    t=30
    echo "# under valgrind: -t 30 for the cases that are not meant to time out"
fi
cases=0

# well_formed DESC: one status line with one '|' and Monitoring Plugins
# perfdata after it; no control character anywhere in the output.
perf='[a-z_]+=-?[0-9.]+s(;[-0-9.:~@]*){0,4}'
status_line_ok() {
    [[ $1 =~ ^OCSP\ STAPLE\ (OK|WARNING|CRITICAL|UNKNOWN)\ -\ [^|]+\ \|\ $perf(\ $perf)*$ ]]
}
no_control_characters() {
    local bad
    bad=$(LC_ALL=C tr -d '\n\040-\176\200-\377' <<<"$LAST_OUTPUT")
    [ -z "$bad" ] && return 0
    printf '%s\n' "$LAST_OUTPUT" | cat -A | sed 's/^/# /'
    return 1
}
well_formed() {
    check "$1: status line and perfdata well-formed" status_line_ok "${LAST_OUTPUT%%$'\n'*}"
    check "$1: no control characters in the output" no_control_characters
}

# hostile DESC CODE REGEX ARGS...: the plugin with ARGS -t $t (3) against a
# hostile server; it ends within -t.
hostile() {
    hostile_within 0 "$t" "$@"
}
# hostile_timeout DESC CODE REGEX ARGS...: the same against a server that
# makes the check time out: with -t 3 always, and it takes the 3 s.
hostile_timeout() {
    hostile_within 3000 3 "$@"
}
hostile_within() {
    local min=$1 seconds=$2 desc=$3
    shift 2
    cases=$((cases + 1))
    expect_within "$min" $((seconds * 1000 + SLACK_MS)) "$@" -t "$seconds"
    well_formed "$desc"
}

# Raw misbehaviour where a ServerHello belongs.
for mode in silent slow garbage close reset alert close-notify; do
    listener "$mode" "$HOSTILE" "$mode"
done
hostile_timeout "accepts and never speaks: timeout" 2 \
    "^OCSP STAPLE CRITICAL - timeout: during the TLS handshake with 127.0.0.1:$silent_port " \
    -H 127.0.0.1 -p "$silent_port" "${ca[@]}"
hostile_timeout "speaks one byte per second: timeout" 2 \
    "^OCSP STAPLE CRITICAL - timeout: during the TLS handshake with 127.0.0.1:$slow_port " \
    -H 127.0.0.1 -p "$slow_port" "${ca[@]}"
hostile "garbage instead of a ServerHello" 2 \
    "^OCSP STAPLE CRITICAL - TLS handshake failed: 127.0.0.1:$garbage_port: wrong version number " \
    -H 127.0.0.1 -p "$garbage_port" "${ca[@]}"
hostile "closes mid-handshake" 2 \
    "^OCSP STAPLE CRITICAL - TLS handshake failed: 127.0.0.1:$close_port: unexpected eof while reading " \
    -H 127.0.0.1 -p "$close_port" "${ca[@]}"
hostile "resets mid-handshake" 2 \
    "^OCSP STAPLE CRITICAL - TLS handshake failed: 127.0.0.1:$reset_port: Connection reset by peer " \
    -H 127.0.0.1 -p "$reset_port" "${ca[@]}"
hostile "sends a fatal alert" 2 \
    "^OCSP STAPLE CRITICAL - TLS handshake failed: 127.0.0.1:$alert_port: sslv3 alert handshake failure " \
    -H 127.0.0.1 -p "$alert_port" "${ca[@]}"
hostile "a close_notify where the ServerHello belongs" 2 \
    "^OCSP STAPLE CRITICAL - TLS handshake failed: 127.0.0.1:$close_notify_port: the server closed the TLS connection \\(close_notify\\) before its ServerHello \\| " \
    -H 127.0.0.1 -p "$close_notify_port" "${ca[@]}"
for mode in silent slow garbage close reset alert; do
    stop "$mode"
done

# Raw bytes as the staple, over a real handshake.
head -c 300000 /dev/urandom >"$T/huge.der"
{
    cat good.der
    head -c 60000 /dev/urandom
} >"$T/big-trailing.der"
for v in 1.2 1.3; do
    listener empty "$HOSTILE" staple "$v" empty.der leaf-chain.pem leaf.key
    listener huge "$HOSTILE" staple "$v" "$T/huge.der" leaf-chain.pem leaf.key
    listener garbage "$HOSTILE" staple "$v" garbage.der leaf-chain.pem leaf.key
    hostile "TLSv$v zero-length staple" 2 '^OCSP STAPLE CRITICAL - staple is empty' \
        -H localhost -p "$empty_port" "${ca[@]}"
    hostile "TLSv$v staple of 64 random bytes" 2 '^OCSP STAPLE CRITICAL - staple is not a well-formed OCSP response' \
        -H localhost -p "$garbage_port" "${ca[@]}"
    # No client takes that much: OpenSSL caps a TLS 1.2 CertificateStatus
    # at 16 KiB, and a TLS 1.3 extension cannot exceed 64 KiB, so there
    # the server itself gives up.
    if [ "$v" = 1.2 ]; then
        why='excessive message size'
    else
        why='tlsv1 alert internal error'
    fi
    hostile "TLSv$v staple of 300 KB" 2 "^OCSP STAPLE CRITICAL - TLS handshake failed: 127.0.0.1:$huge_port: $why " \
        -H localhost -p "$huge_port" "${ca[@]}"
    stop empty
    stop huge
    stop garbage
done
listener big "$HOSTILE" staple 1.3 "$T/big-trailing.der" leaf-chain.pem leaf.key
hostile "TLSv1.3 staple of 60 KB: read whole, judged" 2 \
    '^OCSP STAPLE CRITICAL - staple has trailing bytes after the OCSP response: 60000 bytes after a [0-9]+-byte response' \
    -H localhost -p "$big_port" "${ca[@]}"
stop big

# Well-formed responses that must not pass, stapled by openssl s_server.
for version in tls1_2 tls1_3; do
    v=${version/tls1_/TLSv1.}
    for response in rogue unrelated noeku conflict next-before-this notyet; do
        s_server "$response" "-$version" -cert leaf.pem -key leaf.key -cert_chain int.pem \
            -status_file "$response.der"
    done
    hostile "$v forged with the leaf's own key, self-signed responder embedded" 2 \
        "^OCSP STAPLE CRITICAL - staple's signer is not trusted: self-signed certificate \(CN=COS Rogue Responder\)" \
        -H localhost -p "$rogue_port" "${ca[@]}"
    hostile "$v responder issued by an unrelated CA" 2 \
        "^OCSP STAPLE CRITICAL - staple's signer is not trusted: unable to get local issuer certificate \(CN=COS Unrelated OCSP Responder\)" \
        -H localhost -p "$unrelated_port" "${ca[@]}"
    hostile "$v responder without OCSPSigning" 2 \
        "^OCSP STAPLE CRITICAL - staple's signer lacks the OCSPSigning usage: responder CN=COS Test Responder without OCSPSigning" \
        -H localhost -p "$noeku_port" "${ca[@]}"
    hostile "$v two SingleResponses with conflicting status" 2 \
        '^OCSP STAPLE CRITICAL - staple gives conflicting statuses for the certificate: entries good and revoked' \
        -H localhost -p "$conflict_port" "${ca[@]}"
    hostile "$v nextUpdate before thisUpdate" 2 \
        "^OCSP STAPLE CRITICAL - staple's nextUpdate is before its thisUpdate: nextUpdate is 3600 s before thisUpdate" \
        -H localhost -p "$next_before_this_port" "${ca[@]}"
    hostile "$v thisUpdate in the future" 2 \
        "^OCSP STAPLE CRITICAL - staple is not yet valid: thisUpdate is $(durations_since_pki 172800) in the future" \
        -H localhost -p "$notyet_port" "${ca[@]}"
    for response in rogue unrelated noeku conflict next-before-this notyet; do
        stop "$response"
    done
done

# A subject and SAN holding '|', newline, CR, tab, ^A and ESC.
s_server weird -cert leaf-weird.pem -key leaf-weird.key -cert_chain int.pem -status_file good-weird.der
weird_subject='O=a/b\\0D\\09c,CN=evil/cn\\0Aline\\01\\1B\[7m/x'
hostile "hostile subject, good staple: OK" 0 '^OCSP STAPLE OK - certificate good' \
    -H localhost -p "$weird_port" "${ca[@]}" -vvv
check "hostile subject: printed escaped, '|' replaced" grep -qx "Certificate: $weird_subject" <<<"$LAST_OUTPUT"
hostile "hostile subject in a host name mismatch: the SAN names, sanitized" 2 \
    "^OCSP STAPLE CRITICAL - server certificate does not match the host name: wrong.example is not among DNS:localhost, DNS:pipe/name.example, DNS:new\\?line.example, DNS:ctl\\?\\?\\[7m.example, IP:127.0.0.1, IP:::1 \\| " \
    -H wrong.example -I 127.0.0.1 -p "$weird_port" "${ca[@]}"
s_server weird_alone -cert leaf-weird.pem -key leaf-weird.key -status_file good-weird.der
hostile "hostile subject in a chain error" 2 \
    "^OCSP STAPLE CRITICAL - server certificate chain does not verify: unable to get local issuer certificate \(depth 0, $weird_subject\) \| " \
    -H localhost -p "$weird_alone_port" "${ca[@]}"
hostile "a SAN name with '|' as the host name is matched" 0 '^OCSP STAPLE OK - certificate good' \
    -H 'pipe|name.example' -I 127.0.0.1 -p "$weird_port" "${ca[@]}"

# Hostile bytes in what a server says before TLS (SPEC 9): a greeting
# with a newline and a forged status line, NEL, a line separator, a
# right-to-left override, a C1 control and invalid UTF-8. The status line
# stays printable ASCII, the long output one valid UTF-8 line per line,
# and -vv's trace forges nothing either.
# (A line protocol ends the line at the newline: the SMTP greeting gets a
# CR in its place, the XMPP header, read up to '>', the newline itself.)
evil=$'x\rOCSP STAPLE OK - certificate good | next_update=1s\r\xc2\x85nel\xe2\x80\xa8ls\xe2\x80\xaerlo\xc2\x9bcsi\xff\xfe'
starttls_server evilsmtp --proto smtp --banner "$evil" --status good.der || exit 99
hostile "a hostile SMTP greeting quoted on the status line" 2 \
    '^OCSP STAPLE CRITICAL - STARTTLS preamble failed: imap: greeting: 220-localhost ESMTP x\?OCSP STAPLE OK - certificate good / next_update=1s\?\\xC2\\x85nel\\xE2\\x80\\xA8ls\\xE2\\x80\\xAErlo\\xC2\\x9Bcsi\\xFF\\xFE \| ' \
    -S imap -H localhost -p "$evilsmtp_port" "${ca[@]}" -vv
ascii_status_line() { LC_ALL=C grep -qx '[ -~]*' <<<"${LAST_OUTPUT%%$'\n'*}"; }
check "the status line is printable ASCII" ascii_status_line
check "no forged status line anywhere in the output" \
    test "$(grep -c '^OCSP STAPLE' <<<"$LAST_OUTPUT")" -eq 1
check "the long output is valid UTF-8" iconv -f UTF-8 -t UTF-8 -o /dev/null <(printf '%s' "$LAST_OUTPUT")
no_line_breakers() {
    ! LC_ALL=C grep -q $'\xc2[\x80-\x9f]\|\xe2\x80[\xa8-\xae]\|\xe2\x81[\xa6-\xa9]' <<<"$LAST_OUTPUT"
}
check "no C1 control, separator or bidirectional override in the output" no_line_breakers
check "-vv traces the greeting on one line" \
    grep -qx 'imap S: 220-localhost ESMTP x?OCSP STAPLE OK - certificate good / next_update=1s??nel?ls?rlo?csi\\xFF\\xFE' <<<"$LAST_OUTPUT"
starttls_server evilxmpp --proto xmpp --banner "${evil//$'\r'/$'\n'}" --status good.der || exit 99
hostile "a hostile XMPP stream header, -vv" 0 '^OCSP STAPLE OK - certificate good' \
    -S xmpp -H localhost -p "$evilxmpp_port" "${ca[@]}" -vv
check "xmpp -vv: no forged status line" test "$(grep -c '^OCSP STAPLE' <<<"$LAST_OUTPUT")" -eq 1
check "xmpp -vv: the long output is valid UTF-8" iconv -f UTF-8 -t UTF-8 -o /dev/null <(printf '%s' "$LAST_OUTPUT")
check "xmpp -vv: no C1 control, separator or bidirectional override" no_line_breakers

# Servers that never stop sending (SPEC 9): the deadline is checked on
# every read, so each run ends at -t with the normal timeout line and its
# perfdata; the check's own time stays within 0.2 s of -t.
within_a_fifth() {
    local took
    took=$(sed -n '1s/.*| .*time=\([0-9.]*\)s.*/\1/p' <<<"$LAST_OUTPUT")
    [ "${COS_VALGRIND:-}" = 1 ] && { skip "$1: its own time within -t + 0.2 s" "under valgrind (took $took s)"; return; }
    check "$1: its own time within -t + 0.2 s (time=${took:-none}s)" \
        awk -v t="${took:-99}" -v limit="$2" 'BEGIN { exit !(t >= limit && t <= limit + 0.2) }'
}
listener flood "$HOSTILE" hello-flood || exit 99
hostile_within 2000 2 "endless HelloRequests before the ServerHello: timeout" 2 \
    "^OCSP STAPLE CRITICAL - timeout: during the TLS handshake with 127\\.0\\.0\\.1:$flood_port \\| time=" \
    -H localhost -p "$flood_port" "${ca[@]}"
within_a_fifth "endless HelloRequests" 2
for proto in smtp lmtp submission ftp imap pop3 nntp sieve xmpp; do
    starttls_server "flood-$proto" --proto "$proto" --flood || exit 99
    port_var="flood_${proto}_port"
    hostile_within 2000 2 "$proto: a preamble reply without end: timeout" 2 \
        "^OCSP STAPLE CRITICAL - timeout: during the STARTTLS preamble \\($proto\\) with 127\\.0\\.0\\.1:${!port_var} \\| time=" \
        -S "$proto" -H localhost -p "${!port_var}" "${ca[@]}"
    within_a_fifth "$proto flood" 2
    stop "flood-$proto"
done
# -A: one good SMTP server and two that flood: every address is reported.
LISTEN=127.0.0.1 starttls_server pool1 --proto smtp --status good.der || exit 99
LISTEN=127.0.0.2 PORT=$pool1_port starttls_server pool2 --proto smtp --flood || exit 99
LISTEN=127.0.0.3 PORT=$pool1_port starttls_server pool3 --proto smtp --flood || exit 99
hostile_within 2000 2 "-A, one good SMTP server, two flooding: each address reported" 2 \
    '^OCSP STAPLE CRITICAL - 1 of 3 addresses staple; 127\.0\.0\.2: timeout: during the STARTTLS preamble \(smtp\)' \
    -A -S smtp -H localhost -I 127.0.0.1,127.0.0.2,127.0.0.3 -p "$pool1_port" "${ca[@]}"
check "-A with floods: the good address is OK" grep -q '^Address 127\.0\.0\.1: OK - certificate good' <<<"$LAST_OUTPUT"
check "-A with floods: both flooding addresses time out" \
    test "$(grep -Ec '^Address 127\.0\.0\.[23]: CRITICAL - timeout: during the STARTTLS preamble \(smtp\)' <<<"$LAST_OUTPUT")" -eq 2

echo "# $cases hostile cases"
finish
