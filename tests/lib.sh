# SPDX-License-Identifier: GPL-3.0-or-later
# lib.sh - what the shell tests share; source it, do not run it.
#
# A private scratch directory, the test PKI, servers on loopback that are
# started in the background and stopped by their PID (also when a test
# fails), and assertions on the plugin's exit code and status line.
#
# From the environment (tests/Makefile.am sets them):
#   PLUGIN    the built check_ocsp_staple
#   MKPKI     tests/mkpki.sh
#   FORGE     the built tests/helpers/ocsp-forge
#   FREEPORT  the built tests/helpers/freeport
#   STARTTLS_SERVER  the built tests/helpers/starttls-server
#   INSTALL_DEPS  tests/install-deps.sh
#   TOP_SRCDIR, TOP_BUILDDIR  the source and build trees (absolute)
#   INSTALL_PLUGINDIR, INSTALL_MANDIR  where make install puts them
#
# Provides:
#   $T                     scratch directory, removed at exit
#   at_exit CMD...         runs CMD at exit, before the servers are stopped
#   need CMD...            makes sure the commands are there: installs what
#                          is missing with install-deps.sh, else bails out
#   make_pki [OCSP_URL]    generates the PKI into $T/pki and sets $PKI
#                          (and PKI_MADE, the second it began)
#   durations_since_pki FULL [ago]
#                          a regex for how the plugin writes a duration of
#                          FULL seconds at make_pki, shrunk (grown, "ago")
#                          by the seconds gone since
#   seconds_left DESC METRIC FULL TEXT
#                          passes when TEXT's perfdata METRIC=Ns has N
#                          between FULL less the seconds since make_pki
#                          and FULL: the time left of a response made
#                          with FULL seconds of validity after make_pki
#   dist_tree DIR          the release tree (what make dist packs) into DIR
#   free_port [-6]         prints a free loopback port, never one it has
#                          printed before in this test; only for servers
#                          that cannot bind port 0 (nginx, Apache, ...),
#                          and only in the test's own network namespace
#                          (servers.sh's own_network), where no other
#                          test can take it
#   spawn NAME CMD...      starts CMD in the background, output in
#                          $T/NAME.log; its PID is stopped at exit; NAME
#                          must not name a process that runs
#   stop NAME              stops what spawn NAME started
#   wait_for SECONDS CMD...
#                          runs CMD every 0.1 s until it succeeds; fails
#                          (saying so on stderr) after SECONDS, or at once
#                          when CMD exits with 255 (it will never succeed)
#   plugin_version         the version the plugin's --version names; fails
#                          when --version does
#   tcp_open HOST PORT     true when HOST:PORT accepts a connection now
#   wait_tcp HOST PORT     waits (up to 10 s) until HOST:PORT accepts
#   s_server NAME ARGS...  spawns openssl s_server on $LISTEN (default
#                          127.0.0.1) with ARGS and sets NAME_port
#   starttls_server NAME ARGS...
#                          spawns tests/helpers/starttls-server with the
#                          RSA leaf and ARGS (see its header), on $LISTEN
#                          (default 127.0.0.1) and $PORT (default 0: one
#                          the kernel picks), and sets NAME_port
#   three_staplers         s_servers for localhost stapling good.der,
#                          warn.der and revoked.der from $PKI: good_port
#                          (OK), warn_port (WARNING), revoked_port (CRITICAL)
#   listener NAME CMD...   spawns CMD, a server that binds the port it is
#                          given (0: the kernel picks one) and prints it
#                          as a line of its own ("ACCEPT ADDR:PORT" as
#                          s_server does, or the number), and sets
#                          NAME_port: the one way to start a server that
#                          can bind port 0, so no other test can take its
#                          port between a look-up and the bind
#   expect DESC CODE REGEX ARGS...
#                          runs the plugin with ARGS; passes when it exits
#                          with CODE and its first line matches REGEX
#   expect_run DESC CODE REGEX CMD...
#                          the same for any command
#   expect_case DESC CASE PORT [ARGS...]
#                          runs the plugin against localhost on
#                          127.0.0.1:PORT with -C root.pem, the arguments
#                          CASE implies, and ARGS; passes when the verdict
#                          is CASE's (the table in _case below)
#   static_sites           the cases a server stapling a response file
#                          can be given, one "NAME LEAF RESPONSE CASE" an
#                          entry (RESPONSE - for none; CASE as expect_case)
#   expect_within MIN MAX DESC CODE REGEX ARGS...
#                          expect, plus checks that the plugin took MIN
#                          milliseconds at least (a deadline not cut short)
#                          and ended within MAX (skipped under valgrind,
#                          which slows every run down several times). A
#                          deadline of -t S is bounded by S s and S s plus
#                          SLACK_MS, what a loaded 2-core machine and a
#                          sanitizer build can add to a process's run
#   expect_run_within MIN MAX DESC CODE REGEX CMD...
#                          the same for any command
#   check DESC CMD...      passes when CMD succeeds; returns its status
#   skip DESC REASON       records a check that was not made, and why
#   finish                 prints the tally; the test's exit status
#
# COS_VALGRIND=1 in the environment says that $PLUGIN runs under valgrind.

set -u

# What the plugin trusts without -C must not depend on who runs the test.
unset SSL_CERT_FILE SSL_CERT_DIR
SLACK_MS=1000

: "${PLUGIN:?PLUGIN is not set: run the tests with make check}"
: "${MKPKI:?}" "${FORGE:?}" "${FREEPORT:?}" "${STARTTLS_SERVER:?}"

T=$(mktemp -d "${TMPDIR:-/tmp}/cos-test.XXXXXX")
PKI=$T/pki
_tests=0
_failed=0
declare -A _pids=()
_at_exit=()

at_exit() {
    _at_exit+=("$(printf '%q ' "$@")")
}

_stop_all() {
    local name cmd
    for cmd in "${_at_exit[@]}"; do
        eval "$cmd"
    done
    for name in "${!_pids[@]}"; do
        kill "${_pids[$name]}" 2>/dev/null
    done
    for name in "${!_pids[@]}"; do
        _reap "$name"
    done
    rm -rf "$T"
}
trap _stop_all EXIT
trap 'exit 1' INT TERM

need() {
    local cmd missing=()
    # Daemons (icinga2, nagios4) and dpkg's helpers live in sbin.
    case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH=$PATH:/usr/sbin:/sbin ;; esac
    for cmd; do
        command -v "$cmd" >/dev/null || missing+=("$cmd")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "# missing ${missing[*]}: running install-deps.sh"
    "${INSTALL_DEPS:?}" >&2
    for cmd in "${missing[@]}"; do
        command -v "$cmd" >/dev/null ||
            { echo "Bail out! $cmd is not installed: run tests/install-deps.sh"; exit 99; }
    done
}

make_pki() {
    # Every response the PKI (or a responder) makes is from this second
    # on: seconds_left knows from it how far a check's clock can have run.
    PKI_MADE=$(date +%s)
    OCSP_URL=${1:-http://127.0.0.1:8888/} FORGE=$FORGE "$MKPKI" "$PKI" ||
        { echo "Bail out! cannot make the test PKI"; exit 99; }
}

# The build tree's own make distdir makes it, so that it works from
# distcheck's read-only source tree too; automake's distdir wants a path
# relative to the build tree.
dist_tree() {
    local rel
    : "${TOP_BUILDDIR:?}"
    mkdir -p "$(dirname "$1")"
    rel=$(realpath -m --relative-to="$TOP_BUILDDIR" "$1")
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$TOP_BUILDDIR" \
        distdir distdir="$rel" >"$T/distdir.log" 2>&1 ||
        { sed 's/^/#   /' "$T/distdir.log"; return 1; }
}

# A port is free only until someone binds it: sites declared one after the
# other and started together would otherwise get the same port now and then.
free_port() {
    local port
    [ -n "${COS_NETNS:-}" ] && [ "$COS_NETNS" = "$(readlink /proc/self/ns/net)" ] || {
        echo "Bail out! free_port outside the test's own network namespace: let the server bind port 0 (listener)"
        exit 99
    }
    while :; do
        port=$("$FREEPORT" "$@") || return 1
        grep -qx "$port" "$T/ports" 2>/dev/null || break
    done
    echo "$port" >>"$T/ports"
    echo "$port"
}

spawn() {
    local name=$1
    shift
    if [ -n "${_pids[$name]+set}" ]; then
        if kill -0 "${_pids[$name]}" 2>/dev/null; then
            echo "Bail out! spawn $name: a process of that name runs already"
            exit 99
        fi
        stop "$name" # it has ended: reap it
    fi
    "$@" >"$T/$name.log" 2>&1 </dev/null &
    _pids[$name]=$!
}

stop() {
    local pid=${_pids[$1]:-}
    [ -n "$pid" ] || return 0
    kill "$pid" 2>/dev/null || true
    _reap "$1"
    unset "_pids[$1]"
}

# _reap NAME: waits for what spawn NAME started, which has been sent TERM,
# for up to 10 s, then kills it: a server stuck on its way out (an exit()
# in a signal handler that lands in a lock) must not hold the test for
# ever.
_reap() {
    _reap_pid "${_pids[$1]}" "$1"
}

# _reap_pid PID WHAT: the same for a child PID of the calling shell. A child
# that has ended stays a zombie until waited for, which kill -0 cannot tell
# from a live one; /proc can. Exported for the shell in front of _shifted.
_reap_pid() {
    local pid=$1 i stat
    for ((i = 0; i < 100; i++)); do
        read -r stat 2>/dev/null <"/proc/$pid/stat" || break
        stat=${stat##*) } # after "PID (COMMAND) ", the state
        [ "${stat%% *}" != Z ] || break
        sleep 0.1
    done
    if [ "$i" -eq 100 ]; then
        echo "# $2 (PID $pid) did not end within 10 s of TERM: killed" >&2
        kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null || true
}
export -f _reap_pid

wait_for() {
    local tenths=$(($1 * 10)) i
    shift
    for ((i = 0; i < tenths; i++)); do
        "$@"
        case $? in
        0) return 0 ;;
        255) return 1 ;;
        esac
        sleep 0.1
    done
    echo "# still failing after $((tenths / 10)) s: $*" >&2
    return 1
}

plugin_version() {
    local text
    text=$("$PLUGIN" --version)
    # 3 (UNKNOWN), as the Monitoring Plugins end --version.
    [ $? -eq 3 ] || { echo "# $PLUGIN --version does not exit 3" >&2; return 1; }
    sed -n '1s/^check_ocsp_staple \([^ ]*\) .*/\1/p' <<<"$text"
}

tcp_open() {
    (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

wait_tcp() {
    wait_for 10 tcp_open "$1" "$2"
}

s_server() {
    local name=$1 listen=${LISTEN:-127.0.0.1}
    shift
    [[ $listen == *:* ]] && listen="[$listen]"
    # Without -quiet, s_server says "ACCEPT ADDRESS:PORT" once it listens.
    listener "$name" openssl s_server -accept "$listen:0" -www "$@"
}

starttls_server() {
    local name=$1
    shift
    listener "$name" "$STARTTLS_SERVER" --listen "${LISTEN:-127.0.0.1}" \
        --port "${PORT:-0}" --cert "$PKI/leaf-chain.pem" --key "$PKI/leaf.key" "$@"
}

three_staplers() {
    s_server good -cert "$PKI/leaf.pem" -key "$PKI/leaf.key" \
        -cert_chain "$PKI/int.pem" -status_file "$PKI/good.der" &&
        s_server warn -cert "$PKI/leaf.pem" -key "$PKI/leaf.key" \
            -cert_chain "$PKI/int.pem" -status_file "$PKI/warn.der" &&
        s_server revoked -cert "$PKI/leaf-revoked.pem" -key "$PKI/leaf-revoked.key" \
            -cert_chain "$PKI/int.pem" -status_file "$PKI/revoked.der" ||
        { echo "Bail out! cannot start the stapling servers"; exit 99; }
}

listener() {
    local name=$1 i port=
    shift
    # Not the port of an earlier server of the same name: spawn's shell may
    # not have truncated the log yet when it is first read.
    rm -f "$T/$name.log"
    spawn "$name" "$@"
    for i in $(seq 100); do
        port=$(sed -En '/^(ACCEPT .*:)?[0-9]+$/{s/.*[^0-9]//;p;q}' "$T/$name.log" 2>/dev/null)
        [ -n "$port" ] && break
        kill -0 "${_pids[$name]}" 2>/dev/null || break
        sleep 0.1
    done
    [ -n "$port" ] || { echo "# $name printed no port" >&2; cat "$T/$name.log" >&2; return 1; }
    printf -v "${name//-/_}_port" '%s' "$port"
}

_result() {
    local ok=$1 desc=$2
    _tests=$((_tests + 1))
    if [ "$ok" = yes ]; then
        echo "ok $_tests - $desc"
    else
        _failed=$((_failed + 1))
        echo "not ok $_tests - $desc"
    fi
}

expect_run() {
    local desc=$1 code=$2 regex=$3 out rc first
    shift 3
    out=$(timeout 60 "$@" 2>&1)
    rc=$?
    first=${out%%$'\n'*}
    if [ "$rc" -eq "$code" ] && [[ $first =~ $regex ]]; then
        _result yes "$desc"
    else
        _result no "$desc"
        echo "# command: $*"
        echo "# wanted exit $code and a first line matching: $regex"
        echo "# got exit $rc and:"
        printf '%s\n' "$out" | sed 's/^/#   /'
    fi
    LAST_OUTPUT=$out
}

expect() {
    local desc=$1 code=$2 regex=$3
    shift 3
    expect_run "$desc" "$code" "$regex" "$PLUGIN" "$@"
}

# _case CASE: sets _code, _regex (the status line after "OCSP STAPLE "),
# _long (a line the long output must have, or "") and _args (what the plugin
# is given) for a case of the test PKI; the comments say what is served.
_case() {
    _long='' _args=()
    case $1 in
    good) # good.der or good-ec.der, or a responder signing as int
        _code=0 _regex="OK - certificate good, next update in $(durations_since_pki 604800), "
        _long='^Staple: certificate good, signed by CN=COS Test Intermediate \(the issuing CA\), ' ;;
    delegated) # good-delegated.der, or a responder signing as ocsp
        _code=0 _regex="OK - certificate good, next update in $(durations_since_pki 604800), "
        _long='^Staple: certificate good, signed by CN=COS Test OCSP Responder \(delegated responder\), ' ;;
    warning) # good, with -w 8d
        _code=1 _regex='WARNING - certificate good, .*\(warning: less than 8d left\)'
        _args=(-w 8d) ;;
    critical) # good, with -c 8d
        _code=2 _regex='CRITICAL - certificate good, .*\(critical: less than 8d left\)'
        _args=(-c 8d) ;;
    warn) # warn.der, or a responder giving 12 h
        _code=1 _regex="WARNING - certificate good, next update in $(durations_since_pki 43200), .*\\(warning: less than 1d left\\)" ;;
    crit) # crit.der, or a responder giving 2 h
        _code=2 _regex="CRITICAL - certificate good, next update in $(durations_since_pki 7200), .*\\(critical: less than 4h left\\)" ;;
    nonext) # nonext.der, or a responder giving no nextUpdate
        _code=1 _regex='WARNING - certificate good, staple without nextUpdate, .*\(warning: no nextUpdate\)' ;;
    revoked) # leaf-revoked with revoked.der or from a responder
        _code=2 _regex='CRITICAL - certificate revoked: 2024-01-15 12:00:00 UTC, reason keyCompromise' ;;
    unknown) # leaf-unknown with unknown.der or from a responder
        _code=2 _regex='CRITICAL - responder does not know the certificate \(status unknown\)' ;;
    expired) # expired.der, or a responder living 10 days ago
        _code=2 _regex="CRITICAL - staple expired: nextUpdate was $(durations_since_pki 259200 ago) ago" ;;
    unrelated) # unrelated.der, or a responder signing as other-ocsp
        _code=2 _regex="CRITICAL - staple's signer is not trusted: unable to get local issuer certificate \\(CN=COS Unrelated OCSP Responder\\)" ;;
    other) # leaf with good-old.der: the staple from before a renewal
        _code=2 _regex='CRITICAL - staple is for another certificate: serial 10A0000000000005, not 10A0000000000001' ;;
    trylater) # trylater.der, or Apache when its responder is down
        _code=2 _regex='CRITICAL - responder did not answer successfully: responseStatus tryLater \(3\)' ;;
    absent) # no staple; the certificate names a responder
        _code=2 _regex='CRITICAL - no OCSP staple; the certificate names an OCSP responder' ;;
    muststaple) # leaf-ms without a staple
        _code=2 _regex='CRITICAL - no OCSP staple, but the certificate requires one \(must-staple\)' ;;
    nourl) # leaf-nourl without a staple
        _code=0 _regex='OK - no OCSP staple; stapling not applicable' ;;
    *) echo "Bail out! no case $1"; exit 99 ;;
    esac
}

static_sites=(
    "good leaf good.der good"
    "ec leaf-ec good-ec.der good"
    "delegated leaf good-delegated.der delegated"
    "revoked leaf-revoked revoked.der revoked"
    "unknown leaf-unknown unknown.der unknown"
    "expired leaf expired.der expired"
    "warn leaf warn.der warn"
    "crit leaf crit.der crit"
    "nonext leaf nonext.der nonext"
    "unrelated leaf unrelated.der unrelated"
    "other leaf good-old.der other"
    "trylater leaf trylater.der trylater"
    "absent leaf - absent"
    "muststaple leaf-ms - muststaple"
    "nourl leaf-nourl - nourl"
)

expect_case() {
    local desc=$1 port=$3
    _case "$2"
    shift 3
    expect "$desc" "$_code" "^OCSP STAPLE $_regex" \
        -H localhost -p "$port" -C "$PKI/root.pem" "${_args[@]}" "$@"
    [ -z "$_long" ] || check "$desc: ${_long//[\\^$]/}" grep -Eq "$_long" <<<"$LAST_OUTPUT"
}

expect_within() {
    local min=$1 max=$2 desc=$3 code=$4 regex=$5
    shift 5
    expect_run_within "$min" "$max" "$desc" "$code" "$regex" "$PLUGIN" "$@"
}

expect_run_within() {
    local min=$1 max=$2 desc=$3 start elapsed
    shift 3
    start=$(date +%s%N)
    expect_run "$desc" "$@"
    elapsed=$((($(date +%s%N) - start) / 1000000))
    check "$desc: took $min ms at least (took $elapsed ms)" test "$elapsed" -ge "$min"
    if [ "${COS_VALGRIND:-}" = 1 ]; then
        skip "$desc: ended within $max ms" "the plugin runs under valgrind (took $elapsed ms)"
    else
        check "$desc: ended within $max ms (took $elapsed ms)" test "$elapsed" -lt "$max"
    fi
}

# durations_since_pki FULL [ago]: a regex that matches how the plugin
# writes a duration that was FULL seconds when make_pki ran and has since
# shrunk (or, with "ago", grown) by at most the seconds gone by: the
# plugin's own rounding (two units, the smaller one rounded), done here
# for each second in between. The tolerance is the clock's, no more.
durations_since_pki() {
    local full=$1 sign=-1 gone
    [ "${2:-}" = ago ] && sign=1
    gone=$(($(date +%s) - ${PKI_MADE:?make_pki first} + 1))
    awk -v full="$full" -v sign="$sign" -v gone="$gone" '
    function fmt(left,   size, unit, i, step, n) {
        split("86400 3600 60 1", size, " "); split("d h m s", unit, " ")
        for (pass = 0; pass < 2; pass++) {
            for (i = 1; i < 4 && left < size[i]; i++) ;
            if (i < 4) { step = size[i + 1]; left = int((left + int(step / 2)) / step) * step }
        }
        n = int(left / size[i]) unit[i]
        if (i < 4 && left % size[i] != 0) n = n " " int((left % size[i]) / size[i + 1]) unit[i + 1]
        return n
    }
    BEGIN {
        for (k = 0; k <= gone; k++) {
            v = fmt(full + sign * k)
            if (!(v in seen)) { seen[v] = 1; out = out (out == "" ? "" : "|") v }
        }
        print "(" out ")"
    }'
}

seconds_left() {
    local desc=$1 metric=$2 full=$3 text=$4 value low
    value=$(grep -Eo "(^| )$metric=-?[0-9]+s" <<<"${text%%$'\n'*}" | grep -Eo -- '-?[0-9]+')
    low=$((full - ($(date +%s) - ${PKI_MADE:?make_pki first})))
    check "$desc ($metric=${value:-none}, wanted $low to $full)" \
        test -n "$value" -a "${value:-0}" -ge "$low" -a "${value:-0}" -le "$full"
}

skip() {
    _tests=$((_tests + 1))
    echo "ok $_tests - $1 # SKIP $2"
}

check() {
    local desc=$1
    shift
    if "$@"; then
        _result yes "$desc"
    else
        _result no "$desc"
        echo "# failed: $*"
        return 1
    fi
}

finish() {
    echo "# $_tests checks, $_failed failed"
    [ "$_failed" -eq 0 ] && [ "$_tests" -gt 0 ]
}
