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
#
# Provides:
#   $T                     scratch directory, removed at exit
#   make_pki [OCSP_URL]    generates the PKI into $T/pki and sets $PKI
#   free_port [-6]         prints a free loopback port
#   spawn NAME CMD...      starts CMD in the background, output in
#                          $T/NAME.log; its PID is stopped at exit
#   stop NAME              stops what spawn NAME started
#   wait_tcp HOST PORT     waits (up to 10 s) until HOST:PORT accepts
#   s_server NAME ARGS...  spawns openssl s_server on 127.0.0.1 with ARGS
#                          and sets NAME_port
#   listener NAME CMD...   spawns CMD, a server that prints the port it
#                          listens on as its first line, and sets NAME_port
#   expect DESC CODE REGEX ARGS...
#                          runs the plugin with ARGS; passes when it exits
#                          with CODE and its first line matches REGEX
#   expect_run DESC CODE REGEX CMD...
#                          the same for any command
#   expect_within MS DESC CODE REGEX ARGS...
#                          expect, plus a check that the plugin ended within
#                          MS milliseconds (skipped under valgrind, which
#                          slows every run down several times)
#   check DESC CMD...      passes when CMD succeeds
#   skip DESC REASON       records a check that was not made, and why
#   finish                 prints the tally; the test's exit status
#
# COS_VALGRIND=1 in the environment says that $PLUGIN runs under valgrind.

set -u

: "${PLUGIN:?PLUGIN is not set: run the tests with make check}"
: "${MKPKI:?}" "${FORGE:?}" "${FREEPORT:?}"

T=$(mktemp -d "${TMPDIR:-/tmp}/cos-test.XXXXXX")
PKI=$T/pki
_tests=0
_failed=0
declare -A _pids=()

_stop_all() {
    local name
    for name in "${!_pids[@]}"; do
        kill "${_pids[$name]}" 2>/dev/null
    done
    for name in "${!_pids[@]}"; do
        wait "${_pids[$name]}" 2>/dev/null
    done
    rm -rf "$T"
}
trap _stop_all EXIT
trap 'exit 1' INT TERM

make_pki() {
    OCSP_URL=${1:-http://127.0.0.1:8888/} FORGE=$FORGE "$MKPKI" "$PKI" ||
        { echo "Bail out! cannot make the test PKI"; exit 99; }
}

free_port() {
    "$FREEPORT" "$@"
}

spawn() {
    local name=$1
    shift
    "$@" >"$T/$name.log" 2>&1 </dev/null &
    _pids[$name]=$!
}

stop() {
    local pid=${_pids[$1]:-}
    [ -n "$pid" ] || return 0
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    unset "_pids[$1]"
}

wait_tcp() {
    local host=$1 port=$2 i
    for i in $(seq 100); do
        if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    echo "# nothing listens on $host:$port after 10 s" >&2
    return 1
}

s_server() {
    local name=$1 port
    shift
    port=$(free_port)
    spawn "$name" openssl s_server -accept "127.0.0.1:$port" -www -quiet "$@"
    wait_tcp 127.0.0.1 "$port" || { cat "$T/$name.log" >&2; return 1; }
    printf -v "${name//-/_}_port" '%s' "$port"
}

listener() {
    local name=$1 i port=
    shift
    # Not the port of an earlier server of the same name: spawn's shell may
    # not have truncated the log yet when it is first read.
    rm -f "$T/$name.log"
    spawn "$name" "$@"
    for i in $(seq 100); do
        port=$(head -n 1 "$T/$name.log" 2>/dev/null)
        [[ $port =~ ^[0-9]+$ ]] && break
        port=
        sleep 0.1
    done
    [ -n "$port" ] || { echo "# $name printed no port in 10 s" >&2; cat "$T/$name.log" >&2; return 1; }
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

expect_within() {
    local ms=$1 desc=$2 start elapsed
    shift 2
    start=$(date +%s%N)
    expect "$desc" "$@"
    elapsed=$((($(date +%s%N) - start) / 1000000))
    if [ "${COS_VALGRIND:-}" = 1 ]; then
        skip "$desc: ended within $ms ms" "the plugin runs under valgrind (took $elapsed ms)"
    else
        check "$desc: ended within $ms ms (took $elapsed ms)" test "$elapsed" -lt "$ms"
    fi
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
    fi
}

finish() {
    echo "# $_tests checks, $_failed failed"
    [ "$_failed" -eq 0 ] && [ "$_tests" -gt 0 ]
}
