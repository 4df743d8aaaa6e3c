#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# offline.sh - offline mode (--response/--cert/--issuer) on every response
# the test PKI makes: the verdict and the words of each SPEC 3 failure.
. "$(dirname "$0")/lib.sh"

make_pki
cd "$PKI" || exit 99

# verdict RESPONSE CERT CODE REGEX [ARGS...]
verdict() {
    local response=$1 cert=$2 code=$3 regex=$4
    shift 4
    expect "$response with $cert" "$code" "^OCSP STAPLE $regex" \
        --response "$response" --cert "$cert" -C root.pem "$@"
}

verdict good.der leaf-chain.pem 0 "OK - certificate good, next update in $(durations_since_pki 604800)"
verdict good.pem leaf-chain.pem 0 'OK - certificate good'
verdict good-ec.der leaf-ec-chain.pem 0 'OK - certificate good'
verdict good-delegated.der leaf-chain.pem 0 'OK - certificate good'
verdict sha256.der leaf-chain.pem 0 'OK - certificate good' -v
check "SHA-256 CertID is reported (-v)" grep -q '^CertID hash: SHA256$' <<<"$LAST_OUTPUT"
verdict bykey.der leaf-chain.pem 0 'OK - certificate good'
verdict duplicate.der leaf-chain.pem 0 'OK - certificate good'
verdict nonext.der leaf-chain.pem 1 'WARNING - certificate good, staple without nextUpdate'
verdict nonext.der leaf-chain.pem 0 'OK - certificate good' --no-next-update OK
verdict nonext.der leaf-chain.pem 2 'CRITICAL - certificate good, staple without nextUpdate, .*\(critical: older than 1h\)' \
    --no-next-update OK --age-critical 1h --now $(($(date +%s) + 7200))
# --skew, 300 s by default, on both ends of the validity window.
this_update=$(date -d "$(openssl ocsp -respin good.der -resp_text -noverify 2>/dev/null |
    sed -n 's/^ *This Update: //p')" +%s)
next_update=$(date -d "$(openssl ocsp -respin good.der -resp_text -noverify 2>/dev/null |
    sed -n 's/^ *Next Update: //p')" +%s)
verdict good.der leaf-chain.pem 0 'OK - certificate good' --now $((this_update - 200))
verdict good.der leaf-chain.pem 2 'CRITICAL - staple is not yet valid: thisUpdate is 6m 40s in the future' \
    --now $((this_update - 400))
verdict good.der leaf-chain.pem 2 'CRITICAL - staple is not yet valid: thisUpdate is 3m 20s in the future' \
    --now $((this_update - 200)) --skew 100
verdict good.der leaf-chain.pem 0 'OK - certificate good' --now $((this_update - 200)) --skew 5m
# Within the skew past nextUpdate: not expired (the thresholds would
# alert on the time left, which is below 0).
verdict good.der leaf-chain.pem 0 'OK - certificate good, next update was due 3m 20s ago \(within --skew\), ' \
    --now $((next_update + 200)) -w '~:' -c '~:'
verdict good.der leaf-chain.pem 2 'CRITICAL - staple expired: nextUpdate was 3m 20s ago' \
    --now $((next_update + 200)) --skew 100
verdict warn.der leaf-chain.pem 1 "WARNING - certificate good, next update in $(durations_since_pki 43200)"
verdict crit.der leaf-chain.pem 2 "CRITICAL - certificate good, next update in $(durations_since_pki 7200)"
verdict revoked.der leaf-revoked-chain.pem 2 'CRITICAL - certificate revoked: 2024-01-15 12:00:00 UTC, reason keyCompromise'
check "revocation is in the long output" grep -q '^Staple: certificate revoked at 2024-01-15 12:00:00 UTC, reason keyCompromise, signed by ' <<<"$LAST_OUTPUT"
verdict unknown.der leaf-unknown-chain.pem 2 'CRITICAL - responder does not know the certificate \(status unknown\)'
verdict expired.der leaf-chain.pem 2 "CRITICAL - staple expired: nextUpdate was $(durations_since_pki 259200 ago) ago"
verdict notyet.der leaf-chain.pem 2 "CRITICAL - staple is not yet valid: thisUpdate is $(durations_since_pki 172800) in the future"
verdict next-before-this.der leaf-chain.pem 2 "CRITICAL - staple's nextUpdate is before its thisUpdate"
verdict produced-future.der leaf-chain.pem 2 "CRITICAL - staple's producedAt is in the future"
verdict unrelated.der leaf-chain.pem 2 "CRITICAL - staple's signer is not trusted: unable to get local issuer certificate"
verdict unrelated-noembed.der leaf-chain.pem 2 "CRITICAL - staple's signer certificate not found: responder CN=COS Unrelated OCSP Responder"
verdict rogue.der leaf-chain.pem 2 "CRITICAL - staple's signer is not trusted: self-signed certificate \(CN=COS Rogue Responder\)"
verdict noeku.der leaf-chain.pem 2 "CRITICAL - staple's signer lacks the OCSPSigning usage"
verdict indirect.der leaf-chain.pem 2 "CRITICAL - staple's signer is not authorized by the certificate's issuer"
verdict badsig.der leaf-chain.pem 2 "CRITICAL - staple's signature is invalid"
verdict other-serial.der leaf-chain.pem 2 'CRITICAL - staple is for another certificate: serial 10A0000000000005, not 10A0000000000001'
verdict conflict.der leaf-chain.pem 2 'CRITICAL - staple gives conflicting statuses for the certificate: entries good and revoked'
verdict unknown-hash.der leaf-chain.pem 2 "CRITICAL - staple's CertID uses an unsupported hash: 1.3.14.3.2.99"
verdict trylater.der leaf-chain.pem 2 'CRITICAL - responder did not answer successfully: responseStatus tryLater \(3\)'
verdict internalerror.der leaf-chain.pem 2 'CRITICAL - responder did not answer successfully: responseStatus internalError \(2\)'
verdict unauthorized.der leaf-chain.pem 2 'CRITICAL - responder did not answer successfully: responseStatus unauthorized \(6\)'
verdict sigrequired.der leaf-chain.pem 2 'CRITICAL - responder did not answer successfully: responseStatus sigRequired \(5\)'
verdict malformedrequest.der leaf-chain.pem 2 'CRITICAL - responder did not answer successfully: responseStatus malformedRequest \(1\)'
verdict notbasic.der leaf-chain.pem 2 'CRITICAL - staple is not a basic OCSP response'
verdict truncated.der leaf-chain.pem 2 'CRITICAL - staple is not a well-formed OCSP response'
verdict garbage.der leaf-chain.pem 2 'CRITICAL - staple is not a well-formed OCSP response'
verdict trailing.der leaf-chain.pem 2 'CRITICAL - staple has trailing bytes after the OCSP response: 4 bytes'
verdict empty.der leaf-chain.pem 2 'CRITICAL - staple is empty'
# SPEC 9: DER only, critical extensions, readable times, no MD5, messages
# that say what is wrong.
verdict ber-long-length.der leaf-chain.pem 2 'CRITICAL - staple is not DER: its [0-9]+ bytes decode, but do not encode back to themselves \(BER\) \|'
verdict ber-indefinite.der leaf-chain.pem 2 'CRITICAL - staple is not DER: its [0-9]+ bytes decode, but do not encode back to themselves \(BER\) \|'
verdict ber-explicit-version.der leaf-chain.pem 2 'CRITICAL - staple is not DER: the ResponseData holds its DEFAULT version v1, which DER leaves out \|'
verdict crit-ext.der leaf-chain.pem 2 "CRITICAL - staple has a critical extension this plugin does not understand: 1\\.3\\.6\\.1\\.4\\.1\\.55555\\.1 in the responseExtensions \\|"
verdict single-crit-ext.der leaf-chain.pem 2 "CRITICAL - staple has a critical extension this plugin does not understand: 1\\.3\\.6\\.1\\.4\\.1\\.55555\\.2 in the certificate's SingleResponse \\|"
verdict nonce.der leaf-chain.pem 0 'OK - certificate good'
verdict nonce-critical.der leaf-chain.pem 0 'OK - certificate good'
verdict bad-produced.der leaf-chain.pem 2 'CRITICAL - staple has a time that cannot be read: producedAt \|'
check "an unreadable producedAt is never shown as a date" \
    test -z "$(grep -E '^producedAt: ' <<<"$LAST_OUTPUT")"
verdict md5.der leaf-chain.pem 2 'CRITICAL - staple is signed with MD5, which proves nothing \(RFC 6151\): md5WithRSAEncryption \(CN=COS Test RSA OCSP Responder\) \|'
verdict sha256-rsa.der leaf-chain.pem 0 'OK - certificate good'
verdict reason-unassigned.der leaf-revoked-chain.pem 2 'CRITICAL - certificate revoked: 2024-01-15 12:00:00 UTC, reason code 7 \|'
check "the long output says reason code 7 too" \
    grep -q '^Staple: certificate revoked at 2024-01-15 12:00:00 UTC, reason code 7, signed by ' <<<"$LAST_OUTPUT"
verdict other-issuer.der leaf-chain.pem 2 "CRITICAL - staple's CertID names another issuer: the issuer name hash differs \\(serial 10A0000000000001\\) \\|"
# -vvv prints the staple before its signature is checked: a crlUrl holding
# newlines cannot forge lines, and every line of it says it is unverified.
verdict forged-lines.der leaf-revoked-chain.pem 2 'CRITICAL - certificate revoked' -vvv
check "-vvv: one status line only, no forged one" test "$(grep -c '^OCSP STAPLE' <<<"$LAST_OUTPUT")" -eq 1
check "-vvv: no forged 'Checks passed'" test -z "$(grep '^Checks passed: everything' <<<"$LAST_OUTPUT")"
check "-vvv: the staple's dump is marked unverified" \
    grep -qx '  unverified: OCSP STAPLE OK - certificate good / next_update=1s' <<<"$LAST_OUTPUT"
check "-vvv: the dump is introduced as unverified" grep -qx 'The response as sent (unverified):' <<<"$LAST_OUTPUT"
# The largest file read: 1 MiB (one byte more is refused, see cli.sh).
size=$(wc -c <good.der)
{
    cat good.der
    head -c $((1048576 - size)) /dev/zero
} >"$T/1mib.der"
verdict "$T/1mib.der" leaf-chain.pem 2 "CRITICAL - staple has trailing bytes after the OCSP response: $((1048576 - size)) bytes after a $size-byte response"

# The chain, offline.
expect "certificate without its chain, anchor the root: CRITICAL" 2 \
    '^OCSP STAPLE CRITICAL - server certificate chain does not verify: unable to get local issuer certificate' \
    --response good.der --cert leaf.pem -C root.pem
expect "--issuer completes the chain" 0 '^OCSP STAPLE OK - certificate good' \
    --response good.der --cert leaf.pem --issuer int.pem
expect "--issuer that did not issue the certificate: CRITICAL" 2 \
    '^OCSP STAPLE CRITICAL - server certificate chain does not verify' \
    --response good.der --cert leaf.pem --issuer other-root.pem
expect "the chain against the system store: CRITICAL" 2 \
    '^OCSP STAPLE CRITICAL - server certificate chain does not verify' \
    --response good.der --cert leaf-chain.pem
expect "-vvv prints the whole response" 0 '^OCSP STAPLE OK' \
    --response good.der --cert leaf-chain.pem -C root.pem -vvv
check "-vvv output holds OpenSSL's dump" grep -q 'OCSP Response Status: successful' <<<"$LAST_OUTPUT"
expect "the same staple a week later is expired" 2 '^OCSP STAPLE CRITICAL - staple expired' \
    --response good.der --cert leaf-chain.pem -C root.pem --now $(($(date +%s) + 8 * 86400))

finish
