#!/bin/bash
# cli.sh - the command line: every bad one exits 3 (UNKNOWN) with one line
# that names the problem; --help and --version behave.
. "$(dirname "$0")/lib.sh"

# bad DESC REGEX ARGS...: exit 3, exactly one line, matching REGEX.
bad() {
    local desc=$1 regex=$2
    shift 2
    expect "$desc" 3 "^OCSP STAPLE UNKNOWN - $regex.* \(see 'check_ocsp_staple --help'\)$" "$@"
    check "$desc: one line only" test "$(printf '%s\n' "$LAST_OUTPUT" | wc -l)" -eq 1
}

bad "no arguments" "-H/--hostname is required"
bad "missing -H" "-H/--hostname is required" -p 443
bad "empty host" "-H/--hostname: the host name is empty" -H ''
bad "port 0" "-p/--port: '0' is not a port number \(1-65535\)" -H h -p 0
bad "port 65536" "-p/--port: '65536' is not a port number" -H h -p 65536
bad "port not a number" "-p/--port: 'https' is not a port number" -H h -p https
bad "port with trailing text" "-p/--port: '443x' is not a port number" -H h -p 443x
bad "port with a newline" "-p/--port: '1\?2' is not a port number" -H h -p $'1\n2'
bad "negative port" "-p/--port: '-1' is not a port number" -H h -p -1
bad "bad warning range" "-w/--warning: 'soon' is not a range" -H h -w soon
bad "inverted critical range" "-c/--critical: '10:5' is not a range" -H h -c 10:5
bad "empty warning range" "-w/--warning: '' is not a range" -H h -w ''
bad "unknown unit" "--age-warning: '3w' is not a range" -H h --age-warning 3w
bad "bad age critical" "--age-critical: '@' is not a range" -H h --age-critical @
bad "range beyond 100 years" "-w/--warning: '99999999999999999999999' is not a range" -H h -w 99999999999999999999999
bad "range finer than a millisecond" "-c/--critical: '0.0000001' is not a range" -H h -c 0.0000001
bad "unknown long option" "unknown option '--bogus'" -H h --bogus
bad "unknown short option" "unknown option '-x'" -H h -x
bad "missing option value" "option '-H' needs a value" -H
bad "missing long option value" "option '--response' needs a value" --response
bad "stray argument" "unexpected argument 'extra'" -H h extra
bad "-4 with -6" "-4 and -6 cannot be combined" -H h -4 -6
bad "timeout 0" "-t/--timeout: '0' is not a number of seconds from 1 to 3600" -H h -t 0
bad "negative timeout" "-t/--timeout: '-5' is not a number of seconds" -H h -t -5
bad "absurd timeout" "-t/--timeout: '999999' is not a number of seconds" -H h -t 999999
bad "timeout not a number" "-t/--timeout: 'soon' is not a number of seconds" -H h -t soon
bad "timeout with a bad state" "-t/--timeout: 'BOGUS' is not a state" -H h -t 10:BOGUS
bad "negative skew" "--skew: '-1' is not a number of seconds from 0 to 7d" -H h --skew -1
bad "skew not a number" "--skew: 'x' is not a number of seconds" -H h --skew x
bad "--now not a number" "--now: 'yesterday' is not a time in seconds since 1970" -H h --now yesterday
bad "--now after the year 9999" "--now: '253402300800' is not a time in seconds since 1970 \(up to 253402300799" \
    -H h --now 253402300800
bad "--now at the end of time_t" "--now: '9223372036854775807' is not a time" -H h --now 9223372036854775807
bad "--no-staple bad state" "--no-staple: 'MAYBE' is not a state" -H h --no-staple MAYBE
bad "--no-ocsp-url bad state" "--no-ocsp-url: '5' is not a state" -H h --no-ocsp-url 5
bad "--no-next-update bad state" "--no-next-update: '' is not a state" -H h --no-next-update ''
bad "offline and online together" "--response \(offline mode\) cannot be combined with -H, -I, --sni, -4 or -6" \
    -H h --response r --cert c
bad "offline with -6" "--response \(offline mode\) cannot be combined" --response r --cert c -6
bad "--cert without --response" "--cert and --issuer belong to offline mode: add --response FILE" -H h --cert c
bad "--issuer without --response" "--cert and --issuer belong to offline mode" -H h --issuer i
bad "--response without --cert" "--response needs --cert FILE" --response r

# Files that cannot be read are the operator's problem: UNKNOWN, one line
# that names the option.
make_pki
# unreadable DESC REGEX ARGS...
unreadable() {
    local desc=$1 regex=$2
    shift 2
    expect "$desc" 3 "^OCSP STAPLE UNKNOWN - $regex \| time=[0-9.]+s$" "$@"
    check "$desc: one line only" test "$(printf '%s\n' "$LAST_OUTPUT" | wc -l)" -eq 1
}
unreadable "unreadable response file" "cannot read the OCSP response file: --response $T/none.der: No such file or directory" \
    --response "$T/none.der" --cert "$PKI/leaf.pem"
unreadable "response file that is a directory" "cannot read the OCSP response file: --response $PKI: Is a directory" \
    --response "$PKI" --cert "$PKI/leaf.pem"
unreadable "unreadable certificate file" "cannot read the certificate file: --cert $T/none.pem: No such file or directory" \
    --response "$PKI/good.der" --cert "$T/none.pem"
unreadable "certificate file without a certificate" "cannot read the certificate file: --cert $PKI/good.der: no certificate in it" \
    --response "$PKI/good.der" --cert "$PKI/good.der"
unreadable "unreadable issuer file" "cannot read the certificate file: --issuer $T/none.pem: No such file or directory" \
    --response "$PKI/good.der" --cert "$PKI/leaf.pem" --issuer "$T/none.pem"
unreadable "unreadable CA file" "cannot load the trust anchors: -C $T/none.pem: No such file or directory" \
    --response "$PKI/good.der" --cert "$PKI/leaf-chain.pem" -C "$T/none.pem"
unreadable "CA path that is no directory" "cannot load the trust anchors: --ca-path $PKI/root.pem: not a readable directory" \
    --response "$PKI/good.der" --cert "$PKI/leaf-chain.pem" --ca-path "$PKI/root.pem"
expect "-v adds the long output" 3 "^OCSP STAPLE UNKNOWN - cannot read the certificate file" \
    --response "$PKI/good.der" --cert "$T/none.pem" -v
check "-v adds the long output: Failed line" grep -q '^Failed: cannot read the certificate file \[read-cert\]' <<<"$LAST_OUTPUT"

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
