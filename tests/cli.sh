#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# cli.sh - the command line. A table of bad command lines over every option
# (missing, empty and option-like values, wrong types, out-of-range numbers,
# malformed ranges, conflicting options, unreadable files): each exits 3
# (UNKNOWN) with exactly one line that names the option. Then --help and
# --version.
. "$(dirname "$0")/lib.sh"
make_pki
F=$T/files
mkdir "$F"
head -c 1048577 /dev/zero >"$F/big.der" # one byte more than 1 MiB
: >"$F/empty.pem"
printf -- '-----BEGIN OCSP RESPONSE-----\n!!!\n-----END OCSP RESPONSE-----\n' >"$F/armour.pem"

declare -A rows=()
# bad OPTION DESC REGEX ARGS...: a row of the table. The plugin, run with
# ARGS, exits 3 with one line, "OCSP STAPLE UNKNOWN - " then REGEX, which
# must name OPTION.
bad() {
    local option=$1 desc=$2 regex=$3
    shift 3
    rows[$option]=$((${rows[$option]:-0} + 1))
    # A bad command line ends with the pointer to --help; a file or setting
    # that cannot be used ("cannot ...") is a failed check, with perfdata.
    [[ $regex == cannot* || $regex == *"$usage_hint" ]] || regex+=".*$usage_hint"
    expect "$option: $desc" 3 "^OCSP STAPLE UNKNOWN - $regex" "$@"
    check "$option: $desc: one line only" test "$(printf '%s\n' "$LAST_OUTPUT" | wc -l)" -eq 1
    check "$option: $desc: the line names $option" grep -qF -- "$option" <<<"$LAST_OUTPUT"
}
usage_hint=" \(see 'check_ocsp_staple --help'\)$"
online=(-H localhost)
offline=(--response "$PKI/good.der" --cert "$PKI/leaf-chain.pem")

# -H/--hostname
bad -H "no arguments" "-H/--hostname is required.*$usage_hint"
bad -H "missing with other options" "-H/--hostname is required" -p 443
bad -H "value left out at the end" "-H/--hostname needs a value$usage_hint" -H
bad -H "value left out, long form" "-H/--hostname needs a value" --hostname
bad -H "value left out before another option" \
    "-H/--hostname needs a value \('-p' looks like an option\)" -H -p 443
bad -H "empty" "-H/--hostname: the host name is empty" -H ''
bad -H "empty, --hostname=" "-H/--hostname: the host name is empty" --hostname=
bad -H "with a blank" "-H/--hostname: 'a b' is not a valid host name" -H 'a b'
bad -H "with a newline" "-H/--hostname: 'a\?b' is not a valid host name" -H $'a\nb'
bad -H "with offline mode" "--response \(offline mode\) cannot be combined with -H" -H h "${offline[@]}"
# -p/--port
bad -p "value left out" "-p/--port needs a value" -H h -p
bad -p "0" "-p/--port: '0' is not a port number \(1-65535\)" -H h -p 0
bad -p "65536" "-p/--port: '65536' is not a port number" -H h -p 65536
bad -p "negative" "-p/--port: '-1' is not a port number" -H h -p -1
bad -p "a service name" "-p/--port: 'https' is not a port number" -H h -p https
bad -p "trailing text" "-p/--port: '443x' is not a port number" -H h -p 443x
bad -p "leading blank" "-p/--port: ' 443' is not a port number" -H h -p ' 443'
bad -p "a sign" "-p/--port: '\+443' is not a port number" -H h --port=+443
bad -p "absurd" "-p/--port: '99999999999999999999' is not a port number" -H h -p 99999999999999999999
bad -p "empty" "-p/--port: '' is not a port number" -H h -p ''
bad -p "with a newline" "-p/--port: '1\?2' is not a port number" -H h -p $'1\n2'
# -I/--ip-address
bad -I "value left out" "-I/--ip-address needs a value" -H h -I
bad -I "value left out before another option" "-I/--ip-address needs a value \('-4' looks" -H h -I -4
bad -I "empty" "-I/--ip-address: the address is empty" -H h -I ''
bad -I "with a blank" "-I/--ip-address: '127.0.0.1 ' is not a valid address" -H h -I '127.0.0.1 '
bad -I "with offline mode" "--response \(offline mode\) cannot be combined with -H, -I" -I 127.0.0.1 "${offline[@]}"
long=$(printf 'a%.0s' {1..256})
bad -H "a comma (a list belongs to -I)" "-H/--hostname: 'a,b' holds a comma: one name or address here, a list of addresses with -I" -H a,b
bad -H "longer than 255 bytes" "-H/--hostname: 'a{64}\\.\\.\\.' is longer than 255 bytes" -H "$long"

# --sni
bad --sni "value left out" "--sni needs a value" -H h --sni
bad --sni "empty" "--sni: the host name is empty" -H h --sni ''
bad --sni "an IPv4 address" "--sni: '127.0.0.1' is an IP address; SNI carries host names only" -H h --sni 127.0.0.1
bad --sni "an IPv6 address" "--sni: '::1' is an IP address" -H h --sni ::1
bad --sni "with a control character" "--sni: 'a\?b' is not a valid host name" -H h --sni $'a\001b'
bad --sni "longer than 255 bytes, found before connecting" "--sni: 'a{64}\\.\\.\\.' is longer than 255 bytes" -H h --sni "$long"
bad --sni "with offline mode" "--response \(offline mode\) cannot be combined with -H, -I, --sni" --sni h "${offline[@]}"
# -4/--ipv4, -6/--ipv6
bad -4 "with -6" "-4 and -6 cannot be combined" -H h -4 -6
bad -4 "with an IPv6 literal" "-4 cannot reach the IPv6 address ::1" -H ::1 -4
bad -4 "with an IPv6 literal in -I" "-4 cannot reach the IPv6 address ::1" -H h -I ::1 -4
bad -4 "given a value" "-4/--ipv4 takes no value" -H h --ipv4=yes
bad -4 "with offline mode" "--response \(offline mode\) cannot be combined with -H, -I, --sni, -4" -4 "${offline[@]}"
bad -6 "with -4" "-4 and -6 cannot be combined" -H h -6 -4
bad -6 "with an IPv4 literal" "-6 cannot reach the IPv4 address 127\\.0\\.0\\.1" -H 127.0.0.1 -6
bad -6 "given a value" "-6/--ipv6 takes no value" -H h --ipv6=
bad -6 "with offline mode" "--response \(offline mode\) cannot be combined with .*-6" "${offline[@]}" -6
bad --ipv "an ambiguous abbreviation" "option '--ipv' is ambiguous: --ipv4, --ipv6" -H h --ipv
# -S/--starttls
bad -S "value left out" "-S/--starttls needs a value" -H h -S
bad -S "not a protocol" "-S/--starttls: 'smtps' is not one of smtp, submission, lmtp, imap, pop3, ftp, xmpp, xmpp-server, ldap, postgres, sieve, nntp" \
    -H h -S smtps
bad -S "empty" "-S/--starttls: '' is not one of" -H h -S ''
bad -S "with offline mode" "-S/--starttls belongs to the online check: it cannot be combined with --response" \
    "${offline[@]}" -S smtp
# -A/--all-addresses
bad -A "given a value" "-A/--all-addresses takes no value" -H h --all-addresses=yes
bad -A "with offline mode" "-A/--all-addresses belongs to the online check" "${offline[@]}" -A
# --retries, --retry-delay
bad --retries "value left out" "--retries needs a value" -H h --retries
bad --retries "negative" "--retries: '-1' is not a number from 0 to 100" -H h --retries -1
bad --retries "too many" "--retries: '101' is not a number from 0 to 100" -H h --retries 101
bad --retries "not a number" "--retries: 'some' is not a number" -H h --retries some
bad --retries "a fraction" "--retries: '1.5' is not a number" -H h --retries 1.5
bad --retries "with offline mode" "--retries belongs to the online check" "${offline[@]}" --retries 2
bad --retry-delay "value left out" "--retry-delay needs a value" -H h --retry-delay
bad --retry-delay "negative" "--retry-delay: '-1' is not a number of seconds from 0 to 3600" -H h --retry-delay -1
bad --retry-delay "not a number" "--retry-delay: 'later' is not a number of seconds" -H h --retry-delay later
bad --retry-delay "beyond an hour" "--retry-delay: '2h' is not a number of seconds" -H h --retry-delay 2h
bad --retry-delay "with offline mode" "--retry-delay belongs to the online check" "${offline[@]}" --retry-delay 3
bad --retry-delay "its default value with offline mode" "--retry-delay belongs to the online check" \
    "${offline[@]}" --retry-delay 1
# --output-format
bad --output-format "value left out" "--output-format needs a value" -H h --output-format
bad --output-format "an unknown format" "--output-format: 'xml' is not an output format \(default, one-line or json\)" -H h --output-format xml
# --expiry-warning, --expiry-critical
bad --expiry-warning "value left out" "--expiry-warning needs a value" -H h --expiry-warning
bad --expiry-warning "not a range" "--expiry-warning: 'soon' is not a range" -H h --expiry-warning soon
bad --expiry-critical "not a range" "--expiry-critical: '1x' is not a range" -H h --expiry-critical 1x
bad --expiry-critical "value left out" "--expiry-critical needs a value" -H h --expiry-critical
# --all-certificates, --handshakes
bad --all-certificates "given a value" "--all-certificates takes no value" -H h --all-certificates=yes
bad --all-certificates "with offline mode" "--all-certificates belongs to the online check" \
    "${offline[@]}" --all-certificates
bad --handshakes "value left out" "--handshakes needs a value" -H h --handshakes
bad --handshakes "zero" "--handshakes: '0' is not a number from 1 to 32" -H h --handshakes 0
bad --handshakes "too many" "--handshakes: '33' is not a number from 1 to 32" -H h --handshakes 33
bad --handshakes "not a number" "--handshakes: 'four' is not a number from 1 to 32" -H h --handshakes four
bad --handshakes "with offline mode" "--handshakes belongs to the online check" "${offline[@]}" --handshakes 2
# --tls-min, --tls-max
bad --tls-min "value left out" "--tls-min needs a value" -H h --tls-min
bad --tls-min "TLS 1.1" "--tls-min: '1.1' is not a TLS version \(1.2 or 1.3\)" -H h --tls-min 1.1
bad --tls-min "above --tls-max" "--tls-min cannot be above --tls-max" -H h --tls-min 1.3 --tls-max 1.2
bad --tls-min "with offline mode" "--tls-min belongs to the online check" "${offline[@]}" --tls-min 1.2
bad --tls-max "value left out" "--tls-max needs a value" -H h --tls-max
bad --tls-max "OpenSSL's spelling" "--tls-max: 'TLSv1.3' is not a TLS version" -H h --tls-max TLSv1.3
bad --tls-max "empty" "--tls-max: '' is not a TLS version" -H h --tls-max ''
bad --tls-max "with offline mode" "--tls-max belongs to the online check" "${offline[@]}" --tls-max 1.3
# --ciphers, --ciphersuites, --groups (passed to OpenSSL, which judges them)
bad --ciphers "value left out" "--ciphers needs a value" -H h --ciphers
bad --ciphers "a list OpenSSL does not know" "--ciphers: OpenSSL does not accept 'NO-SUCH-CIPHER'" -H h --ciphers NO-SUCH-CIPHER
bad --ciphers "with a control character" "--ciphers: OpenSSL does not accept 'HIG\?:-'" -H h --ciphers $'HIG\032:-'
bad --ciphers "empty" "--ciphers: OpenSSL does not accept ''" -H h --ciphers ''
bad --ciphers "with offline mode" "--ciphers belongs to the online check" "${offline[@]}" --ciphers HIGH
bad --ciphersuites "value left out" "--ciphersuites needs a value" -H h --ciphersuites
bad --ciphersuites "a suite OpenSSL does not know" "--ciphersuites: OpenSSL does not accept 'TLS_NOPE'" -H h --ciphersuites TLS_NOPE
bad --ciphersuites "with offline mode" "--ciphersuites belongs to the online check" \
    "${offline[@]}" --ciphersuites TLS_AES_128_GCM_SHA256
bad --groups "value left out" "--groups needs a value" -H h --groups
bad --groups "a group OpenSSL does not know" "--groups: OpenSSL does not accept 'P-999'" -H h --groups P-999
bad --groups "with offline mode" "--groups belongs to the online check" "${offline[@]}" --groups X25519
# --client-cert, --client-key
bad --client-cert "value left out" "--client-cert needs a value" -H h --client-cert
bad --client-cert "empty" "--client-cert: the file name is empty" -H h --client-cert ''
bad --client-cert "missing file" "cannot use the TLS settings given: --client-cert $F/none.pem: No such file or directory" \
    -H localhost -I 127.0.0.1 -p 1 --client-cert "$F/none.pem"
bad --client-cert "no certificate in it" "cannot use the TLS settings given: --client-cert $F/empty.pem: no certificate in it" \
    -H localhost -I 127.0.0.1 -p 1 --client-cert "$F/empty.pem"
bad --client-cert "with offline mode" "--client-cert belongs to the online check" "${offline[@]}" --client-cert c
bad --client-key "value left out" "--client-key needs a value" -H h --client-cert c --client-key
bad --client-key "without --client-cert" "--client-key needs --client-cert FILE" -H h --client-key k.pem
bad --client-key "missing file" "cannot use the TLS settings given: --client-key $F/none.key: No such file or directory" \
    -H localhost -I 127.0.0.1 -p 1 --client-cert "$PKI/leaf.pem" --client-key "$F/none.key"
bad --client-key "no key in it" "cannot use the TLS settings given: --client-key $PKI/leaf.pem: no private key in it" \
    -H localhost -I 127.0.0.1 -p 1 --client-cert "$PKI/leaf.pem" --client-key "$PKI/leaf.pem"
bad --client-key "another certificate's key" "cannot use the TLS settings given: --client-key $PKI/leaf-ec.key: the key does not belong to the certificate in $PKI/leaf.pem" \
    -H localhost -I 127.0.0.1 -p 1 --client-cert "$PKI/leaf.pem" --client-key "$PKI/leaf-ec.key"
bad --client-key "with offline mode" "--client-key belongs to the online check" "${offline[@]}" --client-key k
# -C/--ca-file
bad -C "value left out" "-C/--ca-file needs a value" -H h -C
bad -C "value left out before another option" "-C/--ca-file needs a value \('-w' looks" -H h -C -w 1d
bad -C "empty" "-C/--ca-file: the file name is empty" -H h --ca-file ''
bad -C "missing file" "cannot load the trust anchors: -C $F/none.pem: No such file or directory" \
    "${offline[@]}" -C "$F/none.pem"
bad -C "no certificate in it" "cannot load the trust anchors: -C $F/empty.pem: no certificate or crl found" \
    "${offline[@]}" -C "$F/empty.pem"
bad -C "a directory" "cannot load the trust anchors: -C $F: " "${offline[@]}" -C "$F"
# --ca-path
bad --ca-path "value left out" "--ca-path needs a value" -H h --ca-path
bad --ca-path "empty" "--ca-path: the directory name is empty" -H h --ca-path=
bad --ca-path "no directory" "cannot load the trust anchors: --ca-path $PKI/root.pem: not a readable directory" \
    "${offline[@]}" --ca-path "$PKI/root.pem"
bad --ca-path "missing" "cannot load the trust anchors: --ca-path $F/none: not a readable directory" \
    "${offline[@]}" --ca-path "$F/none"
# -w/--warning, -c/--critical, --age-warning, --age-critical
bad -w "value left out" "-w/--warning needs a value" -H h -w
bad -w "not a range" "-w/--warning: 'soon' is not a range" -H h -w soon
bad -w "empty" "-w/--warning: '' is not a range" -H h -w ''
bad -w "inverted" "-w/--warning: '1d:1h' is not a range" -H h -w 1d:1h
bad -w "beyond 100 years" "-w/--warning: '99999999999999999999999' is not a range" -H h -w 99999999999999999999999
bad -w "exponent" "-w/--warning: '1e3' is not a range" -H h --warning=1e3
bad -c "value left out" "-c/--critical needs a value" -H h --critical
bad -c "inverted" "-c/--critical: '10:5' is not a range" -H h -c 10:5
bad -c "finer than a millisecond" "-c/--critical: '0.0000001' is not a range" -H h -c 0.0000001
bad -c "only @" "-c/--critical: '@' is not a range" -H h -c @
bad -c "an option as the value" "-c/--critical: '-w' is not a range" -H h -c -w 1d
bad --age-warning "value left out" "--age-warning needs a value" -H h --age-warning
bad --age-warning "unknown unit" "--age-warning: '3w' is not a range" -H h --age-warning 3w
bad --age-warning "two colons" "--age-warning: '1:2:3' is not a range" -H h --age-warning 1:2:3
bad --age-critical "value left out" "--age-critical needs a value" -H h --age-critical
bad --age-critical "only @" "--age-critical: '@' is not a range" -H h --age-critical @
bad --age-critical "infinity" "--age-critical: 'inf' is not a range" -H h --age-critical inf
# --skew
bad --skew "value left out" "--skew needs a value" -H h --skew
bad --skew "negative" "--skew: '-1' is not a number of seconds from 0 to 7d" -H h --skew -1
bad --skew "not a number" "--skew: 'x' is not a number of seconds" -H h --skew x
bad --skew "beyond 7 days" "--skew: '8d' is not a number of seconds from 0 to 7d" -H h --skew 8d
bad --skew "a range" "--skew: '1:2' is not a number of seconds" -H h --skew 1:2
# -t/--timeout
bad -t "value left out" "-t/--timeout needs a value" -H h -t
bad -t "0" "-t/--timeout: '0' is not a number of seconds from 1 to 3600" -H h -t 0
bad -t "negative" "-t/--timeout: '-5' is not a number of seconds" -H h -t -5
bad -t "absurd" "-t/--timeout: '999999' is not a number of seconds" -H h -t 999999
bad -t "beyond an hour with a unit" "-t/--timeout: '2h' is not a number of seconds" -H h --timeout=2h
bad -t "not a number" "-t/--timeout: 'soon' is not a number of seconds" -H h -t soon
bad -t "a bad state" "-t/--timeout: 'BOGUS' is not a state" -H h -t 10:BOGUS
bad -t "an empty state" "-t/--timeout: '' is not a state" -H h -t 10:
bad -t "no seconds before the state" "-t/--timeout: ':WARNING' is not a number of seconds" -H h -t :WARNING
bad -t "very long" "-t/--timeout: '1{64}\.\.\.' is too long" -H h -t "$(printf '1%.0s' {1..100})"
# --response, --cert, --issuer
bad --response "value left out" "--response needs a value" --response
bad --response "value left out before another option" "--response needs a value \('--cert' looks like an option\)" \
    --response --cert "$PKI/leaf.pem"
bad --response "empty" "--response: the file name is empty" --response '' --cert "$PKI/leaf.pem"
bad --response "without --cert" "--response needs --cert FILE" --response r
bad --response "missing file" "cannot read the OCSP response file: --response $F/none.der: No such file or directory" \
    --response "$F/none.der" --cert "$PKI/leaf.pem"
bad --response "a directory" "cannot read the OCSP response file: --response $F: Is a directory" \
    --response "$F" --cert "$PKI/leaf.pem"
bad --response "larger than 1 MiB" "cannot read the OCSP response file: --response $F/big.der: larger than 1 MiB" \
    --response "$F/big.der" --cert "$PKI/leaf.pem"
bad --response "PEM armour around no base64" "cannot read the OCSP response file: --response $F/armour.pem: PEM armour without valid base64" \
    --response "$F/armour.pem" --cert "$PKI/leaf.pem"
bad --cert "value left out" "--cert needs a value" --response r --cert
bad --cert "empty" "--cert: the file name is empty" --response r --cert=
bad --cert "without --response" "--cert and --issuer belong to offline mode: add --response FILE" -H h --cert c
bad --cert "missing file" "cannot read the certificate file: --cert $F/none.pem: No such file or directory" \
    --response "$PKI/good.der" --cert "$F/none.pem"
bad --cert "no certificate in it" "cannot read the certificate file: --cert $PKI/good.der: no certificate in it" \
    --response "$PKI/good.der" --cert "$PKI/good.der"
bad --issuer "value left out" "--issuer needs a value" "${offline[@]}" --issuer
bad --issuer "empty" "--issuer: the file name is empty" "${offline[@]}" --issuer ''
bad --issuer "without --response" "--cert and --issuer belong to offline mode" -H h --issuer i
bad --issuer "missing file" "cannot read the certificate file: --issuer $F/none.pem: No such file or directory" \
    "${offline[@]}" --issuer "$F/none.pem"
bad --issuer "no certificate in it" "cannot read the certificate file: --issuer $F/empty.pem: no certificate in it" \
    "${offline[@]}" --issuer "$F/empty.pem"
# --now
bad --now "value left out" "--now needs a value" -H h --now
bad --now "not a number" "--now: 'yesterday' is not a time in seconds since 1970" -H h --now yesterday
bad --now "negative" "--now: '-1' is not a time" -H h --now -1
bad --now "after the year 9999" "--now: '253402300800' is not a time in seconds since 1970 \(up to 253402300799" \
    -H h --now 253402300800
bad --now "at the end of time_t" "--now: '9223372036854775807' is not a time" -H h --now 9223372036854775807
bad --now "beyond time_t" "--now: '99999999999999999999' is not a time" -H h --now 99999999999999999999
bad --now "a fraction" "--now: '1.5' is not a time" -H h --now 1.5
# --no-staple, --no-ocsp-url, --no-next-update
bad --no-staple "value left out" "--no-staple needs a value" -H h --no-staple
bad --no-staple "not a state" "--no-staple: 'MAYBE' is not a state \(OK, WARNING, CRITICAL or UNKNOWN\)" -H h --no-staple MAYBE
bad --no-staple "out of range" "--no-staple: '4' is not a state" -H h --no-staple 4
bad --no-ocsp-url "value left out" "--no-ocsp-url needs a value" -H h --no-ocsp-url
bad --no-ocsp-url "not a state" "--no-ocsp-url: '5' is not a state" -H h --no-ocsp-url 5
bad --no-ocsp-url "negative" "--no-ocsp-url: '-1' is not a state" -H h --no-ocsp-url -1
bad --no-next-update "value left out" "--no-next-update needs a value" -H h --no-next-update
bad --no-next-update "empty" "--no-next-update: '' is not a state" -H h --no-next-update ''
bad --no "an ambiguous abbreviation" "option '--no' is ambiguous: --now, --no-staple, --no-ocsp-url, --no-next-update" \
    -H h --no OK
# --responder and what belongs to it
bad --responder "given a value" "--responder takes no value" -H h --responder=yes
bad --responder-url "value left out" "--responder-url needs a value" -H h --responder-url
bad --responder-url "empty" "--responder-url: the URL is empty" -H h --responder-url ''
bad --responder-url "not a URL" "--responder-url: 'http://' is not a URL" -H h --responder-url http://
bad --responder-url "https" "--responder-url: 'https://ocsp.example/': only http:// URLs are supported" \
    -H h --responder-url https://ocsp.example/
bad --responder-url "a bad port" "--responder-url: 'http://h:99999/' is not a URL" -H h --responder-url http://h:99999/
bad --proxy "without --responder or --crl" "--proxy belongs to --responder and --crl: add one of them" -H h --proxy http://p:3128
bad --proxy "not a URL" "--proxy: 'ftp://p/' is not a URL" -H h --responder --proxy ftp://p/
bad --proxy "empty" "--proxy: the URL is empty" -H h --responder --proxy ''
bad --lag-warning "without --responder" "--lag-warning belongs to --responder" -H h --lag-warning 1d
bad --lag-warning "not a range" "--lag-warning: '1x' is not a range" -H h --responder --lag-warning 1x
bad --lag-critical "without --responder" "--lag-critical belongs to --responder" "${offline[@]}" --lag-critical 1d
bad --lag-critical "not a range" "--lag-critical: '@' is not a range" -H h --responder --lag-critical @
bad --responder-failure "without --responder" "--responder-failure belongs to --responder" -H h --responder-failure OK
bad --responder-failure "not a state" "--responder-failure: 'LOUD' is not a state" -H h --responder --responder-failure LOUD
bad --cache-dir "without --responder or --crl" "--cache-dir belongs to --responder and --crl" -H h --cache-dir /tmp
bad --crl "given a value" "--crl takes no value" -H h --crl=yes
bad --crl-file "value left out" "--crl-file needs a value" -H h --crl-file
bad --crl-file "empty" "--crl-file: the file name is empty" -H h --crl-file ''
bad --crl-file "unreadable" "cannot read the CRL file: --crl-file $F/none.crl: No such file or directory" \
    "${offline[@]}" -C "$PKI/root.pem" --crl-file "$F/none.crl"
bad --crl-failure "without --crl" "--crl-failure belongs to --crl: add --crl" -H h --crl-failure OK
bad --crl-failure "not a state" "--crl-failure: 'SOON' is not a state" -H h --crl --crl-failure SOON
bad --crl-max-size "without --crl" "--crl-max-size belongs to --crl" -H h --crl-max-size 1M
bad --crl-max-size "not a size" "--crl-max-size: '1T' is not a size" -H h --crl --crl-max-size 1T
bad --crl-max-size "zero" "--crl-max-size: '0' is not a size" -H h --crl --crl-max-size 0
bad --crl-max-size "too large" "--crl-max-size: '5G' is not a size" -H h --crl --crl-max-size 5G
bad --cache-dir "empty" "--cache-dir: the directory name is empty" -H h --responder --cache-dir ''
bad --cache-dir "not a directory" "cannot use the cache directory: --cache-dir $PKI/good.der is not a directory" \
    "${offline[@]}" -C "$PKI/root.pem" --responder --cache-dir "$PKI/good.der"
bad --cache-dir "missing parent" "cannot use the cache directory: --cache-dir $F/no/such: No such file or directory" \
    "${offline[@]}" -C "$PKI/root.pem" --responder --cache-dir "$F/no/such"
# -v, -V, -h
bad -v "given a value" "-v/--verbose takes no value" -H h --verbose=3
bad -V "given a value" "-V/--version takes no value" --version=1
bad -h "given a value" "-h/--help takes no value" --help=all
# Words that are no option.
bad --bogus "an unknown long option" "unknown option '--bogus'" -H h --bogus
bad --bogus "an unknown long option with a value" "unknown option '--bogus'$usage_hint" -H h --bogus=1
bad -x "an unknown short option" "unknown option '-x'" -H h -x
bad -x "an unknown short option in a cluster" "unknown option '-x'" -H h -vx
bad extra "a stray argument" "unexpected argument 'extra'" -H h extra

expect "-v adds the long output to an unreadable file" 3 "^OCSP STAPLE UNKNOWN - cannot read the certificate file" \
    --response "$PKI/good.der" --cert "$F/none.pem" -v
check "-v adds the long output: Failed line" grep -q '^Failed: cannot read the certificate file \[read-cert\]' <<<"$LAST_OUTPUT"

expect_run "--help exits 3 (UNKNOWN), as the Monitoring Plugins' own do" 3 '^check_ocsp_staple [0-9]' "$PLUGIN" --help
help=$LAST_OUTPUT
# Every option --help lists has rows in the table: by its short form where
# it has one (" -H, --hostname=HOST"), else by its long form.
options=()
while read -r short long; do
    options+=("${short:-$long}")
done < <(sed -nE 's/^ (-[[:alnum:]]), (--[a-z0-9-]+).*/\1 \2/p; s/^ (--[a-z0-9-]+).*/ \1/p' <<<"$help")
check "--help lists options (${#options[@]})" test "${#options[@]}" -ge 35
for option in "${options[@]}"; do
    check "the table has rows for $option (${rows[$option]:-0})" test "${rows[$option]:-0}" -gt 0
done
check "--help explains the bare-number threshold rule" grep -q 'a bare N means N:' <<<"$help"
for proto in smtp submission lmtp imap pop3 ftp xmpp xmpp-server ldap postgres sieve nntp; do
    check "--help names the STARTTLS protocol $proto" grep -Eq "(^| )$proto( |,|$)" <<<"$help"
done
expect_run "-h exits 3" 3 '^check_ocsp_staple [0-9]' "$PLUGIN" -h
expect_run "--version prints the version and the OpenSSL it runs with" 3 '^check_ocsp_staple [0-9]+\.[0-9]+\.[0-9]+ \(OpenSSL 3\.[0-9]+\.[0-9]+ [^()]*\)$' "$PLUGIN" --version
version_text=$("$PLUGIN" --version)
check "--version exits 3 (UNKNOWN)" test $? -eq 3
check "--version names the license as GNU programs do" grep -qx \
    'License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.' <<<"$version_text"
expect_run "-V prints the version" 3 '^check_ocsp_staple [0-9]' "$PLUGIN" -V

finish
