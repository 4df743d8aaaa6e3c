#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# crl.sh - --crl and --crl-file (SPEC 7): certificates of the test PKI's
# intermediate with CRL distribution points, CRLs made by openssl ca
# -gencrl and served by a harness nginx on loopback (and broken on purpose:
# expired, another key's signature, another partition, a critical unknown
# extension, 100,000 entries, over the size cap), distribution points that
# hang, drip, answer 404 or garbage; serial 01 and serials with a leading
# zero byte among look-alikes; every reason openssl ca writes, on hold;
# delta CRLs named by their base's Freshest CRL extension (listing,
# removeFromCRL, for another base, expired, missing, a full CRL); and
# --cache-dir's index: kept, mapped, asked again with its validators (a
# 304 from nginx), corrupt, truncated, foreign-owned.
# The servers staple nothing and the certificates name no OCSP responder,
# so the CRL's verdict is the status line's.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/servers.sh"
own_network "$@"

: "${HOSTILE:?}"
make_pki
cd "$PKI" || exit 99
web=$T/crl-files
mkdir -p "$web"
crl_port=$(free_port)
base=http://127.0.0.1:$crl_port
# The same files from a server that lets them be kept for an hour.
keep_port=$(free_port)
cbase=http://127.0.0.1:$keep_port
listener hang "$HOSTILE" http-silent || exit 99
listener drip "$HOSTILE" http-drip || exit 99
listener junk "$HOSTILE" http-garbage || exit 99

faketime_lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 | head -1)
cnf=$T/crl.cnf
# leaf_dp URL...: an extension section for a leaf with these distribution
# points and no OCSP responder.
sections() {
    local name dps
    while read -r name dps; do
        cat <<EOF
[ $name ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
crlDistributionPoints = $dps
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

EOF
    done
}
{
    printf '[ req ]\ndistinguished_name = dn\n[ dn ]\n'
    sections <<EOF
dp_int URI:$base/int.crl
dp_ldap_first URI:ldap://127.0.0.1/cn=COS, URI:$base/int.crl
dp_ldap_only URI:ldap://127.0.0.1/cn=COS
dp_part1 URI:$base/part1.crl
dp_expired URI:$base/expired.crl
dp_badsig URI:$base/badsig.crl
dp_critical URI:$base/critical.crl
dp_big URI:$base/big.crl
dp_missing URI:$base/missing.crl
dp_hang URI:http://127.0.0.1:$hang_port/int.crl
dp_drip URI:http://127.0.0.1:$drip_port/int.crl
dp_junk URI:http://127.0.0.1:$junk_port/int.crl
dp_fallback URI:$base/missing.crl, URI:$base/int.crl
dp_dbase URI:$base/dbase.crl
dp_dnewer URI:$base/dnewer.crl
dp_dexpired URI:$base/dexp.crl
dp_dmissing URI:$base/dmiss.crl
dp_dfull URI:$base/dfull.crl
dp_dstale URI:$base/dstale.crl
dp_cached URI:$cbase/int.crl
dp_cdelta URI:$cbase/cdbase.crl
EOF
} >"$cnf"

# issue NAME SECTION SERIAL: NAME.pem/.key (EC) by int, and NAME-chain.pem;
# SERIAL in hex, negative with a leading '-'.
issue() {
    local serial=0x$3
    [ "${3#-}" = "$3" ] || serial=-0x${3#-}
    env LD_PRELOAD="$faketime_lib" FAKETIME=-1d openssl req -x509 -noenc \
        -days 3651 -config "$cnf" -subj /CN=localhost -extensions "$2" \
        -set_serial "$serial" -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
        -keyout "$1.key" -out "$1.pem" -CA int.pem -CAkey int.key 2>"$T/issue.log" ||
        { cat "$T/issue.log"; echo "Bail out! cannot issue $1"; exit 99; }
    cat "$1.pem" int.pem >"$1-chain.pem"
}

issue serial01 dp_int 01
issue lead0 dp_int 80
issue revoked dp_int 2001
issue held dp_int 2002
issue lead0-revoked dp_int 81
# A negative serial (RFC 5280 4.1.2.2 asks users to cope): the CRL lists
# -2000 among the positive ones in OpenSSL's order, which is not the
# index's, and not 2000.
issue negative dp_int -2000
issue positive dp_int 2000
issue ldap-first dp_ldap_first 3001
issue ldap-only dp_ldap_only 3002
issue part1 dp_part1 3003
issue expired dp_expired 3004
issue badsig dp_badsig 3005
issue critical dp_critical 3006
issue big dp_big 3007
issue missing dp_missing 3008
issue hang dp_hang 3009
issue drip dp_drip 300A
issue junk dp_junk 300B
issue fallback dp_fallback 300C
# Delta CRLs: 5001 listed by the delta only, 5002 on hold in the base and
# removed by the delta, 5004 on hold in the base alone, 5003 in neither.
issue delta-revoked dp_dbase 5001
issue delta-removed dp_dbase 5002
issue delta-clean dp_dbase 5003
issue delta-held dp_dbase 5004
issue dnewer dp_dnewer 5005
issue dexpired dp_dexpired 5006
issue dmissing dp_dmissing 5007
issue dfull dp_dfull 5008
issue dstale dp_dstale 5009
# --cache-dir: 6001 not listed, 6002 listed; cdelta listed by a delta.
issue cached dp_cached 6001
issue cached-revoked dp_cached 6002
issue cdelta dp_cdelta 5001
reasons="unspecified keyCompromise CACompromise affiliationChanged superseded cessationOfOperation"
n=0
for reason in $reasons; do
    n=$((n + 1))
    issue "reason-$reason" dp_int "400$n"
done

# The index: the revoked, every reason, and look-alikes of 01 and 80
# (1001, 0101, 10, 8000, 0080 as text all hold "01" or "80").
expiry=$(date -u -d '+3650 days' +%y%m%d%H%M%SZ)
entry() { printf 'R\t%s\t240115120000Z,%s\t%s\tunknown\t/CN=localhost\n' "$expiry" "$2" "$1"; }
{
    printf 'V\t%s\t\t01\tunknown\t/CN=localhost\n' "$expiry"
    entry 2001 keyCompromise
    entry 2002 certificateHold
    entry 81 superseded
    entry 1001 keyCompromise
    entry 0101 keyCompromise
    entry 10 keyCompromise
    entry 8000 keyCompromise
    entry 0180 keyCompromise
    entry -2000 keyCompromise
    entry 5002 certificateHold
    entry 5004 certificateHold
    entry 6002 keyCompromise
    n=0
    for reason in $reasons; do
        n=$((n + 1))
        entry "400$n" "$reason"
    done
} >"$T/index.txt"
echo "unique_subject = no" >"$T/index.txt.attr"
echo 1000 >"$T/crlnumber"

# gencrl OUT [openssl ca options...]: a CRL of int from $T/index.txt.
gencrl() {
    local out=$1
    shift
    cat >"$T/ca.cnf" <<EOF
[ ca ]
default_ca = int
[ int ]
database = $T/index.txt
crlnumber = $T/crlnumber
default_md = sha256
default_crl_days = 7
crl_extensions = crl_ext
[ crl_ext ]
authorityKeyIdentifier = keyid:always
${CRL_EXT:-}
EOF
    sed -i "s|^database = .*|database = ${INDEX:-$T/index.txt}|" "$T/ca.cnf"
    openssl ca -batch -config "$T/ca.cnf" -gencrl -keyfile "${CA:-int}.key" -cert "${CA:-int}.pem" \
        -out "$out.pem" "$@" 2>"$T/gencrl.log" &&
        openssl crl -in "$out.pem" -outform DER -out "$out" ||
        { cat "$T/gencrl.log"; echo "Bail out! cannot make $out"; exit 99; }
}
gencrl "$web/int.crl"
CRL_EXT="issuingDistributionPoint = critical, @idp
[ idp ]
fullname = URI:$base/part2.crl" gencrl "$web/part1.crl"
gencrl "$web/expired.crl" -crl_lastupdate 20240101000000Z -crl_nextupdate 20240108000000Z
CRL_EXT="1.3.6.1.4.1.99999.1 = critical, ASN1:NULL" gencrl "$web/critical.crl"
# Another key's signature: the last byte of int.crl's signature changed.
cp "$web/int.crl" "$web/badsig.crl"
printf '\x01' | dd of="$web/badsig.crl" bs=1 seek=$(($(stat -c %s "$web/badsig.crl") - 1)) \
    conv=notrunc 2>/dev/null
cmp -s "$web/int.crl" "$web/badsig.crl" &&
    printf '\x02' | dd of="$web/badsig.crl" bs=1 seek=$(($(stat -c %s "$web/badsig.crl") - 1)) \
        conv=notrunc 2>/dev/null
# 100,000 entries, big among them, made by openssl ca like the others.
cp "$T/index.txt" "$T/index.small"
awk -v e="$expiry" 'BEGIN { for (i = 0; i < 100000; i++)
    printf "R\t%s\t240115120000Z,keyCompromise\t%X\tunknown\t/CN=localhost\n", e, 1048576 + i }' \
    >>"$T/index.txt"
entry 3007 keyCompromise >>"$T/index.txt"
gencrl "$web/big.crl"
cp "$T/index.small" "$T/index.txt"

# Delta CRLs: each base names its delta in Freshest CRL; a delta carries
# the number of the base it was made from (Delta CRL Indicator, 2.5.29.27)
# and lists what changed since: 5001 revoked, 5002 removed.
{
    entry 5001 keyCompromise
    entry 5002 removeFromCRL
} >"$T/delta-index.txt"
echo "unique_subject = no" >"$T/delta-index.txt.attr"
# delta_of BASE-NUMBER: the extension line of a delta of that base (hex).
delta_of() { printf '2.5.29.27 = critical, DER:02:02:%s:%s' "${1:0:2}" "${1:2:2}"; }
# base_and_delta NAME DELTA-URL: NAME.crl naming DELTA-URL as its delta;
# prints the base's CRL number.
base_and_delta() {
    local number
    number=$(cat "$T/crlnumber")
    CRL_EXT="freshestCRL = URI:$2" gencrl "$web/$1.crl"
    echo "$number"
}
number=$(base_and_delta dbase "$base/delta.crl")
# The same delta, named from the caching server's base (a later number).
base_and_delta cdbase "$cbase/delta.crl" >/dev/null
INDEX=$T/delta-index.txt CRL_EXT=$(delta_of "$number") gencrl "$web/delta.crl"
number=$(base_and_delta dnewer "$base/dnewer-delta.crl")
INDEX=$T/delta-index.txt CRL_EXT=$(delta_of "$(printf %04X $((0x$number + 256)))") \
    gencrl "$web/dnewer-delta.crl"
number=$(base_and_delta dexp "$base/dexp-delta.crl")
INDEX=$T/delta-index.txt CRL_EXT=$(delta_of "$number") gencrl "$web/dexp-delta.crl" \
    -crl_lastupdate 20240101000000Z -crl_nextupdate 20240108000000Z
base_and_delta dmiss "$base/missing-delta.crl" >/dev/null
base_and_delta dfull "$base/int.crl" >/dev/null
# A base newer than the delta it names: the delta is older than the base.
base_and_delta dstale "$base/delta.crl" >/dev/null

nginx_files crls "$crl_port" "$web"
nginx_files kept "$keep_port" "$web" "expires 1h;"
nginx web || exit 99
wait_tcp 127.0.0.1 "$crl_port" || exit 99

fetched() { grep -c "GET /$1 " "$T/${2:-crls}.access.log"; }
# served COUNT FILE [SITE]: nginx's log counts COUNT requests for FILE,
# within 5 s: nginx writes the line once the answer is sent, and the
# plugin may have read it and ended first.
served() { wait_for 5 _served "$@"; }
_served() { test "$(fetched "$2" "${3:-}")" -eq "$1"; }
na='no OCSP staple; stapling not applicable: the certificate names no OCSP responder'

# online NAME CODE REGEX [ARGS...]: a server with NAME's certificate that
# staples nothing, checked with --crl.
online() {
    local name=$1 code=$2 regex=$3
    shift 3
    s_server "srv-$name" -cert "$name.pem" -key "$name.key" -cert_chain int.pem || exit 99
    local port=srv_${name//-/_}_port
    expect "$name: ${regex:0:60}" "$code" "^OCSP STAPLE $regex" \
        -H localhost -p "${!port}" -C root.pem --crl -t 3 "$@"
    stop "srv-$name"
}

online serial01 0 "OK - certificate not revoked \\(CRL, next update in $(durations_since_pki 604800)\\); $na \\| crl_next_update=[0-9]+s " -v
check "serial 01 is not 1001, 0101 or 10 (no text comparison)" grep -q '^CRL says: the certificate is not listed$' <<<"$LAST_OUTPUT"
check "the CRL's facts in the long output" grep -q "^CRL: $base/int.crl, [0-9.]* s$" <<<"$LAST_OUTPUT"
check "... its number" grep -q '^CRL number: 10 00$\|^CRL number: 1000$' <<<"$LAST_OUTPUT"
online lead0 0 "OK - certificate not revoked \\(CRL" -v
check "serial 80 (a leading zero byte) is not 8000, 0180" grep -q '^CRL says: the certificate is not listed$' <<<"$LAST_OUTPUT"
online lead0-revoked 2 "CRITICAL - certificate revoked \\(CRL\\) since 2024-01-15 12:00:00 UTC, reason superseded; the certificate names no OCSP responder"
online negative 2 "CRITICAL - certificate revoked \\(CRL\\) since 2024-01-15 12:00:00 UTC, reason keyCompromise; the certificate names no OCSP responder"
online positive 0 "OK - certificate not revoked \\(CRL" -v
check "2000 is not -2000 (the sign is the integer's)" grep -q '^CRL says: the certificate is not listed$' <<<"$LAST_OUTPUT"
online revoked 2 "CRITICAL - certificate revoked \\(CRL\\) since 2024-01-15 12:00:00 UTC, reason keyCompromise; the certificate names no OCSP responder" -v
check "the long output says so (-v)" grep -q '^CRL says: revoked since 2024-01-15 12:00:00 UTC, reason keyCompromise$' <<<"$LAST_OUTPUT"
online held 2 "CRITICAL - certificate on hold \\(CRL\\) since 2024-01-15 12:00:00 UTC; the certificate names no OCSP responder"
for reason in $reasons; do
    # RFC 5280's spelling, which openssl ca's index does not use.
    rfc=${reason/#CACompromise/cACompromise}
    online "reason-$reason" 2 "CRITICAL - certificate revoked \\(CRL\\) since 2024-01-15 12:00:00 UTC, reason $rfc;"
done
online ldap-first 0 "OK - certificate not revoked \\(CRL" -vv
check "ldap:// is named and skipped" grep -q '^CRL: skipped ldap://127.0.0.1/cn=COS: only http:// is fetched$' <<<"$LAST_OUTPUT"
online fallback 0 "OK - certificate not revoked \\(CRL" -v
check "a 404 at the first point, the second serves" grep -q "^CRL: $base/int.crl, " <<<"$LAST_OUTPUT"

# CRLs that cannot be used: --crl-failure, WARNING by default.
online ldap-only 1 "WARNING - CRL: the certificate names no CRL distribution point to fetch; $na"
online part1 1 "WARNING - CRL: CRL does not cover the certificate: its issuing distribution point does not name $base/part1.crl \\(another partition\\); $na"
online expired 1 "WARNING - CRL: CRL expired: nextUpdate was [0-9]+d( [0-9]+h)? ago; $na"
online badsig 1 "WARNING - CRL: CRL's signature is invalid: .*; $na"
online critical 1 "WARNING - CRL: CRL has a critical extension this plugin does not understand: 1.3.6.1.4.1.99999.1 in the CRL; $na"
online missing 1 "WARNING - CRL: HTTP error: $base/missing.crl: code=404"
online junk 1 "WARNING - CRL: CRL is not a well-formed CRL: http://127.0.0.1:$junk_port/int.crl: the body is not an ASN.1 SEQUENCE; $na"
online revoked 2 "CRITICAL - certificate revoked \\(CRL\\)" --crl-failure OK
online expired 2 "CRITICAL - CRL: CRL expired" --crl-failure CRITICAL
online expired 0 "OK - $na; CRL: CRL expired" --crl-failure OK
for slow in hang drip; do
    start=$(date +%s%N)
    online "$slow" 1 "WARNING - CRL: timeout: waiting for http://127.0.0.1:[0-9]+/int.crl; $na"
    elapsed=$((($(date +%s%N) - start) / 1000000))
    check "$slow: ended within -t 3 (took $elapsed ms, a server's start included)" \
        test "$elapsed" -lt $((3000 + 2 * SLACK_MS)) -o "${COS_VALGRIND:-}" = 1
done

# 100,000 entries; and the size cap, refused before the body is read.
online big 2 "CRITICAL - certificate revoked \\(CRL\\) since 2024-01-15 12:00:00 UTC, reason keyCompromise" -t 30 -v
check "it has some 100,000 entries" grep -q '^CRL entries: 1000[0-9][0-9]$' <<<"$LAST_OUTPUT"
online big 1 "WARNING - CRL: CRL is larger than allowed: $base/big.crl: .*max=1048576; $na" --crl-max-size 1M

# Delta CRLs, named by the base's Freshest CRL extension.
online delta-revoked 2 "CRITICAL - certificate revoked \\(CRL\\) since 2024-01-15 12:00:00 UTC, reason keyCompromise; the certificate names no OCSP responder" -vv
check "listed by the delta alone" grep -q "^CRL delta: $base/delta.crl$" <<<"$LAST_OUTPUT"
check "... the base was fetched first, then its delta" \
    grep -Pzq "fetching $base/dbase.crl\n(.*\n)*.*fetching $base/delta.crl\n" <<<"$LAST_OUTPUT"
online delta-removed 0 "OK - certificate not revoked \\(CRL, next update in [0-9dhm ]+\\); $na" -v
check "on hold in the base, removeFromCRL in the delta" \
    grep -q '^CRL says: the certificate is not listed (the delta CRL removes it)$' <<<"$LAST_OUTPUT"
online delta-held 2 "CRITICAL - certificate on hold \\(CRL\\) since 2024-01-15 12:00:00 UTC;"
online delta-clean 0 "OK - certificate not revoked \\(CRL, next update in " -v
check "the delta's number and window in the long output" \
    grep -q '^CRL delta number: ' <<<"$LAST_OUTPUT"
check "... its nextUpdate" grep -q '^CRL delta nextUpdate: ' <<<"$LAST_OUTPUT"
online dnewer 1 "WARNING - CRL: delta CRL does not fit its base: delta CRL $base/dnewer-delta.crl: it needs a newer base CRL than number [0-9a-fA-F ]+; $na"
online dexpired 1 "WARNING - CRL: CRL expired: delta CRL $base/dexp-delta.crl: nextUpdate was [0-9]+d( [0-9]+h)? ago; $na"
online dmissing 1 "WARNING - CRL: HTTP error: delta CRL: $base/missing-delta.crl: code=404, reason=Not Found; $na"
online dfull 1 "WARNING - CRL: delta CRL does not fit its base: delta CRL $base/int.crl: a full CRL where its delta belongs; $na"
online dstale 1 "WARNING - CRL: delta CRL does not fit its base: delta CRL $base/delta.crl: its number [0-9a-fA-F ]+ is not after the base's [0-9a-fA-F ]+; $na"
online delta-revoked 2 "CRITICAL - certificate revoked \\(CRL\\)" --crl-failure OK

# --crl-file, online and offline, beside a staple.
# The PKI's own leaf, listed.
entry 10A0000000000001 keyCompromise >>"$T/index.txt"
gencrl "$T/leaf-listed.crl"
CA=root gencrl "$T/root.crl"
s_server stapler -cert leaf.pem -key leaf.key -cert_chain int.pem -status_file good.der || exit 99
expect "a good staple, the CRL file says revoked: CRITICAL" 2 \
    "^OCSP STAPLE CRITICAL - certificate revoked \\(CRL\\) since 2024-01-15 12:00:00 UTC, reason keyCompromise; the server staples a good response from " \
    -H localhost -p "$stapler_port" -C root.pem --crl-file "$T/leaf-listed.crl"
# The default long output: a line for each part judged (connection,
# certificate, staple, responder, CRL), at most 8; -v every detail.
listener answers "$HOSTILE" http-file good.der || exit 99
expect "staple, responder and CRL file: the default long output" 2 "^OCSP STAPLE CRITICAL - certificate revoked \\(CRL\\)" \
    -H localhost -p "$stapler_port" -C root.pem --crl-file "$T/leaf-listed.crl" \
    --responder-url "http://127.0.0.1:$answers_port/"
check "... a line for each part, in order" test "$(sed 1d <<<"$LAST_OUTPUT" | cut -d ' ' -f 1)" = \
    "$(printf '%s\n' Connected Certificate: Staple: Responder: CRL:)"
check "... each says what was found" grep -Pzq \
    "\nCertificate: CN=localhost, issued by CN=COS Test Intermediate, expires [^\n]*; host name checked: localhost\nStaple: certificate good, signed by CN=COS Test Intermediate \\(the issuing CA\\), thisUpdate [^\n]*, nextUpdate [^\n]* \\(in [0-9dhm ]+\\)\nResponder: http://127.0.0.1:$answers_port/: certificate good\nCRL: $T/leaf-listed.crl: revoked since 2024-01-15 12:00:00 UTC, reason keyCompromise\n" \
    <<<"$LAST_OUTPUT"
expect "... -v: every detail" 2 "^OCSP STAPLE CRITICAL - certificate revoked \\(CRL\\)" \
    -H localhost -p "$stapler_port" -C root.pem --crl-file "$T/leaf-listed.crl" \
    --responder-url "http://127.0.0.1:$answers_port/" -v
check "... the staple's steps, the responder's, the CRL's facts" grep -Pzq \
    "\nChecks passed: certificate chain, [^\n]*\n(.*\n)*Responder checks passed: [^\n]*\n(.*\n)*CRL says: revoked since 2024-01-15 12:00:00 UTC, reason keyCompromise\n" \
    <<<"$LAST_OUTPUT"
check "... more lines than 8" test "$(wc -l <<<"$LAST_OUTPUT")" -gt 8
expect "offline: --response with --crl-file (PEM)" 2 \
    "^OCSP STAPLE CRITICAL - certificate revoked \\(CRL\\) since 2024-01-15 12:00:00 UTC, reason keyCompromise; the server staples a good response from " \
    --response good.der --cert leaf-chain.pem -C root.pem --crl-file "$T/leaf-listed.crl.pem"
expect "offline: a CRL file that does not list it" 0 \
    "^OCSP STAPLE OK - certificate good, .* crl_next_update=[0-9]+s " \
    --response good.der --cert leaf-chain.pem -C root.pem --crl-file "$web/int.crl"
expect "a CRL file over --crl-max-size: WARNING" 1 \
    "^OCSP STAPLE WARNING - CRL: CRL is larger than allowed: --crl-file $web/big.crl: larger than 1 MiB; certificate good" \
    --response good.der --cert leaf-chain.pem -C root.pem --crl-file "$web/big.crl" --crl-max-size 1M
expect "a CRL file of another issuer (the root's)" 1 \
    "^OCSP STAPLE WARNING - CRL: CRL is from another issuer: CN=COS Test Root; certificate good" \
    --response good.der --cert leaf-chain.pem -C root.pem --crl-file "$T/root.crl"

# -A: one fetch serves both addresses.
before=$(fetched int.crl)
gnutls_serv both 1.3 serial01 || exit 99
expect "-A: both addresses, one CRL fetch" 0 \
    "^OCSP STAPLE OK - 0 of 2 addresses staple; 127.0.0.1: certificate not revoked \\(CRL" \
    -H localhost -I 127.0.0.1,::1 -p "$both_port" -C root.pem -A --crl
check "nginx served int.crl once for both" served $((before + 1)) int.crl

# --- --cache-dir ---------------------------------------------------------
# The kept server sends Cache-Control: max-age=3600, an ETag and a
# Last-Modified, and answers a conditional GET of an unchanged file with
# 304. Its access log shows each request.
cache=$T/crl-cache
kept_304() { grep -c '"GET /int.crl HTTP/1.[01]" 304 ' "$T/kept.access.log"; }
index_file() { grep -l '^cos crl index 1$' "$cache"/* 2>/dev/null | head -1; }
online cached 0 "OK - certificate not revoked \\(CRL" --cache-dir "$cache" -vv
check "the first run fetched the CRL" served 1 int.crl kept
check "... and kept its index" grep -q "^CRL: cache: kept the CRL of $cbase/int.crl until " <<<"$LAST_OUTPUT"
entry=$(index_file)
check "the entry is the index, not the CRL" test -n "$entry" -a "$(head -c 16 "$entry" 2>/dev/null)" = "cos crl index 1"
online cached 0 "OK - certificate not revoked \\(CRL" --cache-dir "$cache" -vv
check "the second run fetched nothing" served 1 int.crl kept
check "... and says the CRL was kept" grep -q "^CRL: $cbase/int.crl (kept in --cache-dir)$" <<<"$LAST_OUTPUT"
online cached-revoked 2 "CRITICAL - certificate revoked \\(CRL\\) since 2024-01-15 12:00:00 UTC, reason keyCompromise;" --cache-dir "$cache"
check "another certificate of the same CRL: found in the kept index, nothing fetched" served 1 int.crl kept
later=$(($(date +%s) + 7200))
online cached 0 "OK - certificate not revoked \\(CRL" --cache-dir "$cache" --now "$later" -vv
check "past max-age: asked again, conditionally" grep -q "^CRL: fetching $cbase/int.crl (conditional: a CRL is kept)$" <<<"$LAST_OUTPUT"
check "... nginx answered 304" wait_for 5 eval 'test "$(kept_304)" -eq 1'
check "... and the kept index serves on" grep -q "^CRL: cache: kept the CRL of $cbase/int.crl until " <<<"$LAST_OUTPUT"
online cached 0 "OK - certificate not revoked \\(CRL" --cache-dir "$cache" --now "$later"
check "the 304 renewed it: nothing fetched at the same time" served 2 int.crl kept
# A changed CRL: 6001 now listed; once max-age has passed, nginx sends it.
entry 6001 keyCompromise >>"$T/index.txt"
gencrl "$web/int.crl"
online cached 2 "CRITICAL - certificate revoked \\(CRL\\)" --cache-dir "$cache" --now $((later + 7200))
check "the changed CRL came whole (no new 304)" test "$(kept_304)" -eq 1
# Broken entries are ignored, asked for again, and replaced.
entry=$(index_file)
printf 'X' | dd of="$entry" bs=1 seek=100 conv=notrunc 2>/dev/null
online cached 2 "CRITICAL - certificate revoked \\(CRL\\)" --cache-dir "$cache" -vv
check "a changed header: ignored" grep -q "^CRL: cache: the CRL kept for $cbase/int.crl ignored: its header's digest differs$" <<<"$LAST_OUTPUT"
check "... and fetched" grep -q "^CRL: fetching $cbase/int.crl$" <<<"$LAST_OUTPUT"
entry=$(index_file)
truncate -s -1 "$entry"
online cached 2 "CRITICAL - certificate revoked \\(CRL\\)" --cache-dir "$cache" -vv
check "a truncated index: ignored" grep -q "^CRL: cache: the CRL kept for $cbase/int.crl ignored: its size is not its records'$" <<<"$LAST_OUTPUT"
entry=$(index_file)
chown nobody "$entry"
online cached 2 "CRITICAL - certificate revoked \\(CRL\\)" --cache-dir "$cache" -vv
check "another user's index: ignored" grep -q "^CRL: cache: $entry ignored: not this user's own file$" <<<"$LAST_OUTPUT"
int_index=$entry
# A delta is kept beside its base.
online cdelta 2 "CRITICAL - certificate revoked \\(CRL\\) since 2024-01-15 12:00:00 UTC, reason keyCompromise" --cache-dir "$cache"
before=$(($(fetched cdbase.crl kept) + $(fetched delta.crl kept)))
online cdelta 2 "CRITICAL - certificate revoked \\(CRL\\) since 2024-01-15 12:00:00 UTC, reason keyCompromise" --cache-dir "$cache" -v
check "base and delta kept: nothing fetched" test "$(($(fetched cdbase.crl kept) + $(fetched delta.crl kept)))" -eq "$before"
check "... the delta named as kept" grep -q "^CRL delta: $cbase/delta.crl (kept in --cache-dir)$" <<<"$LAST_OUTPUT"
# Another CRL's index under the delta's name (its key) is not believed.
for f in "$cache"/*; do
    [ "$f" = "$int_index" ] || { cp "$int_index" "$f"; break; }
done
online cdelta 2 "CRITICAL - certificate revoked \\(CRL\\) since 2024-01-15 12:00:00 UTC, reason keyCompromise" --cache-dir "$cache" -vv
check "an index kept for another CRL: ignored" grep -q "ignored: kept for another CRL$" <<<"$LAST_OUTPUT"

finish
