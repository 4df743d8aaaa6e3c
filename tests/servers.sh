# SPDX-License-Identifier: GPL-3.0-or-later
# servers.sh - real TLS servers and real OCSP responders for the shell
# tests; source it after lib.sh, do not run it.
#
# Every server runs in the foreground as a child of the test (lib.sh spawn:
# stopped by its PID at exit, also when a test fails), on 127.0.0.1 and a
# port of its own, with its configuration, pid, lock, log and temporary
# files in a fresh $T/NAME/; what it prints is in $T/NAME.log. nginx, HAProxy and
# Apache serve every site declared since the last start, each on its own
# port, from one instance. HAProxy and Apache keep one staple per
# certificate, not per site: in one instance, sites with the same LEAF get
# the same staple, so haproxy_site and apache_site refuse to give one LEAF
# two different sources.
#
# openssl ocsp -port and gnutls-serv cannot be told an address: they listen
# on every interface. A test that starts them calls own_network first, which
# runs it in a network namespace of its own whose only interface is the
# loopback (which also keeps its ports apart from everyone else's); the
# functions that need it refuse to run outside one.
#
# LEAF is a certificate of the test PKI (leaf, leaf-ec, leaf-revoked, ...):
# the server sends LEAF-chain.pem and holds LEAF.key. RESPONSE is a
# response file in $PKI (good.der, ...). VERSION is the one TLS version a
# site speaks: 1.2 or 1.3.
#
# Provides:
#   own_network "$@"       re-runs the calling test in its own network
#                          namespace (loopback only); call it first
#   responder [--clock OFFSET] [--index FILE] NAME PORT SIGNER [ARGS...]
#                          openssl ocsp -port PORT, answering from
#                          $PKI/index.txt (or FILE) for the certificates
#                          int issued, logging each request ("ocsp:
#                          Received request, 1st line: ..."),
#                          signing as $PKI/SIGNER.pem (int: the CA itself;
#                          ocsp: the delegated responder; other-ocsp: the
#                          unrelated CA's), with ARGS (-ndays 7, -nmin 720,
#                          none: no nextUpdate); with --clock its clock is
#                          shifted by OFFSET (libfaketime, e.g. -10d). Ready
#                          when it has answered a real OCSP query; sets
#                          NAME_url
#   responders             makes the PKI (make_pki) with the URL of a
#                          responder in the leaves, and starts the
#                          responders the live tests share; sets ca_url
#                          (that one: int, 7 days), delegated_url (ocsp,
#                          7 days), unrelated_url (other-ocsp, 7 days),
#                          nonext_url (int, no nextUpdate), warn_url (int,
#                          12 h), crit_url (int, 2 h), expired_url (int,
#                          7 days from 10 days ago: expired 3 days ago) and
#                          down_url (nothing listens there)
#   gnutls_serv [--clock OFFSET] NAME VERSION LEAF [RESPONSE [ARGS...]]
#                          gnutls-serv --http stapling RESPONSE
#                          (--ocsp-response), ARGS appended, its clock
#                          shifted as for responder; sets NAME_port;
#                          fails, showing its log, when it does not start
#   nginx_site NAME VERSION LEAF[,LEAF...] [none | file RESPONSE |
#                          live [URL] | live-noverify [URL]]
#                          declares an nginx site: no stapling (default);
#                          ssl_stapling_file RESPONSE; or fetching live from
#                          the responder the certificate names, or from URL
#                          (ssl_stapling_responder), with ssl_stapling_verify
#                          (against root.pem) or without; sets NAME_port;
#                          several leaves: one certificate per key type;
#                          NGINX_LISTEN: more listen parameters (reuseport)
#   nginx_files NAME PORT DIR [DIRECTIVES]
#                          declares a plain HTTP site of nginx on
#                          127.0.0.1:PORT serving the files of DIR (CRLs,
#                          application/pkix-crl), logging each request in
#                          $T/NAME.access.log, with DIRECTIVES in its one
#                          location ("expires 1h;"); sets NAME_port
#   nginx NAME             starts nginx (one worker, or NGINX_WORKERS) with
#                          the sites declared
#   haproxy_site NAME VERSION LEAF[,LEAF...] [RESPONSE[,RESPONSE...]]
#                          declares an HAProxy bind whose certificates (a
#                          crt each) have a copy of their RESPONSE beside
#                          them as their .ocsp file;
#                          sets NAME_port
#   haproxy NAME           starts HAProxy with the binds declared
#   apache_site NAME VERSION LEAF[,LEAF...] [none | live [URL]]
#                          declares an Apache virtual host: no stapling
#                          (default), or SSLUseStapling fetching from the
#                          responder the certificate names, or from URL
#                          (SSLStaplingForceURL); sets NAME_port
#   apache NAME            starts Apache httpd with the hosts declared
#   tinyproxy NAME         starts tinyproxy, an HTTP proxy, on 127.0.0.1;
#                          sets NAME_port and NAME_url; it logs each
#                          request ("Request (file descriptor N): GET
#                          http://...") in $T/NAME.log
#   has_staple PORT        true when a handshake with localhost on
#                          127.0.0.1:PORT, as openssl s_client -status does
#                          it, carries a staple
#   wait_staple PORT       waits (up to 10 s) until has_staple PORT, as an
#                          operator would after starting a server that
#                          fetches its staples lazily
#   wait_log NAME REGEX    waits (up to 10 s) until $T/NAME.log or a log
#                          file in $T/NAME/ has a line matching REGEX

own_network() {
    [ "${COS_NETNS:-}" = "$(readlink /proc/self/ns/net)" ] && return 0
    _need ip iproute2
    unshare --net true 2>/dev/null || {
        echo "Bail out! cannot make a network namespace (unshare --net needs root)"
        exit 99
    }
    rm -rf "$T" # the run in the namespace makes its own
    trap - EXIT
    # shellcheck disable=SC2016 # expanded by the inner shell
    exec unshare --net -- bash -c 'ip link set lo up &&
        COS_NETNS=$(readlink /proc/self/ns/net) exec bash "$@"' own_network "$0" "$@"
}

# _isolated WHAT: refuses to start WHAT, which listens on every interface,
# outside the test's own network namespace.
_isolated() {
    [ "${COS_NETNS:-}" = "$(readlink /proc/self/ns/net)" ] && return 0
    echo "Bail out! $1 listens on every interface: call own_network first"
    exit 99
}

# _need PROGRAM PACKAGE: fails the test loudly when PROGRAM is missing.
_need() {
    command -v "$1" >/dev/null && return 0
    echo "Bail out! $1 is missing: run tests/install-deps.sh (Debian package $2)"
    exit 99
}

# _started NAME CMD...: waits (up to 10 s) until CMD succeeds while what
# spawn NAME started runs; shows its log when it does not come up.
_started() {
    local name=$1
    shift
    wait_for 10 _running "$name" "$@" && return 0
    echo "# $name did not come up; its log:" >&2
    sed 's/^/#   /' "$T/$name.log" >&2
    return 1
}
_running() {
    local name=$1
    shift
    kill -0 "${_pids[$name]}" 2>/dev/null || return 255
    "$@" >/dev/null 2>&1
}

# _set NAME SUFFIX VALUE: sets the variable NAME_SUFFIX (dashes become _).
_set() {
    printf -v "${1//-/_}_$2" '%s' "$3"
}

# _shifted OFFSET CMD...: runs CMD with its clock shifted by OFFSET. Not
# the faketime wrapper, which forks: stop would miss its child. libfaketime
# keeps shared memory and a semaphore named after the PID that only a clean
# exit removes (a later faketime of that PID then fails), and SIGTERM is not
# one: the shell in front removes them.
_shifted() {
    local offset=$1 lib
    shift
    for lib in /usr/lib/*/faketime/libfaketime.so.1; do
        [ -e "$lib" ] || { echo "Bail out! libfaketime not found"; exit 99; }
    done
    # shellcheck disable=SC2016 # expanded by the inner shell
    exec bash -c 'trap '\''kill $pid; _reap_pid $pid "${*:2}"
        rm -f /dev/shm/faketime_shm_$pid /dev/shm/sem.faketime_sem_$pid
        exit'\'' TERM
        env LD_PRELOAD="$0" FAKETIME="$1" "${@:2}" & pid=$!
        wait $pid' "$lib" "$offset" "$@"
}

responder() {
    local clock=() index=$PKI/index.txt
    if [ "$1" = --clock ]; then
        clock=(_shifted "$2")
        shift 2
    fi
    if [ "$1" = --index ]; then
        index=$2
        shift 2
    fi
    local name=$1 port=$2 signer=$3
    shift 3
    _isolated "openssl ocsp -port"
    spawn "$name" "${clock[@]}" openssl ocsp -port "$port" -index "$index" \
        -CA "$PKI/int.pem" -rsigner "$PKI/$signer.pem" -rkey "$PKI/$signer.key" \
        -ignore_err "$@"
    # A real query: a bare connection makes openssl ocsp spin (SPEC 6).
    _started "$name" openssl ocsp -url "http://127.0.0.1:$port/" -timeout 2 \
        -issuer "$PKI/int.pem" -cert "$PKI/leaf.pem" -no_nonce -noverify || return 1
    _set "$name" url "http://127.0.0.1:$port/"
}

responders() {
    local port
    port=$(free_port)
    make_pki "http://127.0.0.1:$port/"
    responder ca "$port" int -ndays 7 &&
        responder delegated "$(free_port)" ocsp -ndays 7 &&
        responder unrelated "$(free_port)" other-ocsp -ndays 7 &&
        responder nonext "$(free_port)" int &&
        responder warn "$(free_port)" int -nmin 720 &&
        responder crit "$(free_port)" int -nmin 120 &&
        responder --clock -10d expired "$(free_port)" int -ndays 7 &&
        down_url=http://127.0.0.1:$(free_port)/
}

gnutls_serv() {
    local clock=()
    if [ "$1" = --clock ]; then
        clock=(_shifted "$2")
        shift 2
    fi
    local name=$1 version=$2 leaf=$3 response=${4:-} port
    shift 3
    [ $# -eq 0 ] || shift
    _isolated gnutls-serv
    _need gnutls-serv gnutls-bin
    port=$(free_port)
    spawn "$name" "${clock[@]}" gnutls-serv --port "$port" --http --nodb \
        --priority "NORMAL:-VERS-ALL:+VERS-TLS$version" \
        --x509certfile "$PKI/$leaf-chain.pem" --x509keyfile "$PKI/$leaf.key" \
        ${response:+--ocsp-response "$PKI/$response"} "$@"
    _started "$name" tcp_open 127.0.0.1 "$port" || return 1
    _set "$name" port "$port"
}

# _first_port FILE WORD: the port of the first "WORD 127.0.0.1:PORT" in FILE.
_first_port() {
    local at
    at=$(grep -m 1 -o "$2 127.0.0.1:[0-9]*" "$1")
    echo "${at##*:}"
}

# _one_source KIND LEAF SOURCE: HAProxy and Apache hold one staple per
# certificate; refuses a second, different source for LEAF.
declare -A _sources=()
_one_source() {
    local key="$1 $2" had=${_sources["$1 $2"]-}
    if [ -n "${_sources[$key]+set}" ] && [ "$had" != "$3" ]; then
        echo "Bail out! $1 staples one response per certificate: $2 has '$had' already, not '$3'"
        exit 99
    fi
    _sources[$key]=$3
}
_sources_done() {
    local key
    for key in "${!_sources[@]}"; do
        [ "${key%% *}" != "$1" ] || unset "_sources[$key]"
    done
}

# --- nginx ------------------------------------------------------------------

_nginx_sites=
nginx_site() {
    local name=$1 version=$2 leaf=$3 mode=${4:-none} arg=${5:-} port stapling
    case $mode in
    none) stapling="ssl_stapling off;" ;;
    file) stapling="ssl_stapling on; ssl_stapling_file $PKI/$arg;" ;;
    live) stapling="ssl_stapling on; ssl_stapling_verify on;" ;;
    live-noverify) stapling="ssl_stapling on; ssl_stapling_verify off;" ;;
    *) echo "Bail out! nginx_site: unknown mode $mode"; exit 99 ;;
    esac
    case $mode in
    live*) [ -z "$arg" ] || stapling+=" ssl_stapling_responder $arg;" ;;
    esac
    port=$(free_port)
    local one certs=
    for one in ${leaf//,/ }; do
        certs+="ssl_certificate $PKI/$one-chain.pem; ssl_certificate_key $PKI/$one.key; "
    done
    _nginx_sites+="
    server {
        listen 127.0.0.1:$port ssl${NGINX_LISTEN:+ $NGINX_LISTEN};
        server_name localhost;
        ssl_protocols TLSv$version;
        $certs
        $stapling
        location / { return 200 \"$name\\n\"; }
    }"
    _set "$name" port "$port"
}

nginx_files() {
    local name=$1 port=$2 dir=$3
    _nginx_sites+="
    server {
        listen 127.0.0.1:$port;
        access_log $T/$name.access.log;
        root $dir;
        location / { default_type application/pkix-crl; ${4:-} }
    }"
    _set "$name" port "$port"
}

nginx() {
    local name=$1 dir=$T/$1
    rm -rf "$dir"
    mkdir -p "$dir"
    # One worker (NGINX_WORKERS): each fetches and holds staples of its
    # own.
    cat >"$dir/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes ${NGINX_WORKERS:-1};
user root root;
pid $dir/nginx.pid;
lock_file $dir/nginx.lock;
error_log $dir/error.log info;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $dir/body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
    ssl_trusted_certificate $PKI/root.pem;
$_nginx_sites
}
EOF
    _nginx_sites=
    _need /usr/sbin/nginx nginx
    spawn "$name" /usr/sbin/nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log"
    _started "$name" tcp_open 127.0.0.1 "$(_first_port "$dir/nginx.conf" listen)"
}

# --- HAProxy ----------------------------------------------------------------

_haproxy_binds=
haproxy_site() {
    local name=$1 version=$2 leaves=$3 responses=${4:-} port crt crts= i=0
    local -a leaf=(${leaves//,/ }) response=(${responses//,/ })
    port=$(free_port)
    mkdir -p "$T/haproxy-crt"
    for ((i = 0; i < ${#leaf[@]}; i++)); do
        _one_source haproxy "${leaf[i]}" "${response[i]:-}"
        crt=$T/haproxy-crt/$name-$i.pem
        cat "$PKI/${leaf[i]}-chain.pem" "$PKI/${leaf[i]}.key" >"$crt"
        [ -z "${response[i]:-}" ] || cp "$PKI/${response[i]}" "$crt.ocsp"
        crts+=" crt $crt"
    done
    _haproxy_binds+="
    bind 127.0.0.1:$port ssl$crts ssl-min-ver TLSv$version ssl-max-ver TLSv$version"
    _set "$name" port "$port"
}

haproxy() {
    local name=$1 dir=$T/$1
    rm -rf "$dir"
    mkdir -p "$dir"
    cat >"$dir/haproxy.cfg" <<EOF
global
    log stderr format raw local0 info
    pidfile $dir/haproxy.pid
defaults
    log global
    mode http
    timeout connect 5s
    timeout client 5s
    timeout server 5s
frontend sites$_haproxy_binds
    http-request return status 200 content-type text/plain string ok
EOF
    _haproxy_binds=
    _sources_done haproxy
    _need /usr/sbin/haproxy haproxy
    spawn "$name" /usr/sbin/haproxy -db -f "$dir/haproxy.cfg"
    _started "$name" tcp_open 127.0.0.1 "$(_first_port "$dir/haproxy.cfg" bind)"
}

# --- Apache httpd -----------------------------------------------------------

_apache_hosts=
apache_site() {
    local name=$1 version=$2 leaf=$3 mode=${4:-none} url=${5:-} port stapling one
    case $mode in
    none) stapling="SSLUseStapling off" ;;
    live)
        stapling="SSLUseStapling on"
        [ -z "$url" ] || stapling+="
    SSLStaplingForceURL $url"
        for one in ${leaf//,/ }; do
            _one_source apache "$one" "${url:-certificate}"
        done
        ;;
    *) echo "Bail out! apache_site: unknown mode $mode"; exit 99 ;;
    esac
    port=$(free_port)
    _apache_hosts+="
Listen 127.0.0.1:$port
<VirtualHost 127.0.0.1:$port>
    ServerName localhost
    SSLEngine on
    SSLProtocol -all +TLSv$version
$(for one in ${leaf//,/ }; do
        printf '    SSLCertificateFile %s\n    SSLCertificateKeyFile %s\n' \
            "$PKI/$one-chain.pem" "$PKI/$one.key"
    done)
    $stapling
</VirtualHost>"
    _set "$name" port "$port"
}

apache() {
    local name=$1 dir=$T/$1 mods=/usr/lib/apache2/modules
    rm -rf "$dir"
    mkdir -p "$dir"
    # The children run as www-data: Apache refuses to serve as root. They
    # need nothing from $dir: the parent reads the keys and opens the logs.
    cat >"$dir/httpd.conf" <<EOF
ServerRoot $dir
DefaultRuntimeDir $dir
PidFile $dir/httpd.pid
ErrorLog $dir/error.log
LogLevel warn ssl:info
LoadModule mpm_event_module $mods/mod_mpm_event.so
LoadModule authz_core_module $mods/mod_authz_core.so
LoadModule socache_shmcb_module $mods/mod_socache_shmcb.so
LoadModule ssl_module $mods/mod_ssl.so
User www-data
Group www-data
ServerName localhost
StartServers 1
ServerLimit 1
ThreadsPerChild 8
MinSpareThreads 1
MaxSpareThreads 16
MaxRequestWorkers 8
DocumentRoot $dir
SSLStaplingCache shmcb:$dir/stapling(65536)
SSLStaplingResponderTimeout 5
$_apache_hosts
EOF
    _apache_hosts=
    _sources_done apache
    _need /usr/sbin/apache2 apache2-bin
    spawn "$name" /usr/sbin/apache2 -d "$dir" -f "$dir/httpd.conf" -DFOREGROUND
    _started "$name" tcp_open 127.0.0.1 "$(_first_port "$dir/httpd.conf" Listen)"
}

tinyproxy() {
    local name=$1 dir=$T/$1 port
    rm -rf "$dir"
    mkdir -p "$dir"
    _need tinyproxy tinyproxy
    port=$(free_port)
    cat >"$dir/tinyproxy.conf" <<EOF
Port $port
Listen 127.0.0.1
Timeout 10
PidFile "$dir/tinyproxy.pid"
LogLevel Info
MaxClients 32
Allow 127.0.0.1
EOF
    # -d: in the foreground, logging to its standard error.
    spawn "$name" command tinyproxy -d -c "$dir/tinyproxy.conf"
    _started "$name" tcp_open 127.0.0.1 "$port"
    _set "$name" port "$port"
    _set "$name" url "http://127.0.0.1:$port"
}

# --- waiting for what servers do by themselves ------------------------------

has_staple() {
    openssl s_client -connect "127.0.0.1:$1" -servername localhost -status \
        </dev/null 2>/dev/null | grep -q '^OCSP Response Data:'
}

wait_staple() {
    wait_for 10 has_staple "$1"
}

# _logged NAME REGEX: a log of NAME has a line matching REGEX.
_logged() {
    local logs=("$T/$1.log")
    [ -d "$T/$1" ] && logs+=("$T/$1"/*.log)
    grep -Eq "$2" "${logs[@]}" 2>/dev/null
}

wait_log() {
    wait_for 10 _logged "$1" "$2"
}
