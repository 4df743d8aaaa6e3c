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
#   dist_tree DIR          the release tree (what make dist packs) into DIR
#   free_port [-6]         prints a free loopback port
#   spawn NAME CMD...      starts CMD in the background, output in
#                          $T/NAME.log; its PID is stopped at exit
#   stop NAME              stops what spawn NAME started
#   wait_tcp HOST PORT     waits (up to 10 s) until HOST:PORT accepts
#   s_server NAME ARGS...  spawns openssl s_server on 127.0.0.1 with ARGS
#                          and sets NAME_port
#   starttls_server NAME ARGS...
#                          spawns tests/helpers/starttls-server with the
#                          RSA leaf and ARGS (see its header), on $LISTEN
#                          (default 127.0.0.1) and $PORT (default a free
#                          one), and sets NAME_port
#   three_staplers         s_servers for localhost stapling good.der,
#                          warn.der and revoked.der from $PKI: good_port
#                          (OK), warn_port (WARNING), revoked_port (CRITICAL)
#   expect DESC CODE REGEX ARGS...
#                          runs the plugin with ARGS; passes when it exits
#                          with CODE and its first line matches REGEX
#   expect_run DESC CODE REGEX CMD...
#                          the same for any command
#   check DESC CMD...      passes when CMD succeeds; returns its status
#   finish                 prints the tally; the test's exit status

set -u

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
        wait "${_pids[$name]}" 2>/dev/null
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

starttls_server() {
    local name=$1 listen=${LISTEN:-127.0.0.1} port=${PORT:-$(free_port)}
    shift
    spawn "$name" "$STARTTLS_SERVER" --listen "$listen" --port "$port" \
        --cert "$PKI/leaf-chain.pem" --key "$PKI/leaf.key" "$@"
    wait_tcp "$listen" "$port" || { cat "$T/$name.log" >&2; return 1; }
    printf -v "${name//-/_}_port" '%s' "$port"
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
