#!/bin/bash
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
# --sni
bad --sni "value left out" "--sni needs a value" -H h --sni
bad --sni "empty" "--sni: the host name is empty" -H h --sni ''
bad --sni "an IPv4 address" "--sni: '127.0.0.1' is an IP address; SNI carries host names only" -H h --sni 127.0.0.1
bad --sni "an IPv6 address" "--sni: '::1' is an IP address" -H h --sni ::1
bad --sni "with a control character" "--sni: 'a\?b' is not a valid host name" -H h --sni $'a\001b'
bad --sni "with offline mode" "--response \(offline mode\) cannot be combined with -H, -I, --sni" --sni h "${offline[@]}"
# -4/--ipv4, -6/--ipv6
bad -4 "with -6" "-4 and -6 cannot be combined" -H h -4 -6
bad -4 "given a value" "-4/--ipv4 takes no value" -H h --ipv4=yes
bad -4 "with offline mode" "--response \(offline mode\) cannot be combined with -H, -I, --sni, -4" -4 "${offline[@]}"
bad -6 "with -4" "-4 and -6 cannot be combined" -H h -6 -4
bad -6 "given a value" "-6/--ipv6 takes no value" -H h --ipv6=
bad -6 "with offline mode" "--response \(offline mode\) cannot be combined with .*-6" "${offline[@]}" -6
bad --ipv "an ambiguous abbreviation" "option '--ipv' is ambiguous: --ipv4, --ipv6" -H h --ipv
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

# Every option has rows in the table.
options=(-H -p -I --sni -4 -6 -C --ca-path -w -c --age-warning --age-critical --skew -t
    --response --cert --issuer --now --no-staple --no-ocsp-url --no-next-update -v -V -h)
for option in "${options[@]}"; do
    check "the table has rows for $option (${rows[$option]:-0})" test "${rows[$option]:-0}" -gt 0
done

expect_run "--help exits 0" 0 '^check_ocsp_staple [0-9]' "$PLUGIN" --help
help=$LAST_OUTPUT
for option in hostname port ip-address sni ipv4 ipv6 ca-file ca-path warning critical \
    age-warning age-critical skew timeout response cert issuer now no-staple no-ocsp-url \
    no-next-update verbose version help; do
    check "--help documents --$option" grep -q -- "--$option" <<<"$help"
done
check "--help explains the bare-number threshold rule" grep -q 'a bare N means N:' <<<"$help"
expect_run "-h exits 0" 0 '^check_ocsp_staple [0-9]' "$PLUGIN" -h
expect_run "--version prints the version" 0 '^check_ocsp_staple [0-9]+\.[0-9]+\.[0-9]+$' "$PLUGIN" --version
expect_run "-V prints the version" 0 '^check_ocsp_staple [0-9]' "$PLUGIN" -V

finish
