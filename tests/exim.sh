#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# exim.sh - -S smtp and -S submission against a real stapling mail server:
# Debian's Exim (exim4-daemon-light, built with GnuTLS), which staples the
# file tls_ocsp_file names. Each daemon has its own configuration, spool
# and logs in the scratch directory and listens on 127.0.0.1 only; the
# system's Exim service, if any, is left alone.
. "$(dirname "$0")/lib.sh"

command -v exim4 >/dev/null || {
    echo "Bail out! exim4 not found: run tests/install-deps.sh (exim4-daemon-light)"
    exit 99
}
# Exim cannot bind port 0 and say which it got: free_port, in a network
# namespace of the test's own.
. "$(dirname "$0")/servers.sh"
own_network "$@"
make_pki
cd "$PKI" || exit 99
ca=(-C "$PKI/root.pem")

# exim NAME [configuration lines...]: an Exim daemon on 127.0.0.1 with the
# RSA leaf; sets NAME_port.
exim() {
    local name=$1 port dir=$T/exim-$1
    shift
    port=$(free_port)
    mkdir -p "$dir/spool"
    {
        echo "primary_hostname = mail.test"
        echo "daemon_smtp_ports = $port"
        echo "local_interfaces = <; 127.0.0.1"
        echo "spool_directory = $dir/spool"
        echo "log_file_path = $dir/%slog"
        echo "pid_file_path = $dir/exim.pid"
        echo "exim_user = root"
        echo "exim_group = root"
        echo "keep_environment ="
        echo "tls_certificate = $PKI/leaf-chain.pem"
        echo "tls_privatekey = $PKI/leaf.key"
        printf '%s\n' "$@"
        echo "acl_smtp_rcpt = refuse"
        echo "begin acl"
        echo "refuse:"
        echo "  deny"
    } >"$dir/exim.conf"
    spawn "$name" exim4 -C "$dir/exim.conf" -bdf -oX "$port"
    wait_tcp 127.0.0.1 "$port" || { cat "$T/$name.log" "$dir"/*log >&2; return 1; }
    printf -v "${name}_port" '%s' "$port"
}

exim good "tls_advertise_hosts = *" "tls_ocsp_file = $PKI/good.der"
exim absent "tls_advertise_hosts = *"
exim plain "tls_advertise_hosts ="

for proto in smtp submission; do
    expect "Exim, -S $proto, good staple: OK" 0 '^OCSP STAPLE OK - certificate good, next update in' \
        -S "$proto" -H localhost -p "$good_port" "${ca[@]}"
    check "Exim, -S $proto: long output names STARTTLS" \
        grep -q "^Connected to 127.0.0.1:$good_port with TLSv1.3 after STARTTLS ($proto)$" <<<"$LAST_OUTPUT"
    expect "Exim, -S $proto, no tls_ocsp_file: CRITICAL" 2 \
        '^OCSP STAPLE CRITICAL - no OCSP staple; the certificate names an OCSP responder' \
        -S "$proto" -H localhost -p "$absent_port" "${ca[@]}"
    expect "Exim, -S $proto, STARTTLS not advertised: CRITICAL" 2 \
        "^OCSP STAPLE CRITICAL - server does not offer STARTTLS: $proto: the EHLO reply does not list STARTTLS" \
        -S "$proto" -H localhost -p "$plain_port" "${ca[@]}"
done
expect "Exim, -S smtp --tls-max 1.2: OK" 0 '^OCSP STAPLE OK - certificate good' \
    -S smtp -H localhost -p "$good_port" "${ca[@]}" --tls-max 1.2
check "Exim spoke TLS 1.2" grep -q ' with TLSv1.2 after STARTTLS (smtp)$' <<<"$LAST_OUTPUT"

finish
