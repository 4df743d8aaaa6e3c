#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# mkpki.sh OUTDIR - build the test PKI and OCSP responses for check_ocsp_staple.
#
# Environment:
#   OCSP_URL  URL in the AIA OCSP field of the leaves that have one
#             (default http://127.0.0.1:8888/)
#   FORGE     path of a built tests/helpers/ocsp-forge; when unset it is
#             compiled from tests/helpers/ocsp-forge.c into OUTDIR/ocsp-forge
# Needs: openssl, libfaketime (certificates start one day in the past, which the
# OpenSSL 3.0 CLI cannot do by itself), and cc + pkg-config libcrypto unless
# FORGE is set. Quiet on success; a message on stderr and non-zero on failure.
#
# Files written to OUTDIR (PEM unless .der; every .key is an unencrypted
# PKCS#8 key; certificates are valid from now-1d to now+3650d; EC P-256 keys
# everywhere except leaf.key, which is RSA 2048):
#   pki.cnf               extension sections used to issue the certificates
#   serials.txt           "name serial-hex" for every certificate below
#   root.pem/.key         root CA "COS Test Root"
#   int.pem/.key          intermediate CA "COS Test Intermediate" (by root);
#                         issues every leaf, ocsp, noeku and subca
#   subca.pem/.key        a CA issued by int (a sibling of the leaves)
#   subca-ocsp.pem/.key   responder with OCSPSigning issued by subca: valid
#                         chain, but not issued directly by the leaf's issuer
#   ocsp.pem/.key         delegated responder: EKU OCSPSigning, ocsp-nocheck
#   noeku.pem/.key        responder by int with EKU serverAuth, no OCSPSigning
#   other-root.pem/.key   unrelated self-signed CA "COS Unrelated CA"
#   other-ocsp.pem/.key   responder with OCSPSigning issued by other-root
#   rogue.pem             self-signed "CN=COS Rogue Responder", EKU
#                         OCSPSigning, made with leaf.key
#   leaf.pem/.key         CN=localhost, RSA, AIA OCSP = $OCSP_URL
#   leaf-ec.pem/.key      same, ECDSA
#   leaf-ms.pem/.key      same, must-staple (TLS feature status_request)
#   leaf-nourl.pem/.key   same, no AIA extension
#   leaf-old.pem/.key     same, the predecessor of leaf (renewal scenario)
#   leaf-revoked.pem/.key same, revoked (keyCompromise) in index.txt
#   leaf-unknown.pem/.key same, not in index.txt
#   leaf-weird.pem/.key   a hostile subject: CN and O (UTF8String) hold '|',
#                         newline, CR, tab, ^A and ESC; its SAN adds DNS
#                         names and an email with the same characters
#   (all leaves: SAN DNS:localhost IP:127.0.0.1 IP:::1, EKU serverAuth)
#   client.pem/.key       CN=COS Test Client by int, EKU clientAuth;
#                         client-chain.pem is client + int
#   X-chain.pem           for every leaf X: X + int (what a server sends)
#   X-full.pem            for every leaf X: X + int + root
#   index.txt(.attr)      openssl ca index of int: leaf, leaf-ec, leaf-ms,
#                         leaf-nourl, leaf-old, leaf-weird valid; leaf-revoked
#                         revoked
#                         2024-01-15 12:00:00Z, keyCompromise
#   ocsp-forge            the forge tool, only when FORGE was unset
# OCSP responses (DER; SHA-1 CertID, responder ID byName, signer certificate
# embedded, nextUpdate = thisUpdate + 7 d, unless stated):
#   good.der              leaf, good, signed by int; good.pem is its PEM form
#   good-ec.der good-ms.der good-nourl.der good-old.der good-weird.der
#                         the same for leaf-ec, leaf-ms, leaf-nourl, leaf-old,
#                         leaf-weird
#   good-delegated.der    leaf, good, signed by ocsp
#   good-nocerts.der      leaf, good, signed by int, no certificate embedded
#                         (none is needed; some tools misread embedded ones)
#   revoked.der           leaf-revoked, revoked, reason keyCompromise
#   unknown.der           leaf-unknown, unknown
#   nonext.der            leaf, good, no nextUpdate
#   warn.der / crit.der   leaf, good, nextUpdate = thisUpdate + 12 h / + 2 h
#   expired.der           leaf, thisUpdate = producedAt = now-10d,
#                         nextUpdate = now-3d (forge)
#   notyet.der            leaf, thisUpdate now+2d, nextUpdate now+9d,
#                         producedAt now (forge)
#   unrelated.der         leaf, signed by other-ocsp (embedded)
#   unrelated-noembed.der the same without certificates
#   rogue.der             leaf, good, signed with leaf.key, rogue.pem embedded
#   noeku.der             leaf, signed by noeku
#   other-serial.der      copy of good-old.der (stale staple after a renewal)
#   sha256.der            leaf, CertID hashed with SHA-256
#   bykey.der             leaf, responder ID byKey
#   trylater.der internalerror.der unauthorized.der malformedrequest.der
#   sigrequired.der       unsigned, responseStatus only
#   notbasic.der          successful, responseType 1.3.6.1.5.5.7.48.1.3
#                         (id-pkix-ocsp-crl) wrapping good.der's BasicOCSPResponse
#   truncated.der         first half of good.der
#   trailing.der          good.der + 4 garbage bytes
#   empty.der             zero bytes
#   garbage.der           64 fixed random-looking bytes (not starting with 0x30)
#   conflict.der          two SingleResponses for leaf: good, revoked (forge)
#   duplicate.der         two SingleResponses for leaf, both good
#   next-before-this.der  leaf, nextUpdate = thisUpdate - 1 h (forge)
#   produced-future.der   leaf, producedAt now+2d, thisUpdate now,
#                         nextUpdate now+7d (forge)
#   indirect.der          leaf, signed by subca-ocsp, subca-ocsp + subca embedded
#   badsig.der            leaf, good, signed by int without certificates, the
#                         last byte of its signature altered
#   unknown-hash.der      leaf, good, CertID hash algorithm 1.3.14.3.2.99 (forge)
# Forged responses are signed by int with int.pem embedded.

set -eEu

die() {
    echo "mkpki.sh: $*" >&2
    exit 1
}
trap 'echo "mkpki.sh: failed at line $LINENO" >&2' ERR

[ $# -eq 1 ] || die "usage: mkpki.sh OUTDIR"
OCSP_URL=${OCSP_URL:-http://127.0.0.1:8888/}
case $OCSP_URL in
*[[:space:]\$\#\\,\"\']*) die "OCSP_URL must not contain blanks or \$ # \\ , \" '" ;;
esac
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$1"
OUT=$(cd "$1" && pwd)
WORK=$OUT/.work
rm -rf "$WORK"
mkdir "$WORK"
trap 'wait; rm -rf "$WORK"' EXIT # wait: the compiler may still run
command -v openssl >/dev/null || die "openssl not found (Debian: apt-get install openssl)"
# libfaketime itself, not the faketime wrapper: the wrapper names a semaphore
# in /dev/shm after its PID and leaves it there when it is killed, and a later
# run that gets the same PID then fails with "sem_open: File exists".
FAKETIME_LIB=
for lib in /usr/lib/*/faketime/libfaketime.so.1 /usr/lib/faketime/libfaketime.so.1; do
    [ -f "$lib" ] && FAKETIME_LIB=$lib && break
done
[ -n "$FAKETIME_LIB" ] || die "libfaketime not found (Debian: apt-get install libfaketime)"

# Runs a command with its output kept aside; shows it only on failure.
run() {
    if ! "$@" >"$WORK/log" 2>&1; then
        cat "$WORK/log" >&2
        die "failed: $*"
    fi
}

if [ -n "${FORGE:-}" ]; then
    [ -x "$FORGE" ] || die "FORGE=$FORGE is not an executable"
else
    FORGE=$OUT/ocsp-forge
    cflags=$(pkg-config --cflags --libs libcrypto) || die "pkg-config libcrypto failed"
    # shellcheck disable=SC2086 # word splitting of the flags is intended
    cc -std=c11 -O2 -Wall -Wextra -o "$FORGE" "$HERE/helpers/ocsp-forge.c" $cflags \
        >"$WORK/cc.log" 2>&1 &
    cc_pid=$!
fi

CNF=$OUT/pki.cnf
export OPENSSL_CONF=$CNF # never read the system openssl.cnf
ctl=$(printf '\001\033[7m')
cat >"$CNF" <<EOF
# Written by tests/mkpki.sh.
[ req ]
distinguished_name = req_dn
[ req_dn ]

[ root_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ int_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ ocsp_responder ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = OCSPSigning
noCheck = ignored
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ noeku_responder ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
noCheck = ignored
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ rogue_responder ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = OCSPSigning
subjectKeyIdentifier = hash

[ leaf_rsa ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
authorityInfoAccess = OCSP;URI:$OCSP_URL
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ leaf_ec ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
authorityInfoAccess = OCSP;URI:$OCSP_URL
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ leaf_ms ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
authorityInfoAccess = OCSP;URI:$OCSP_URL
tlsfeature = status_request
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ leaf_weird ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = @weird_san
authorityInfoAccess = OCSP;URI:$OCSP_URL
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

# What a server controls and a plugin might print: '|', and (by the config
# file's escapes and the raw bytes of \$ctl) newline, CR, ^A and ESC.
[ weird_san ]
DNS.1 = localhost
DNS.2 = pipe|name.example
DNS.3 = new\nline.example
DNS.4 = ctl${ctl}.example
email.1 = a|b\r\n@example.org
IP.1 = 127.0.0.1
IP.2 = ::1

[ leaf_nourl ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ client ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF

: >"$OUT/serials.txt"
# mkcert NAME SUBJECT SECTION SERIAL KEY ISSUER
#   KEY: "ec" or "rsa" for a new key NAME.key, or the path of an existing key;
#   ISSUER: the name of the issuing CA, or "self".
# libfaketime: the OpenSSL 3.0 CLI has no notBefore option, so sign "yesterday".
mkcert() {
    set -- "$@" -subj "$2" -extensions "$3" -set_serial "0x$4" -out "$OUT/$1.pem"
    case $5 in
    ec) set -- "$@" -newkey ec -pkeyopt ec_paramgen_curve:P-256 -keyout "$OUT/$1.key" ;;
    rsa) set -- "$@" -newkey rsa:2048 -keyout "$OUT/$1.key" ;;
    *) set -- "$@" -key "$5" ;;
    esac
    [ "$6" = self ] || set -- "$@" -CA "$OUT/$6.pem" -CAkey "$OUT/$6.key"
    echo "$1 $4" >>"$OUT/serials.txt"
    shift 6
    run env LD_PRELOAD="$FAKETIME_LIB" FAKETIME=-1d openssl req -x509 -noenc -days 3651 -config "$CNF" "$@"
}

mkcert root "/CN=COS Test Root" root_ca 1000000000000001 ec self
mkcert int "/CN=COS Test Intermediate" int_ca 1000000000000002 ec root
mkcert ocsp "/CN=COS Test OCSP Responder" ocsp_responder 1000000000000003 ec int
# An RSA delegated responder: MD5 signatures exist only with RSA.
mkcert ocsp-rsa "/CN=COS Test RSA OCSP Responder" ocsp_responder 100000000000000A rsa int
mkcert noeku "/CN=COS Test Responder without OCSPSigning" noeku_responder \
    1000000000000004 ec int
mkcert subca "/CN=COS Test Sub-CA" int_ca 1000000000000008 ec int
mkcert subca-ocsp "/CN=COS Sub-CA OCSP Responder" ocsp_responder \
    1000000000000009 ec subca
mkcert other-root "/CN=COS Unrelated CA" root_ca 1000000000000005 ec self
mkcert other-ocsp "/CN=COS Unrelated OCSP Responder" ocsp_responder \
    1000000000000006 ec other-root

LEAVES="leaf leaf-ec leaf-ms leaf-nourl leaf-old leaf-revoked leaf-unknown leaf-weird"
mkcert leaf /CN=localhost leaf_rsa 10A0000000000001 rsa int
mkcert leaf-ec /CN=localhost leaf_ec 10A0000000000002 ec int
mkcert leaf-ms /CN=localhost leaf_ms 10A0000000000003 ec int
mkcert leaf-nourl /CN=localhost leaf_nourl 10A0000000000004 ec int
mkcert leaf-old /CN=localhost leaf_ec 10A0000000000005 ec int
mkcert leaf-revoked /CN=localhost leaf_ec 10A0000000000006 ec int
mkcert leaf-unknown /CN=localhost leaf_ec 10A0000000000007 ec int
mkcert leaf-weird "$(printf '/CN=evil|cn\nline%s|x/O=a|b\r\tc' "$ctl")" leaf_weird \
    10A0000000000008 ec int
mkcert rogue "/CN=COS Rogue Responder" rogue_responder 1000000000000007 \
    "$OUT/leaf.key" self
mkcert client "/CN=COS Test Client" client 10B0000000000001 ec int
cat "$OUT/client.pem" "$OUT/int.pem" >"$OUT/client-chain.pem"

for leaf in $LEAVES; do
    cat "$OUT/$leaf.pem" "$OUT/int.pem" >"$OUT/$leaf-chain.pem"
    cat "$OUT/$leaf.pem" "$OUT/int.pem" "$OUT/root.pem" >"$OUT/$leaf-full.pem"
done

serial_of() { awk -v n="$1" '$1 == n { print $2 }' "$OUT/serials.txt"; }
# The responder ignores the expiry column; this is close to the notAfter.
expiry=$(date -u -d '+3650 days' +%y%m%d%H%M%SZ)
{
    for leaf in leaf leaf-ec leaf-ms leaf-nourl leaf-old leaf-weird; do
        printf 'V\t%s\t\t%s\tunknown\t/CN=localhost\n' "$expiry" "$(serial_of "$leaf")"
    done
    printf 'R\t%s\t240115120000Z,keyCompromise\t%s\tunknown\t/CN=localhost\n' \
        "$expiry" "$(serial_of leaf-revoked)"
} >"$OUT/index.txt"
# Several valid entries share CN=localhost.
echo "unique_subject = no" >"$OUT/index.txt.attr"

# request NAME [openssl ocsp options...]: $WORK/NAME.req for the given -cert(s)
request() {
    name=$1
    shift
    run openssl ocsp -no_nonce -reqout "$WORK/$name.req" "$@"
}
# respond REQUEST OUT SIGNER-CERT SIGNER-KEY [openssl ocsp options...]
respond() {
    req=$1 out=$2 signer=$3 key=$4
    shift 4
    run openssl ocsp -index "$OUT/index.txt" -CA "$OUT/int.pem" \
        -rsigner "$OUT/$signer" -rkey "$OUT/$key" \
        -reqin "$WORK/$req.req" -respout "$OUT/$out.der" "$@"
}

for leaf in $LEAVES; do
    request "$leaf" -issuer "$OUT/int.pem" -cert "$OUT/$leaf.pem"
done
# The digest option must come before -cert: it applies to the -cert after it.
request leaf-sha256 -issuer "$OUT/int.pem" -sha256 -cert "$OUT/leaf.pem"
request leaf-twice -issuer "$OUT/int.pem" -cert "$OUT/leaf.pem" -cert "$OUT/leaf.pem"

respond leaf good int.pem int.key -ndays 7
for leaf in ec ms nourl old weird; do
    respond "leaf-$leaf" "good-$leaf" int.pem int.key -ndays 7
done
respond leaf good-delegated ocsp.pem ocsp.key -ndays 7
respond leaf-revoked revoked int.pem int.key -ndays 7
respond leaf-unknown unknown int.pem int.key -ndays 7
respond leaf nonext int.pem int.key
respond leaf warn int.pem int.key -nmin 720
respond leaf crit int.pem int.key -nmin 120
respond leaf unrelated other-ocsp.pem other-ocsp.key -ndays 7
respond leaf unrelated-noembed other-ocsp.pem other-ocsp.key -ndays 7 -resp_no_certs
respond leaf rogue rogue.pem leaf.key -ndays 7
respond leaf noeku noeku.pem noeku.key -ndays 7
respond leaf indirect subca-ocsp.pem subca-ocsp.key -ndays 7 -rother "$OUT/subca.pem"
respond leaf good-nocerts int.pem int.key -ndays 7 -resp_no_certs
respond leaf-sha256 sha256 int.pem int.key -ndays 7
respond leaf bykey int.pem int.key -ndays 7 -resp_key_id
respond leaf-twice duplicate int.pem int.key -ndays 7
cp "$OUT/good-old.der" "$OUT/other-serial.der"

if openssl ocsp -respin "$OUT/nonext.der" -resp_text -noverify 2>&1 |
    grep -q 'Next Update'; then
    die "openssl ocsp wrote a nextUpdate into nonext.der"
fi

if [ -n "${cc_pid:-}" ]; then
    wait "$cc_pid" || {
        cat "$WORK/cc.log" >&2
        die "cannot compile $HERE/helpers/ocsp-forge.c"
    }
fi
forge() {
    run "$FORGE" --issuer "$OUT/int.pem" --cert "$OUT/leaf.pem" \
        --signer "$OUT/int.pem" --key "$OUT/int.key" --embed "$OUT/int.pem" "$@"
}
day=86400
forge --this-update $((-10 * day)) --produced-at $((-10 * day)) \
    --next-update $((-3 * day)) --out "$OUT/expired.der"
forge --this-update $((2 * day)) --next-update $((9 * day)) --out "$OUT/notyet.der"
forge --status good --status revoked --out "$OUT/conflict.der"
forge --next-update -3600 --out "$OUT/next-before-this.der"
forge --produced-at $((2 * day)) --out "$OUT/produced-future.der"
forge --unknown-hash --out "$OUT/unknown-hash.der"
# SPEC 9: critical extensions (unknown, in the response and in the entry;
# the nonce, understood), an unreadable producedAt, an MD5 signature, an
# unassigned revocation reason, a CertID naming another issuer.
forge --critical-ext 1.3.6.1.4.1.55555.1 --out "$OUT/crit-ext.der"
forge --single-critical-ext 1.3.6.1.4.1.55555.2 --out "$OUT/single-crit-ext.der"
forge --critical-ext 1.3.6.1.5.5.7.48.1.2 --out "$OUT/nonce-critical.der"
forge --nonce --out "$OUT/nonce.der"
forge --bad-produced-at --out "$OUT/bad-produced.der"
forge --md5 --signer "$OUT/ocsp-rsa.pem" --key "$OUT/ocsp-rsa.key" \
    --embed "$OUT/ocsp-rsa.pem" --out "$OUT/md5.der"
forge --signer "$OUT/ocsp-rsa.pem" --key "$OUT/ocsp-rsa.key" \
    --embed "$OUT/ocsp-rsa.pem" --out "$OUT/sha256-rsa.der"
run "$FORGE" --issuer "$OUT/int.pem" --cert "$OUT/leaf-revoked.pem" --signer "$OUT/int.pem" \
    --key "$OUT/int.key" --embed "$OUT/int.pem" --status revoked --reason 7 \
    --out "$OUT/reason-unassigned.der"
forge --issuer-name "$OUT/root.pem" --out "$OUT/other-issuer.der"
# A revoked staple whose crlUrl forges lines of the long output.
run "$FORGE" --issuer "$OUT/int.pem" --cert "$OUT/leaf-revoked.pem" --signer "$OUT/int.pem" \
    --key "$OUT/int.key" --embed "$OUT/int.pem" --status revoked \
    --crl-url "$(printf 'http://x/\nOCSP STAPLE OK - certificate good | next_update=1s\nChecks passed: everything')" \
    --out "$OUT/forged-lines.der"

# The signature is the response's last element when no certificates follow.
size=$(wc -c <"$OUT/good-nocerts.der")
{
    head -c $((size - 1)) "$OUT/good-nocerts.der"
    tail -c 1 "$OUT/good-nocerts.der" | tr '\000-\377' '\001-\377\000'
} >"$OUT/badsig.der"

# Hand-made responses. OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED,
# responseBytes [0] EXPLICIT SEQUENCE { responseType OID, response OCTET STRING } OPTIONAL }
printf '\060\003\012\001\001' >"$OUT/malformedrequest.der"
printf '\060\003\012\001\002' >"$OUT/internalerror.der"
printf '\060\003\012\001\003' >"$OUT/trylater.der"
printf '\060\003\012\001\005' >"$OUT/sigrequired.der"
printf '\060\003\012\001\006' >"$OUT/unauthorized.der"

basic_hex=$(openssl asn1parse -inform DER -in "$OUT/good.der" |
    awk '/d=3/ && /OCTET STRING/ { sub(/.*\[HEX DUMP\]:/, ""); print; exit }')
[ -n "$basic_hex" ] || die "cannot extract the BasicOCSPResponse of good.der"
cat >"$WORK/notbasic.cnf" <<EOF
asn1 = SEQUENCE:response
[ response ]
status = ENUMERATED:0
bytes = EXPLICIT:0,SEQUENCE:response_bytes
[ response_bytes ]
type = OID:1.3.6.1.5.5.7.48.1.3
response = FORMAT:HEX,OCTETSTRING:$basic_hex
EOF
run openssl asn1parse -genconf "$WORK/notbasic.cnf" -noout -out "$OUT/notbasic.der"

size=$(wc -c <"$OUT/good.der")
head -c $((size / 2)) "$OUT/good.der" >"$OUT/truncated.der"
# BER that is not DER: the outer SEQUENCE with a length in more bytes
# than it needs, and with an indefinite length; and a DEFAULT value
# encoded explicitly.
python3 - "$OUT/good.der" "$OUT/ber-long-length.der" "$OUT/ber-indefinite.der" \
    "$OUT/ber-explicit-version.der" <<'PY' ||
import sys
der = open(sys.argv[1], 'rb').read()
assert der[0] == 0x30 and der[1] & 0x80
n = der[1] & 0x7f
body = der[2 + n:]
open(sys.argv[2], 'wb').write(bytes([0x30, 0x80 | (n + 1), 0]) + der[2:2 + n] + body)
open(sys.argv[3], 'wb').write(bytes([0x30, 0x80]) + body + bytes([0, 0]))


# The ResponseData's version, DEFAULT v1, encoded explicitly ([0] INTEGER
# 0), which DER leaves out. (The signature no longer matches, but a staple
# that is not DER fails before its signature is looked at.)
def tlv(b, i):
    tag, n = b[i], b[i + 1]
    if n < 0x80:
        return tag, i + 2, i + 2 + n
    k = n & 0x7f
    n = int.from_bytes(b[i + 2:i + 2 + k], 'big')
    return tag, i + 2 + k, i + 2 + k + n


def enc(tag, content):
    n = len(content)
    if n < 0x80:
        return bytes([tag, n]) + content
    k = (n.bit_length() + 7) // 8
    return bytes([tag, 0x80 | k]) + n.to_bytes(k, 'big') + content


def inner(b, path):
    # rewrite the element at the end of path (indices of children)
    tag, start, end = tlv(b, 0)
    if not path:
        return enc(tag, bytes([0xa0, 3, 2, 1, 0]) + b[start:end])
    kids, i = [], start
    while i < end:
        _, _, e = tlv(b, i)
        kids.append(b[i:e])
        i = e
    kids[path[0]] = inner(kids[path[0]], path[1:])
    return enc(tag, b''.join(kids))


def octet(b):
    # OCTET STRING holding a DER value: rewrite what it holds
    tag, start, end = tlv(b, 0)
    return enc(tag, inner(b[start:end], [0]))


r = der
tag, start, end = tlv(r, 0)
kids, i = [], start
while i < end:
    _, _, e = tlv(r, i)
    kids.append(r[i:e])
    i = e
# kids[1] is [0] EXPLICIT { SEQUENCE { OID, OCTET STRING } }
t1, s1, e1 = tlv(kids[1], 0)
rb = kids[1][s1:e1]
t2, s2, e2 = tlv(rb, 0)
oid_end = tlv(rb, s2)[2]
rb = enc(t2, rb[s2:oid_end] + octet(rb[oid_end:e2]))
kids[1] = enc(t1, rb)
open(sys.argv[4], 'wb').write(enc(tag, b''.join(kids)))
PY
    die "cannot write the BER responses"
{
    cat "$OUT/good.der"
    printf '\336\255\276\357'
} >"$OUT/trailing.der"
: >"$OUT/empty.der"
echo "check_ocsp_staple garbage" | openssl dgst -sha512 -binary >"$OUT/garbage.der"

{
    echo "-----BEGIN OCSP RESPONSE-----"
    openssl base64 -in "$OUT/good.der"
    echo "-----END OCSP RESPONSE-----"
} >"$OUT/good.pem"
