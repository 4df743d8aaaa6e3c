#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# make-seeds.sh - regenerates the fixed chain (fuzz/pki) and the seed
# corpora (fuzz/corpus) from tests/mkpki.sh. Run by hand, from anywhere;
# its output is committed, so that every fuzz run, every replay and every
# regression input sees the same chain and the same time. Only
# certificates and responses are kept: no private key.
#
#   fuzz/pki/leaf.pem int.pem root.pem leaf-chain.pem good.der
#                           the test PKI's RSA leaf, its issuer and root
#   fuzz/pki/now            the time the harnesses judge at: one hour after
#                           the responses were made (good.der is then OK)
#   fuzz/corpus/staple/     every response mkpki.sh makes
#   fuzz/corpus/offline/    the same as --response files (first byte 0),
#                           PEM and DER certificate files (1) and issuer
#                           files (2)
#   fuzz/corpus/range/      ranges and durations, good and bad
#   fuzz/corpus/options/    command lines, arguments separated by NUL
#   fuzz/corpus/http/       the responder's HTTP answers: each response as
#                           a good answer, and hostile ones
#   fuzz/corpus/crl/        CRLs of the intermediate: good (listing
#                           leaf-revoked), partitioned, with a critical
#                           unknown extension, expired, a delta CRL, and
#                           garbage
#   fuzz/corpus/certmsg/    TLS 1.3 Certificate messages of leaf and int
#                           (and root), with a staple for each, for the
#                           leaf only, none, two for one entry, and a cut
#                           one
#   fuzz/corpus/crlindex/   the indexes a run keeps in --cache-dir of the
#                           good, expired and delta CRLs (made by
#                           fuzz/index-seed, built here with make), and
#                           garbage
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

OCSP_URL=http://127.0.0.1:8888/ "$here/../tests/mkpki.sh" "$work/pki"
p=$work/pki

# The responder's HTTP answers: each staple corpus entry as a good answer,
# and the hostile ones responder.sh serves.
http_seeds() {
    local staple=$1 out=$2 f name len
    mkdir -p "$out"
    for f in "$staple"/*; do
        name=$(basename "$f")
        len=$(wc -c <"$f")
        { printf 'HTTP/1.0 200 OK\r\nContent-Type: application/ocsp-response\r\nContent-Length: %d\r\nCache-Control: max-age=3600, public\r\n\r\n' "$len"; cat "$f"; } >"$out/ok-$name"
    done
    len=$(wc -c <"$staple/good")
    { printf 'HTTP/1.1 200 OK\r\nVia: 1.1 proxy\r\ncontent-type: Application/OCSP-Response; charset=x\r\nContent-Length: %d\r\nCache-Control: no-cache\r\n\r\n' "$len"; cat "$staple/good"; } >"$out/proxied"
    { printf 'HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n' "$len"; cat "$staple/good"; } >"$out/wrong-type"
    { printf 'HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n' "$len"; cat "$staple/good"; } >"$out/no-type"
    { printf 'HTTP/1.0 200 OK\r\nContent-Type: application/ocsp-response\r\nContent-Length: %d\r\n\r\n' "$len"; head -c $((len / 2)) "$staple/good"; } >"$out/cut"
    printf 'HTTP/1.0 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\noops\n' >"$out/500"
    printf 'HTTP/1.0 302 Found\r\nLocation: http://127.0.0.1:9/elsewhere\r\nContent-Length: 0\r\n\r\n' >"$out/302"
    printf 'HTTP/1.0 307 Temporary Redirect\r\nLocation: /x\r\n\r\n' >"$out/307"
    printf 'HTTP/1.0 200 OK\r\nContent-Type: application/ocsp-response\r\nContent-Length: 10485760\r\n\r\n\x30\x84\x00\x9f\xff\xfa' >"$out/huge"
    printf 'HTTP/1.0 200 OK\r\nContent-Type: application/ocsp-response\r\n\r\nthis is not an OCSP response\n' >"$out/garbage"
    printf 'not HTTP at all\r\n\r\n' >"$out/not-http"
}

rm -rf "$here/pki" "$here/corpus"
mkdir -p "$here/pki" "$here/corpus/staple" "$here/corpus/offline" \
    "$here/corpus/range" "$here/corpus/options"
cp "$p/leaf.pem" "$p/int.pem" "$p/root.pem" "$p/leaf-chain.pem" "$p/good.der" "$here/pki/"
# thisUpdate of good.der, plus one hour
this=$(openssl ocsp -respin "$p/good.der" -resp_text -noverify |
    sed -n 's/^ *This Update: //p' | head -n 1)
echo $(($(date -u -d "$this" +%s) + 3600)) >"$here/pki/now"

for f in "$p"/*.der; do
    name=$(basename "$f" .der)
    cp "$f" "$here/corpus/staple/$name"
    { printf '\000'; cat "$f"; } >"$here/corpus/offline/response-$name"
done
{ printf '\000'; cat "$p/good.pem"; } >"$here/corpus/offline/response-pem"
{ printf '\001'; cat "$p/leaf-chain.pem"; } >"$here/corpus/offline/cert-chain"
{ printf '\001'; openssl x509 -in "$p/leaf.pem" -outform DER; } >"$here/corpus/offline/cert-der"
{ printf '\002'; cat "$p/int.pem"; } >"$here/corpus/offline/issuer-int"
{ printf '\002'; cat "$p/other-root.pem"; } >"$here/corpus/offline/issuer-other"

n=0
for range in 1d 4h 10 10: ~:10 10:20 @10:20 @~:0 :10 : ~: 1.5h 90m 30s 0.5:0.75 \
    +10:+20 -1d:-1h 0.001 36500d 1h:1d @1h:2h 10:5 1x 1e3 inf ' 10' @ ~ 0x10 \
    99999999999999999999999 0.0000001; do
    n=$((n + 1))
    printf '%s' "$range" >"$here/corpus/range/$n"
done

n=0
while IFS= read -r line; do
    n=$((n + 1))
    # arguments are separated by single spaces in the list below
    printf '%b' "$line" | tr ' ' '\000' >"$here/corpus/options/$n"
done <<'LIST'
-H localhost
-H localhost -p 443 -w 1d -c 4h -t 10:WARNING
-H www.example.org -I 192.0.2.7 --sni www.example.org -4 -C /etc/ssl/ca.pem
--response r.der --cert c.pem --issuer i.pem --now 1700000000 --skew 5m
--hostname=h --port=8443 --age-warning=4d --age-critical=~:7d -vvv
-H h --no-staple OK --no-ocsp-url WARNING --no-next-update CRITICAL
-H h --ca-path /etc/ssl/certs -6 --timeout 3:unknown
-H -p 443
-H h -4 -6
-H h --ipv4=yes
-H h --no OK
-H h -vx extra
-H h -S smtp -A --retries 2 --retry-delay 0.5
-H h -S postgres -I 127.0.0.1,::1 --tls-min 1.2 --tls-max 1.3
-H h --ciphers HIGH:!aNULL --ciphersuites TLS_AES_128_GCM_SHA256 --groups X25519:P-256
-H h --client-cert c.pem --client-key k.pem
-H a,b -6
-H fe80::1%lo -p 443
-H 127.0.0.1 -6
-H h --sni h\xc2\x85\xe2\x80\xae
--response r --cert c -S smtp
--help
-V
LIST
http_seeds "$here/corpus/staple" "$here/corpus/http"

# crl NAME [EXTENSION-LINES [openssl ca options]]: a CRL of int.
crl() {
    local name=$1 ext=${2:-}
    shift 2 || shift $#
    printf '[ ca ]\ndefault_ca = int\n[ int ]\ndatabase = %s\ncrlnumber = %s\ndefault_md = sha256\ndefault_crl_days = 7\ncrl_extensions = ext\n[ ext ]\nauthorityKeyIdentifier = keyid:always\n%s\n' \
        "$p/index.txt" "$work/crlnumber" "$ext" >"$work/ca.cnf"
    openssl ca -batch -config "$work/ca.cnf" -gencrl -keyfile "$p/int.key" \
        -cert "$p/int.pem" -out "$work/$name.pem" "$@" 2>/dev/null
    openssl crl -in "$work/$name.pem" -outform DER -out "$here/corpus/crl/$name"
}
mkdir -p "$here/corpus/crl"
echo 01 >"$work/crlnumber"
crl good
crl partitioned "issuingDistributionPoint = critical, @idp
[ idp ]
fullname = URI:http://127.0.0.1:8888/part.crl
onlyuser = TRUE"
crl critical "1.3.6.1.4.1.99999.1 = critical, ASN1:NULL"
crl expired "" -crl_lastupdate 20240101000000Z -crl_nextupdate 20240108000000Z
crl delta "2.5.29.27 = critical, DER:02:01:01"
printf 'not a CRL\n' >"$here/corpus/crl/garbage"

make -s -C "$here" index-seed >/dev/null
mkdir -p "$here/corpus/crlindex"
for name in good expired; do
    "$here/index-seed" "$here/corpus/crl/$name" "$here/corpus/crlindex/$name"
done
"$here/index-seed" "$here/corpus/crl/delta" "$here/corpus/crlindex/delta" delta
printf 'not an index\n' >"$here/corpus/crlindex/garbage"

# TLS 1.3 Certificate messages (RFC 8446 4.4.2) of the fixed chain.
"$p/ocsp-forge" --issuer "$p/root.pem" --cert "$p/int.pem" --signer "$p/root.pem" \
    --key "$p/root.key" --out "$work/int-good.der"
mkdir -p "$here/corpus/certmsg"
python3 - "$p" "$work" "$here/corpus/certmsg" <<'PY'
import subprocess, sys
pki, work, out = sys.argv[1:]
def der(name):
    return subprocess.run(["openssl", "x509", "-in", f"{pki}/{name}.pem", "-outform", "DER"],
                          check=True, capture_output=True).stdout
def n(v, octets):
    return v.to_bytes(octets, "big")
def status(ocsp):
    body = b"\x01" + n(len(ocsp), 3) + ocsp
    return n(5, 2) + n(len(body), 2) + body
def message(entries):
    lst = b"".join(n(len(c), 3) + c + n(len(e), 2) + e for c, e in entries)
    body = b"\x00" + n(len(lst), 3) + lst
    return b"\x0b" + n(len(body), 3) + body
leaf, inter, root = der("leaf"), der("int"), der("root")
good = open(f"{pki}/good.der", "rb").read()
igood = open(f"{work}/int-good.der", "rb").read()
seeds = {
    "chain": [(leaf, status(good)), (inter, status(igood))],
    "with-root": [(leaf, status(good)), (inter, status(igood)), (root, b"")],
    "leaf-only": [(leaf, status(good)), (inter, b"")],
    "none": [(leaf, b""), (inter, b"")],
    "two": [(leaf, status(good)), (inter, status(igood) + status(igood))],
    "swapped": [(leaf, status(good)), (inter, status(good))],
}
for name, entries in seeds.items():
    open(f"{out}/{name}", "wb").write(message(entries))
whole = message(seeds["chain"])
open(f"{out}/cut", "wb").write(whole[: len(whole) // 2])
PY

echo "make-seeds.sh: $(find "$here/corpus" -type f | wc -l) seeds, now=$(cat "$here/pki/now")"
