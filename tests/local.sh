#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# local.sh - a shortage on this machine is UNKNOWN and says it is local,
# never a verdict on the server (SPEC 9): no file descriptors left (ulimit
# -n) for -A's sockets, and memory running out (ulimit -v) at every point
# of a check against a good server, one limit after another.
. "$(dirname "$0")/lib.sh"

# valgrind needs descriptors and address space of its own, far beyond
# these limits: under it there is nothing to learn here.
if [ "${COS_VALGRIND:-}" = 1 ]; then
    skip "ulimit -n and ulimit -v: local problems" \
        "valgrind cannot run under such limits; the plain and the sanitizer builds run them"
    finish
    exit
fi

make_pki
cd "$PKI" || exit 99
ca=(-C "$PKI/root.pem")

# Four addresses on one port, each stapling a good response after a
# second's pause: the checks of all four are under way at once, so that
# the first two to connect hold the two descriptors left.
LISTEN=127.0.0.1 starttls_server a1 --status good.der --delay 1000 || exit 99
port=$a1_port
for i in 2 3 4; do
    LISTEN=127.0.0.$i PORT=$port starttls_server "a$i" --status good.der --delay 1000 || exit 99
done
pool=127.0.0.1,127.0.0.2,127.0.0.3,127.0.0.4
expect "-A over 4 addresses: OK with descriptors to spare" 0 \
    '^OCSP STAPLE OK - 4 of 4 addresses staple' -A -H localhost -I "$pool" -p "$port" "${ca[@]}"
# Descriptors 0 to 2 and two sockets: the other addresses find none left.
expect_run "ulimit -n 5, -A over 4 addresses: UNKNOWN, a local problem" 3 \
    '^OCSP STAPLE UNKNOWN - 2 of 4 addresses staple; 127\.0\.0\.[1-4]: local problem: Too many open files \(connecting to 127\.0\.0\.[1-4]:[0-9]+\)' \
    sh -c 'ulimit -n 5 && exec "$@"' _ "$PLUGIN" -A -H localhost -I "$pool" -p "$port" "${ca[@]}"
check "ulimit -n 5: the addresses that had a descriptor are OK" \
    test "$(grep -c '^Address 127\.0\.0\.[1-4]: OK - certificate good' <<<"$LAST_OUTPUT")" -eq 2

# Memory: the smallest address-space limit (KiB) under which the check
# passes, then every limit from well below it up to it. Each run must end
# OK or UNKNOWN with "local problem", or not start at all (the loader's
# own failure, before main): never a verdict, never a crash of its own.
if [ -n "${ASAN_OPTIONS:-}" ]; then
    skip "ulimit -v: every limit gives OK or a local problem" \
        "AddressSanitizer needs address space far beyond any such limit; the plain build runs it"
    finish
    exit
fi
starttls_server quick --status good.der || exit 99
run_limited() {
    (ulimit -v "$1" && exec "$PLUGIN" -H localhost -p "$quick_port" "${ca[@]}") 2>&1
}
low=4000 high=200000
run_limited "$high" | grep -q '^OCSP STAPLE OK' || { echo "Bail out! the check fails at $high KiB"; exit 99; }
while [ $((high - low)) -gt 4 ]; do
    mid=$(((low + high) / 2))
    if run_limited "$mid" | grep -q '^OCSP STAPLE OK'; then high=$mid; else low=$mid; fi
done
bad=0 runs=0 local_seen=0 unstarted=0
for ((v = high - 600; v <= high + 40; v += 2)); do
    out=$(run_limited "$v")
    rc=$?
    runs=$((runs + 1))
    first=${out%%$'\n'*}
    case "$rc:$first" in
    "0:OCSP STAPLE OK - "*) ;;
    "3:OCSP STAPLE UNKNOWN - local problem"* | "3:OCSP STAPLE UNKNOWN - "*"local problem"*)
        local_seen=$((local_seen + 1)) ;;
    *)
        # Too little for the dynamic loader itself, which then fails (or
        # crashes) before main, its libraries or the threads' data not
        # loaded: the same limit stops --help too, which does nothing but
        # print.
        if [[ -z $out || $first == *"error while loading shared libraries"* ||
            $first == *"cannot allocate TLS data structures"* ]] &&
            ! (ulimit -v "$v" && exec "$PLUGIN" --help) 2>/dev/null | grep -q '^Usage:'; then
            unstarted=$((unstarted + 1))
        else
            bad=$((bad + 1))
            echo "# ulimit -v $v: exit $rc: $first"
        fi ;;
    esac
done
check "ulimit -v from $((high - 600)) to $((high + 40)) KiB ($runs runs, $unstarted too small to start): OK or a local problem, never a verdict on the server" \
    test "$bad" -eq 0
check "ulimit -v: the shortage was met and reported ($local_seen runs said local problem)" \
    test "$local_seen" -gt 0

finish
