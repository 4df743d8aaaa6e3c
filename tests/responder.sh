#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# responder.sh - --responder (SPEC 7): the live answer of real OCSP
# responders (openssl ocsp -port, each request printed in its log), beside
# the staple of real servers (nginx, Apache, gnutls-serv) and of files; a
# second responder with its own index; a real HTTP proxy (tinyproxy);
# hostile responders (hostile-server's http modes, each request logged);
# and --cache-dir.
#
# The scenarios that matter most: nginx keeps stapling its cached good
# answer after the certificate was revoked, and staples nothing at all for
# a certificate revoked before it fetched; the responder says revoked, and
# the plugin says CRITICAL, naming what the server staples. (Apache 2.4
# staples the revoked answer itself.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/servers.sh"
own_network "$@"

responders || exit 99
cd "$PKI" || exit 99
: "${HOSTILE:?}"

# Offline mode: the staple is a file, as HAProxy or nginx would serve it.
off=(--response good.der --cert leaf-chain.pem -C root.pem)
ok_line="^OCSP STAPLE OK - certificate good, next update in $(durations_since_pki 604800), "

# requests NAME: how many requests the responder NAME has answered.
requests() {
    grep -c -e '^ocsp: Received request' -e '^request [0-9]*:' "$T/$1.log"
}
# has_line DESC REGEX: the last output has a line matching REGEX.
has_line() {
    check "$1" grep -Eq -- "$2" <<<"$LAST_OUTPUT"
}

# --- the responder the certificate names -----------------------------------

asked=$(requests ca)
expect "offline: good staple, responder good" 0 \
    "$ok_line.* staple_lag=[0-9]+s responder_time=[0-9.]+s cert_expiry=[0-9]+s time=" "${off[@]}" --responder -vv
has_line "the responder's answer is verified in full" \
    '^Responder checks passed: DER, responseStatus, basic response, signature and signer, CertID, validity window, certificate status$'
has_line "the long output says what the responder says" '^Responder says: good$'
has_line "the long output names the responder and its time" \
    "^Responder: $ca_url, [0-9]+\\.[0-9]{3} s$"
has_line "a short request goes by GET (RFC 5019)" "^responder: asking $ca_url by GET$"
check "the responder was asked once" test "$(requests ca)" -eq $((asked + 1))

expect "offline: revoked staple, responder revoked" 2 \
    '^OCSP STAPLE CRITICAL - certificate revoked \(responder\) since 2024-01-15 12:00:00 UTC, reason keyCompromise; the staple says so too' \
    --response revoked.der --cert leaf-revoked-chain.pem -C root.pem --responder

expect "offline: a certificate without OCSP URL: nothing to ask" 0 \
    '^OCSP STAPLE OK - certificate good' \
    --response good-nourl.der --cert leaf-nourl-chain.pem -C root.pem --responder
has_line "it says so" '^Responder: not asked: the certificate names no OCSP responder to ask$'

long=$(printf 'p%.0s' $(seq 200))
expect "a request whose GET URL passes 255 bytes goes by POST" 0 "$ok_line" \
    "${off[@]}" --responder-url "$ca_url$long" -vv
has_line "it says POST" "^responder: asking $ca_url$long by POST$"

# --- second responders: another signer, another index -------------------

expect "a delegated responder (--responder-url)" 0 "$ok_line" \
    "${off[@]}" --responder-url "$delegated_url" -v
has_line "its signer is named (-v)" '^Responder signed by: CN=COS Test OCSP Responder$'

expect "a responder signing with an unauthorised key: --responder-failure, WARNING" 1 \
    "^OCSP STAPLE WARNING - responder: answer's signer is not trusted: .*\\(CN=COS Unrelated OCSP Responder\\); certificate good, " \
    "${off[@]}" --responder-url "$unrelated_url"

: >"$T/empty-index.txt"
cp index.txt.attr "$T/empty-index.txt.attr"
responder --index "$T/empty-index.txt" empty "$(free_port)" int -ndays 7 || exit 99
expect "a responder answering unknown: WARNING" 1 \
    '^OCSP STAPLE WARNING - responder: responder does not know the certificate \(status unknown\); certificate good' \
    "${off[@]}" --responder-url "$empty_url"

expect "a responder whose answer expired: WARNING" 1 \
    '^OCSP STAPLE WARNING - responder: answer expired: nextUpdate was 3d ago; certificate good' \
    "${off[@]}" --responder-url "$expired_url"

expect "no responder listening: WARNING" 1 \
    "^OCSP STAPLE WARNING - responder: cannot connect: 127\\.0\\.0\\.1:[0-9]+: Connection refused; certificate good" \
    "${off[@]}" --responder-url "$down_url"
expect "--responder-failure CRITICAL" 2 '^OCSP STAPLE CRITICAL - responder: cannot connect' \
    "${off[@]}" --responder-url "$down_url" --responder-failure CRITICAL
expect "--responder-failure OK: the staple's own state, the failure noted" 0 \
    '^OCSP STAPLE OK - certificate good, .*; responder: cannot connect' \
    "${off[@]}" --responder-url "$down_url" --responder-failure OK
expect "a responder failure never hides a CRITICAL staple" 2 \
    '^OCSP STAPLE CRITICAL - staple expired: .*; responder: cannot connect' \
    --response expired.der --cert leaf-chain.pem -C root.pem --responder-url "$down_url"

# A responder with an index of its own, in which the certificate is revoked.
sed 's/^V\t\([0-9Z]*\)\t\t10A0000000000001\t/R\t\1\t250101000000Z,keyCompromise\t10A0000000000001\t/' \
    index.txt >"$T/revoked-index.txt"
cp index.txt.attr "$T/revoked-index.txt.attr"
responder --index "$T/revoked-index.txt" revoking "$(free_port)" int -ndays 7 || exit 99
expect "offline: a good staple, the responder says revoked: CRITICAL" 2 \
    '^OCSP STAPLE CRITICAL - certificate revoked \(responder\) since 2025-01-01 00:00:00 UTC, reason keyCompromise; the server staples a good response from ' \
    "${off[@]}" --responder-url "$revoking_url"
expect "... whatever --responder-failure says" 2 '^OCSP STAPLE CRITICAL - certificate revoked \(responder\)' \
    "${off[@]}" --responder-url "$revoking_url" --responder-failure OK

# staple_lag: the responder's thisUpdate is now, the staple's when the PKI
# was made, seconds ago.
while [ "$(date +%s)" -le $((PKI_MADE + 1)) ]; do sleep 0.2; done
expect "--lag-warning: a staple further behind than allowed" 1 \
    "^OCSP STAPLE WARNING - certificate good, .*; warning: more than 0s behind the responder's answer \\| .* staple_lag=[0-9]+s;~:0;~:864000 " \
    "${off[@]}" --responder --lag-warning 0 --lag-critical 10d -v
has_line "the long output says how far behind (-v)" "^Staple lag: [0-9]+s behind the responder's answer$"
expect "--lag-critical" 2 "^OCSP STAPLE CRITICAL - certificate good, .*; critical: more than 0s behind" \
    "${off[@]}" --responder --lag-critical 0

# --- through a real HTTP proxy -------------------------------------------

tinyproxy proxy || exit 99
via_proxy() {
    grep -c "Request (file descriptor [0-9]*): GET ${ca_url}" "$T/proxy.log"
}
through=$(via_proxy)
expect "--proxy: the fetch goes through the proxy" 0 "$ok_line" "${off[@]}" --responder --proxy "$proxy_url" -v
has_line "the long output names the proxy (-v)" "^Responder: $ca_url via proxy 127\\.0\\.0\\.1:$proxy_port, "
check "the proxy's log has the request" test "$(via_proxy)" -eq $((through + 1))
expect_run "http_proxy from the environment" 0 "$ok_line" \
    env http_proxy="$proxy_url" "$PLUGIN" "${off[@]}" --responder
check "the proxy's log has that request too" test "$(via_proxy)" -eq $((through + 2))
expect_run "no_proxy bypasses it" 0 "$ok_line" \
    env http_proxy="$proxy_url" no_proxy=127.0.0.1 "$PLUGIN" "${off[@]}" --responder -v
has_line "the long output names no proxy (-v)" "^Responder: $ca_url, "
check "the proxy saw nothing of it" test "$(via_proxy)" -eq $((through + 2))
expect_run "--proxy is for every fetch, no_proxy or not" 0 "$ok_line" \
    env no_proxy=127.0.0.1 "$PLUGIN" "${off[@]}" --responder --proxy "$proxy_url"
check "the proxy's log has it" test "$(via_proxy)" -eq $((through + 3))

# --- hostile responders: each ends within -t, named, --responder-failure ----

# hostile NAME MODE [FILE]: a hostile-server in an HTTP mode; sets
# NAME_url.
hostile() {
    local name=$1
    shift
    listener "$name" "$HOSTILE" "$@" || exit 99
    _set "$name" url "http://127.0.0.1:$(eval echo "\$${name//-/_}_port")/"
}
# hostile_case DESC MODE [FILE] REGEX MIN-MS
hostile_case() {
    local desc=$1 mode=$2 file=$3 regex=$4 min=$5 url
    hostile h-${mode#http-} "$mode" ${file:+"$file"}
    url=h_${mode#http-}_url
    url=${url//-/_}
    expect_within "$min" $((2000 + SLACK_MS)) "hostile responder: $desc" 1 \
        "^OCSP STAPLE WARNING - responder: $regex; certificate good" \
        "${off[@]}" --responder-url "${!url}" -t 2
}
hostile_case "never answers" http-silent "" "timeout: waiting for http://127\\.0\\.0\\.1:[0-9]+/" 1900
hostile_case "drips" http-drip "" "timeout: waiting for http://127\\.0\\.0\\.1:[0-9]+/" 1900
hostile_case "headers without end" http-flood "" "timeout: waiting for http://127\\.0\\.0\\.1:[0-9]+/" 1900
hostile_case "HTTP 500" http-500 "" "HTTP error: http://[0-9.:]+/: code=500, reason=Internal Server Error" 0
hostile_case "a 302 redirect, not followed" http-302 "" "redirected elsewhere, which is not followed: http://[0-9.:]+/" 0
hostile_case "a 10 MB body, refused unread" http-huge "" "answer is larger than allowed: http://[0-9.:]+/: length=10485760, max=65536" 0
hostile_case "the wrong content type" http-type good.der "answer has the wrong content type: http://[0-9.:]+/: expected=application/ocsp-response, actual=text/html" 0
hostile_case "garbage" http-garbage "" "answer is not a well-formed OCSP response: http://[0-9.:]+/: the body is not an ASN.1 SEQUENCE" 0
hostile_case "an answer for another certificate" http-file good-ec.der "answer is for another certificate: serial 10A0000000000002, not 10A0000000000001" 0
hostile_case "closes mid-body" http-cut good.der "HTTP exchange failed: http://[0-9.:]+/: the connection ended before the whole answer came" 0

# --- --cache-dir ---------------------------------------------------------

cache=$T/cache
asked=$(requests ca)
expect "--cache-dir: the first run asks (and makes the directory)" 0 \
    "$ok_line.* responder_time=" "${off[@]}" --responder --cache-dir "$cache"
check "the directory is the user's alone (0700)" test "$(stat -c %a "$cache")" = 700
expect "the second run does not" 0 "$ok_line" "${off[@]}" --responder --cache-dir "$cache" -v
has_line "it says the answer was kept (-v)" "^Responder: $ca_url \\(its answer kept in --cache-dir\\)$"
check "no responder_time for a kept answer" test -z "$(grep -o 'responder_time' <<<"${LAST_OUTPUT%%$'\n'*}")"
check "the responder's log shows one request for both" test "$(requests ca)" -eq $((asked + 1))
entry=$(find "$cache" -type f | head -1)
check "one entry, no temporary file left" test "$(find "$cache" -type f | wc -l)" -eq 1

printf 'check_ocsp_staple cache 2\nexpires 9999999999\nsha256 00\ngarbage\n' >"$entry"
expect "a corrupt entry is not trusted: asked again" 0 "$ok_line.* responder_time=" \
    "${off[@]}" --responder --cache-dir "$cache"
check "... and replaced" test "$(requests ca)" -eq $((asked + 2))
expect "the replaced entry serves" 0 "$ok_line" "${off[@]}" --responder --cache-dir "$cache"
has_line "from the cache" "its answer kept in --cache-dir"
check "the entry keeps what the verification found" grep -q '^revoked 0$' "$entry"

cp "$entry" "$T/entry.good"
sed -i 's/^revoked 0$/revoked 1/' "$entry"
expect "an entry changed after it was written is not trusted (its digest)" 0 \
    "$ok_line.* responder_time=" "${off[@]}" --responder --cache-dir "$cache" -vv
has_line "... and says so at -vv" "cache: .* ignored: its digest differs"

expect "a run for another certificate keeps its own entry" 0 "^OCSP STAPLE OK - .* responder_time=" \
    --response good-ec.der --cert leaf-ec-chain.pem -C root.pem --responder --cache-dir "$cache"
check "two entries now" test "$(find "$cache" -type f | wc -l)" -eq 2
other=$(find "$cache" -type f ! -name "$(basename "$entry")")
cp "$other" "$entry"
expect "another certificate's entry in this one's place is refused: asked again" 0 \
    "$ok_line.* responder_time=" "${off[@]}" --responder --cache-dir "$cache" -vv
has_line "... and says so at -vv" "cache: the kept answer is not this one's, or not now valid; asking"

expect "a kept answer is judged at this run's clock (--now before its thisUpdate): asked again" 2 \
    "^OCSP STAPLE CRITICAL - staple is not yet valid: .* responder_time=" \
    "${off[@]}" --responder --cache-dir "$cache" --now $((PKI_MADE - 3600))

chown nobody "$entry"
expect "a foreign-owned entry is not trusted" 0 "$ok_line.* responder_time=" \
    "${off[@]}" --responder --cache-dir "$cache" -vv
has_line "... and says so at -vv" "cache: .* ignored: not this user's own file"
check "the responder answered each of them" test "$(requests ca)" -eq $((asked + 7))

# An entry kept as long as the HTTP max-age says (600 s), then asked
# anew: --now moves the clock past it.
hostile maxage http-file good.der 600
expect "max-age: the first run asks" 0 "$ok_line.* responder_time=" \
    "${off[@]}" --responder-url "$maxage_url" --cache-dir "$cache"
expect "within max-age, the answer is kept" 0 "$ok_line" \
    "${off[@]}" --responder-url "$maxage_url" --cache-dir "$cache"
has_line "from the cache" "its answer kept in --cache-dir"
expect "past max-age, the entry expired: asked anew" 0 "^OCSP STAPLE OK - .* responder_time=" \
    "${off[@]}" --responder-url "$maxage_url" --cache-dir "$cache" -vv --now $(($(date +%s) + 700))
has_line "it says the entry expired" "cache: .* expired$"
check "the responder saw two requests" test "$(requests maxage)" -eq 2

# 16 checks at once, one fresh cache directory.
shared=$T/shared-cache
pids=()
for i in $(seq 16); do
    # hostile-server's http-file answers one request after another
    # without a queue limit; openssl ocsp, single-threaded too, once
    # failed one of 16 under a loaded distcheck.
    "$PLUGIN" "${off[@]}" --responder-url "$maxage_url" --cache-dir "$shared" \
        >"$T/concurrent-$i.out" 2>&1 &
    pids+=($!)
done
bad=0
for i in $(seq 16); do
    wait "${pids[$((i - 1))]}" || bad=$((bad + 1))
    grep -Eq "$ok_line" "$T/concurrent-$i.out" ||
        { bad=$((bad + 1)); sed 's/^/#   /' "$T/concurrent-$i.out" | head -3; }
done
check "16 concurrent checks sharing a cache directory: all OK ($bad wrong)" test "$bad" -eq 0
check "... leaving one entry, no temporary file" test "$(find "$shared" -type f | wc -l)" -eq 1

chmod 0777 "$shared"
expect "a cache directory others may write to is refused: UNKNOWN" 3 \
    "^OCSP STAPLE UNKNOWN - cannot use the cache directory: --cache-dir $shared is writable by others \\(mode 777\\)" \
    "${off[@]}" --responder --cache-dir "$shared"
chmod 0700 "$shared"
chown nobody "$shared"
expect "a cache directory of another user is refused: UNKNOWN" 3 \
    "^OCSP STAPLE UNKNOWN - cannot use the cache directory: --cache-dir $shared belongs to uid [0-9]+, not to this user" \
    "${off[@]}" --responder --cache-dir "$shared"

# --- real servers ----------------------------------------------------------

# nginx fetches a good answer from a responder and keeps stapling it; the
# certificate is then revoked in the responder's index.
cp index.txt "$T/live-index.txt"
cp index.txt.attr "$T/live-index.txt.attr"
live_port=$(free_port)
responder --index "$T/live-index.txt" live "$live_port" int -ndays 7 || exit 99
nginx_site cached 1.3 leaf live "$live_url"
nginx ngx || exit 99
wait_staple "$cached_port" || exit 99
expect "nginx: staple good, responder good" 0 "$ok_line" \
    -H localhost -p "$cached_port" -C root.pem --responder-url "$live_url"
sed -i 's/^V\t\([0-9Z]*\)\t\t10A0000000000001\t/R\t\1\t250101000000Z,keyCompromise\t10A0000000000001\t/' \
    "$T/live-index.txt"
stop live
responder --index "$T/live-index.txt" live "$live_port" int -ndays 7 || exit 99
expect "nginx still staples its cached good answer: the staple alone says OK" 0 \
    '^OCSP STAPLE OK - certificate good' -H localhost -p "$cached_port" -C root.pem
expect "nginx, revoked since: --responder says CRITICAL" 2 \
    '^OCSP STAPLE CRITICAL - certificate revoked \(responder\) since 2025-01-01 00:00:00 UTC, reason keyCompromise; the server staples a good response from ' \
    -H localhost -p "$cached_port" -C root.pem --responder-url "$live_url"

# nginx refuses to staple a revoked answer: it staples nothing.
nginx_site refused 1.3 leaf-revoked live
nginx ngx-refused || exit 99
expect "nginx staples nothing for a revoked certificate (its first handshakes neither)" 2 \
    '^OCSP STAPLE CRITICAL - no OCSP staple' -H localhost -p "$refused_port" -C root.pem
wait_log ngx-refused 'certificate status "revoked" in the OCSP response' || exit 99
expect "nginx: --responder says revoked, and that nothing is stapled" 2 \
    '^OCSP STAPLE CRITICAL - certificate revoked \(responder\) since 2024-01-15 12:00:00 UTC, reason keyCompromise; the server staples nothing' \
    -H localhost -p "$refused_port" -C root.pem --responder

# Apache 2.4 staples the revoked answer (even with
# SSLStaplingReturnResponderErrors off, as tried): both say revoked.
apache_site staples 1.3 leaf-revoked live
# Apache staples a tryLater of its own when it cannot reach its responder.
apache_site fakes 1.3 leaf live "$down_url"
apache httpd || exit 99
expect "Apache fakes tryLater, the responder answers good: the server cannot reach it" 2 \
    '^OCSP STAPLE CRITICAL - responder did not answer successfully: responseStatus tryLater \(3\); the responder answers good: the server cannot reach its responder' \
    -H localhost -p "$fakes_port" -C root.pem --responder
expect "Apache staples revoked, the responder agrees" 2 \
    '^OCSP STAPLE CRITICAL - certificate revoked \(responder\) since 2024-01-15 12:00:00 UTC, reason keyCompromise; the staple says so too' \
    -H localhost -p "$staples_port" -C root.pem --responder

# -A: one fetch serves every address with the same certificate.
gnutls_serv both 1.3 leaf good.der || exit 99
asked=$(requests ca)
expect "-A over 127.0.0.1 and ::1: both good, the responder asked" 0 \
    '^OCSP STAPLE OK - 2 of 2 addresses staple; certificate good' \
    -H localhost -I 127.0.0.1,::1 -p "$both_port" -C root.pem -A --responder
check "one request for both addresses" test "$(requests ca)" -eq $((asked + 1))

# -A over two addresses that serve two certificates: a fetch each.
s_server rsa4 -cert leaf.pem -key leaf.key -cert_chain int.pem -status_file good.der || exit 99
# (on the same port: with an address, s_server says "ACCEPT" bare)
spawn ec6 openssl s_server -accept "[::1]:$rsa4_port" -www -cert leaf-ec.pem \
    -key leaf-ec.key -cert_chain int.pem -status_file good-ec.der
wait_tcp ::1 "$rsa4_port" || exit 99
asked=$(requests ca)
expect "-A over two certificates: both good" 0 '^OCSP STAPLE OK - 2 of 2 addresses staple; certificate good' \
    -H localhost -I 127.0.0.1,::1 -p "$rsa4_port" -C root.pem -A --responder
check "one request for each certificate" test "$(requests ca)" -eq $((asked + 2))

# An IPv6 literal in the URL; -4 chooses the server's addresses only.
listener v6 "$HOSTILE" -6 http-file good.der || exit 99
expect "a responder at an IPv6 literal, beside -4 for the server" 0 "$ok_line" \
    -H localhost -4 -p "$both_port" -C root.pem --responder-url "http://[::1]:$v6_port/"
has_line "it was asked" "^Responder: http://\\[::1\\]:$v6_port/: certificate good$"
check "its log has the request" test "$(requests v6)" -eq 1

finish
