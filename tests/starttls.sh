#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# starttls.sh - -S for every protocol against tests/helpers/starttls-server,
# which speaks the server's side of the preamble and then staples: a good
# staple, no staple, STARTTLS not offered, STARTTLS refused; and the -t
# deadline during the preamble.
. "$(dirname "$0")/lib.sh"

make_pki
cd "$PKI" || exit 99
ca=(-C "$PKI/root.pem")

# What each protocol's server (the helper) says when it does not offer
# STARTTLS, and when it refuses it: the reason the status line gives.
declare -A not_offered=(
    [smtp]='the EHLO reply does not list STARTTLS'
    [submission]='the EHLO reply does not list STARTTLS'
    [lmtp]='the LHLO reply does not list STARTTLS'
    [imap]='CAPABILITY does not list STARTTLS'
    [pop3]='CAPA does not list STLS'
    [ftp]='refused: 534 no TLS here'
    [xmpp]='the stream features do not list starttls'
    [xmpp-server]='the stream features do not list starttls'
    [ldap]='StartTLS refused, resultCode 2: unsupported extended operation'
    [postgres]='the server answered N to the SSLRequest \(ssl is off\)'
    [sieve]='the capabilities do not list STARTTLS'
    [nntp]='CAPABILITIES does not list STARTTLS'
)
declare -A refused=(
    [smtp]='refused: 454 4\.7\.0 TLS not available'
    [submission]='refused: 454 4\.7\.0 TLS not available'
    [lmtp]='refused: 454 4\.7\.0 TLS not available'
    [imap]='refused: C2 BAD not now'
    [pop3]='refused: -ERR not now'
    [ftp]='refused: 534 no TLS here'
    [xmpp]="refused: <failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"
    [xmpp-server]="refused: <failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"
    [ldap]='StartTLS refused, resultCode 2: unsupported extended operation'
    [postgres]='the server answered N to the SSLRequest \(ssl is off\)'
    [sieve]='refused: NO "not now"'
    [nntp]='refused: 580 Can not initiate TLS'
)

for proto in smtp submission lmtp imap pop3 ftp xmpp xmpp-server ldap postgres sieve nntp; do
    starttls_server good --proto "$proto" --status good.der
    starttls_server absent --proto "$proto"
    starttls_server hidden --proto "$proto" --status good.der --no-starttls
    starttls_server refusing --proto "$proto" --status good.der --refuse-starttls

    expect "$proto: good staple: OK" 0 '^OCSP STAPLE OK - certificate good, next update in' \
        -S "$proto" -H localhost -p "$good_port" "${ca[@]}"
    check "$proto: long output names STARTTLS" \
        grep -q "^Connected to 127.0.0.1:$good_port with TLSv1.3 after STARTTLS ($proto)$" <<<"$LAST_OUTPUT"
    expect "$proto: no staple: CRITICAL" 2 '^OCSP STAPLE CRITICAL - no OCSP staple; the certificate names an OCSP responder' \
        -S "$proto" -H localhost -p "$absent_port" "${ca[@]}"
    expect "$proto: STARTTLS not offered: CRITICAL, why" 2 \
        "^OCSP STAPLE CRITICAL - server does not offer STARTTLS: $proto: ${not_offered[$proto]} \\|" \
        -S "$proto" -H localhost -p "$hidden_port" "${ca[@]}"
    expect "$proto: STARTTLS refused: CRITICAL, the server's words" 2 \
        "^OCSP STAPLE CRITICAL - server does not offer STARTTLS: $proto: ${refused[$proto]} \\|" \
        -S "$proto" -H localhost -p "$refusing_port" "${ca[@]}"
    check "$proto: STARTTLS refused: the long output does not claim it happened" \
        grep -qx "Connected to 127.0.0.1:$refusing_port" <<<"$LAST_OUTPUT"
    stop good
    stop absent
    stop hidden
    stop refusing
done

# How each protocol says no, in the words the operator sees.
starttls_server smtp --proto smtp --no-starttls
starttls_server imap --proto imap --refuse-starttls
starttls_server xmpp --proto xmpp --domain example.org --status good.der
starttls_server ldap --proto ldap --no-starttls
starttls_server postgres --proto postgres --no-starttls
expect "smtp: the EHLO reply is named" 2 '^OCSP STAPLE CRITICAL - server does not offer STARTTLS: smtp: the EHLO reply does not list STARTTLS' \
    -S smtp -H localhost -p "$smtp_port" "${ca[@]}"
expect "smtp -vv: the same verdict" 2 '^OCSP STAPLE CRITICAL - server does not offer STARTTLS: smtp: ' \
    -vv -S smtp -H localhost -p "$smtp_port" "${ca[@]}"
check "-vv shows the conversation" grep -q '^smtp S: 250-PIPELINING$' <<<"$LAST_OUTPUT"
expect "imap: the server's refusal is quoted" 2 '^OCSP STAPLE CRITICAL - server does not offer STARTTLS: imap: refused: C2 BAD not now' \
    -S imap -H localhost -p "$imap_port" "${ca[@]}"
expect "ldap: the resultCode and message are given" 2 \
    '^OCSP STAPLE CRITICAL - server does not offer STARTTLS: ldap: StartTLS refused, resultCode 2: unsupported extended operation' \
    -S ldap -H localhost -p "$ldap_port" "${ca[@]}"
expect "postgres: N is explained" 2 '^OCSP STAPLE CRITICAL - server does not offer STARTTLS: postgres: the server answered N' \
    -S postgres -H localhost -p "$postgres_port" "${ca[@]}"
# The certificate is for localhost: the name check fails, after the
# server accepted the stream to example.org.
expect "xmpp: the stream goes to --sni's domain" 2 \
    '^OCSP STAPLE CRITICAL - server certificate does not match the host name: example.org' \
    -S xmpp -H localhost --sni example.org -p "$xmpp_port" "${ca[@]}"
expect "xmpp: a stream to another domain is refused by the server" 2 \
    "^OCSP STAPLE CRITICAL - STARTTLS preamble failed: xmpp: stream error: <host-unknown" \
    -S xmpp -H localhost -p "$xmpp_port" "${ca[@]}"
expect "a protocol the server does not speak: CRITICAL" 2 \
    '^OCSP STAPLE CRITICAL - STARTTLS preamble failed: imap: greeting: 220-localhost ESMTP' \
    -S imap -H localhost -p "$smtp_port" "${ca[@]}"

# The deadline bounds the preamble, whoever speaks first.
listener silent "$FREEPORT" --hold || exit 99
silent=$silent_port
for proto in smtp ldap; do
    expect_within 1000 $((1000 + SLACK_MS)) "$proto: a server that never answers, -t 1: timeout" 2 \
        "^OCSP STAPLE CRITICAL - timeout: during the STARTTLS preamble \($proto\) with 127.0.0.1:$silent" \
        -S "$proto" -H 127.0.0.1 -p "$silent" -t 1 "${ca[@]}"
done


# A server that is slow but answers inside -t: the check waits for it and
# succeeds, TLS from the first byte and after a preamble alike.
# Under valgrind the plugin's own start and handshake take a second or
# more of the deadline: -t 6 leaves the 1.5 s wait as much room there.
slow_t=3
[ "${COS_VALGRIND:-}" != 1 ] || slow_t=6
starttls_server slowtls --delay 1500 --status good.der || exit 99
expect_within 1500 $((slow_t * 1000 + SLACK_MS)) "a server 1.5 s slow, -t $slow_t: OK" 0 \
    "^OCSP STAPLE OK - certificate good, next update in $(durations_since_pki 604800)" \
    -H localhost -p "$slowtls_port" -t "$slow_t" "${ca[@]}"
starttls_server slowsmtp --proto smtp --delay 1500 --status good.der || exit 99
expect_within 1500 $((slow_t * 1000 + SLACK_MS)) "smtp: a server 1.5 s slow to greet, -t $slow_t: OK" 0 \
    "^OCSP STAPLE OK - certificate good, next update in $(durations_since_pki 604800)" \
    -S smtp -H localhost -p "$slowsmtp_port" -t "$slow_t" "${ca[@]}"

# What a preamble may legally lack or say.
starttls_server nocapa --proto pop3 --no-capa --status good.der || exit 99
expect "pop3: a server without CAPA (RFC 2449 is optional): STLS anyway, OK" 0 \
    '^OCSP STAPLE OK - certificate good' -S pop3 -H localhost -p "$nocapa_port" "${ca[@]}"
starttls_server preauth --proto imap --preauth --status good.der || exit 99
expect "imap: a PREAUTH greeting, after which STARTTLS is not allowed: CRITICAL" 2 \
    '^OCSP STAPLE CRITICAL - server does not offer STARTTLS: imap: the greeting is PREAUTH, after which STARTTLS is not allowed \|' \
    -S imap -H localhost -p "$preauth_port" "${ca[@]}"
# The EHLO (LHLO) name is this machine's: a server that insists on it
# lets the check through, one that wants another name refuses.
starttls_server named --proto smtp --hello-name "$(hostname)" --status good.der || exit 99
expect "smtp: EHLO names this machine ($(hostname)): OK" 0 '^OCSP STAPLE OK - certificate good' \
    -S smtp -H localhost -p "$named_port" "${ca[@]}"
starttls_server lmtpnamed --proto lmtp --hello-name "$(hostname)" --status good.der || exit 99
expect "lmtp: LHLO names this machine: OK" 0 '^OCSP STAPLE OK - certificate good' \
    -S lmtp -H localhost -p "$lmtpnamed_port" "${ca[@]}"
starttls_server othername --proto smtp --hello-name mail.example.org --status good.der || exit 99
expect "smtp: a server that wants another EHLO name: CRITICAL, its reply quoted" 2 \
    '^OCSP STAPLE CRITICAL - STARTTLS preamble failed: smtp: EHLO: 501 5\.5\.4 not the name expected' \
    -S smtp -H localhost -p "$othername_port" "${ca[@]}"

finish
