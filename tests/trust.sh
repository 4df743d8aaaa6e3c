#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# trust.sh - where the trust anchors come from: -C, --ca-path, and without
# them the system's store, which SSL_CERT_DIR and SSL_CERT_FILE replace as
# in OpenSSL, with the bundle as the fallback when the directory is
# missing. make check runs every test with both unset (tests/Makefile.am);
# here they are set on purpose, one run at a time.
. "$(dirname "$0")/lib.sh"

make_pki
cd "$PKI" || exit 99
s_server good -cert leaf.pem -key leaf.key -cert_chain int.pem -status_file good.der || exit 99
p=$good_port

# A hashed directory with the test root, one with an unrelated CA only,
# and a bundle file of each.
mkdir -p "$T/rootdir" "$T/otherdir"
cp root.pem "$T/rootdir/"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$T/other.key" -out "$T/other.pem" -subj '/CN=COS Unrelated Root' \
    -days 30 2>/dev/null || exit 99
cp "$T/other.pem" "$T/otherdir/"
openssl rehash "$T/rootdir" "$T/otherdir" || exit 99
untrusted='^OCSP STAPLE CRITICAL - server certificate chain does not verify: unable to get local issuer certificate'
ok='^OCSP STAPLE OK - certificate good'
# lib.sh unset both variables; a run sets what it tests.

# The system's store: it does not hold the test root.
expect_run "no option, no variable: the system store, which lacks the test root" 2 "$untrusted" \
    env "$PLUGIN" -H localhost -p "$p" -vv
check "the system store is read through its directory" \
    grep -qx "trust anchors: directory $(openssl version -d | sed 's/^OPENSSLDIR: "\(.*\)"$/\1/')/certs" <<<"$LAST_OUTPUT"

# SSL_CERT_DIR and SSL_CERT_FILE.
expect_run "SSL_CERT_DIR with the root: OK" 0 "$ok" \
    env SSL_CERT_DIR="$T/rootdir" "$PLUGIN" -H localhost -p "$p" -vv
check "SSL_CERT_DIR is the directory read" grep -qx "trust anchors: directory $T/rootdir" <<<"$LAST_OUTPUT"
expect_run "SSL_CERT_DIR without the root: CRITICAL" 2 "$untrusted" \
    env SSL_CERT_DIR="$T/otherdir" "$PLUGIN" -H localhost -p "$p"
expect_run "SSL_CERT_FILE with the root: OK" 0 "$ok" \
    env SSL_CERT_FILE="$PKI/root.pem" "$PLUGIN" -H localhost -p "$p" -vv
check "SSL_CERT_FILE is the file read, and no directory" \
    test "$(grep '^trust anchors:' <<<"$LAST_OUTPUT")" = "trust anchors: file $PKI/root.pem"
expect_run "SSL_CERT_FILE without the root: CRITICAL" 2 "$untrusted" \
    env SSL_CERT_FILE="$T/other.pem" "$PLUGIN" -H localhost -p "$p"
expect_run "both: the directory and the file are read, the root in the file: OK" 0 "$ok" \
    env SSL_CERT_DIR="$T/otherdir" SSL_CERT_FILE="$PKI/root.pem" "$PLUGIN" -H localhost -p "$p"
expect_run "both: the root in the directory: OK" 0 "$ok" \
    env SSL_CERT_DIR="$T/rootdir" SSL_CERT_FILE="$T/other.pem" "$PLUGIN" -H localhost -p "$p"
# The fallback: a directory that is not there, then the bundle.
expect_run "SSL_CERT_DIR missing, SSL_CERT_FILE with the root: the bundle, OK" 0 "$ok" \
    env SSL_CERT_DIR="$T/none" SSL_CERT_FILE="$PKI/root.pem" "$PLUGIN" -H localhost -p "$p"
expect_run "SSL_CERT_DIR missing alone: the system's bundle, which lacks the root" 2 "$untrusted" \
    env SSL_CERT_DIR="$T/none" "$PLUGIN" -H localhost -p "$p" -vv
check "the system's bundle is the file read" \
    grep -qx "trust anchors: file $(openssl version -d | sed 's/^OPENSSLDIR: "\(.*\)"$/\1/')/cert.pem" <<<"$LAST_OUTPUT"
expect_run "SSL_CERT_FILE that cannot be read: UNKNOWN, a local problem" 3 \
    "^OCSP STAPLE UNKNOWN - cannot load the trust anchors: no system trust store \\($T/none.pem: " \
    env SSL_CERT_DIR="$T/none" SSL_CERT_FILE="$T/none.pem" "$PLUGIN" -H localhost -p "$p"

# -C and --ca-path replace the system store and the variables.
expect_run "-C: OK whatever SSL_CERT_FILE says" 0 "$ok" \
    env SSL_CERT_FILE="$T/other.pem" "$PLUGIN" -H localhost -p "$p" -C root.pem
expect_run "--ca-path with the root: OK" 0 "$ok" \
    env "$PLUGIN" -H localhost -p "$p" --ca-path "$T/rootdir" -vv
check "--ca-path is what was read" grep -qx "trust anchors: $T/rootdir" <<<"$LAST_OUTPUT"
expect_run "--ca-path without the root: CRITICAL, whatever SSL_CERT_DIR says" 2 "$untrusted" \
    env SSL_CERT_DIR="$T/rootdir" "$PLUGIN" -H localhost -p "$p" --ca-path "$T/otherdir"
expect_run "--ca-path that is not a directory: UNKNOWN" 3 \
    "^OCSP STAPLE UNKNOWN - cannot load the trust anchors: --ca-path $T/none: not a readable directory" \
    env "$PLUGIN" -H localhost -p "$p" --ca-path "$T/none"
expect_run "--ca-path with the intermediate only: a partial chain, OK" 0 "$ok" \
    env "$PLUGIN" -H localhost -p "$p" --ca-path "$(mkdir -p "$T/intdir" && cp int.pem "$T/intdir/" &&
        openssl rehash "$T/intdir" && echo "$T/intdir")"


# Offline, --issuer is an explicit anchor too: it replaces the system
# store (here SSL_CERT_FILE, which holds the root).
expect_run "offline, the system store holds the root: OK" 0 "$ok" \
    env SSL_CERT_FILE="$PKI/root.pem" "$PLUGIN" --response good.der --cert leaf-chain.pem
expect_run "offline --issuer names another CA: it replaces the system store, CRITICAL" 2 \
    '^OCSP STAPLE CRITICAL - server certificate chain does not verify: unable to get local issuer certificate' \
    env SSL_CERT_FILE="$PKI/root.pem" "$PLUGIN" --response good.der --cert leaf-chain.pem \
    --issuer "$T/other.pem"
expect_run "offline --issuer names the issuer: OK, whatever the system store holds" 0 "$ok" \
    env SSL_CERT_FILE="$T/other.pem" "$PLUGIN" --response good.der --cert leaf.pem --issuer int.pem

finish
