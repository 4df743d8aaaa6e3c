#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# nagios.sh - contrib/nagios/check_ocsp_staple.cfg in Debian's Nagios 4: a
# minimal main config that includes it validates with `nagios4 -v` (and a
# broken copy does not), then Nagios itself runs the commands against
# stapling servers on loopback and status.dat shows OK, WARNING, CRITICAL.
# Everything (config, status, spool, lock, log) is under $T; the system's
# Nagios, if any, is left alone.
. "$(dirname "$0")/lib.sh"

: "${TOP_SRCDIR:?}" "${TOP_BUILDDIR:?}"
need nagios4 openssl
contrib=$TOP_SRCDIR/contrib/nagios/check_ocsp_staple.cfg

make_pki
three_staplers

N=$T/nagios
mkdir -p "$N/checkresults"
# main_config CFG_FILE: nagios.cfg reading CFG_FILE and the test's objects.
# interval_length=1 makes every interval seconds, so checks run at once.
main_config() {
    cat <<EOF
cfg_file=$1
cfg_file=$N/objects.cfg
resource_file=$N/resource.cfg
log_file=$N/nagios.log
status_file=$N/status.dat
status_update_interval=1
lock_file=$N/nagios.pid
temp_file=$N/nagios.tmp
temp_path=$N
check_result_path=$N/checkresults
object_cache_file=$N/objects.cache
precached_object_file=$N/objects.precache
state_retention_file=$N/retention.dat
retain_state_information=0
command_file=$N/nagios.cmd
check_external_commands=0
query_socket=$N/nagios.qh
nagios_user=root
nagios_group=root
interval_length=1
max_service_check_spread=1
max_host_check_spread=1
execute_host_checks=0
enable_notifications=0
use_syslog=0
check_for_updates=0
illegal_macro_output_chars=\`~\$&|'"<>
EOF
}
echo "\$USER1\$=$TOP_BUILDDIR/plugins" >"$N/resource.cfg"

# service NAME COMMAND: a service on host "stapler" from the contrib template.
service() {
    cat <<EOF
define service {
    use                  ocsp-staple-service,site-service
    host_name            stapler
    service_description  $1
    check_command        $2
    check_interval       2
    retry_interval       2
}
EOF
}
ca="-C $PKI/root.pem"
{
    cat <<EOF
define timeperiod {
    timeperiod_name  always
    alias            always
    monday           00:00-24:00
    tuesday          00:00-24:00
    wednesday        00:00-24:00
    thursday         00:00-24:00
    friday           00:00-24:00
    saturday         00:00-24:00
    sunday           00:00-24:00
}
define command {
    command_name     noop
    command_line     /bin/true
}
define contact {
    contact_name                   admin
    host_notifications_enabled     0
    service_notifications_enabled  0
    host_notification_period       always
    service_notification_period    always
    host_notification_options      n
    service_notification_options   n
    host_notification_commands     noop
    service_notification_commands  noop
}
define service {
    name                 site-service
    register             0
    check_period         always
    notification_period  always
    contacts             admin
}
define host {
    host_name            stapler
    address              127.0.0.1
    max_check_attempts   1
    check_period         always
    notification_period  always
    contacts             admin
    check_command        noop
}
EOF
    service ok "check_ocsp_staple_name!localhost!-p $good_port $ca"
    service warning "check_ocsp_staple_name!localhost!-p $warn_port $ca"
    service critical "check_ocsp_staple_name!localhost!-p $revoked_port $ca"
    service address "check_ocsp_staple!-p $good_port $ca"
    service offline "check_ocsp_staple_file!$PKI/good.der!$PKI/leaf-chain.pem!$ca"
} >"$N/objects.cfg"

main_config "$contrib" >"$N/nagios.cfg"
expect_run "nagios4 -v accepts the config" 0 '' nagios4 -v "$N/nagios.cfg"
check "with no error and no warning" \
    grep -Pzq 'Total Warnings: 0\nTotal Errors: +0\n' <<<"$LAST_OUTPUT"

# A broken copy: the command the services use is gone (awk's paragraph
# mode drops the definition with its comment).
awk 'BEGIN { RS = ""; ORS = "\n\n" } !/command_name +check_ocsp_staple_name/' \
    "$contrib" >"$N/broken.cfg"
main_config "$N/broken.cfg" >"$N/broken-nagios.cfg"
expect_run "nagios4 -v refuses a copy without check_ocsp_staple_name" 1 '' \
    nagios4 -v "$N/broken-nagios.cfg"
check "and says why" grep -q "check_ocsp_staple_name.*not defined" <<<"$LAST_OUTPUT"

# status SERVICE FIELD: a field of the service's block in status.dat.
status() {
    awk -v s="$1" -v f="$2" '
        /^servicestatus \{/ { block = 1; name = ""; value = ""; next }
        block && /^\t}/ { if (name == s) print value; block = 0 }
        block { i = index($0, "="); k = substr($0, 2, i - 2)
                if (k == "service_description") name = substr($0, i + 1)
                if (k == f) value = substr($0, i + 1) }' "$N/status.dat"
}
all_checked() {
    local s
    for s in ok warning critical address offline; do
        [ -f "$N/status.dat" ] && [ "$(status "$s" has_been_checked)" = 1 ] || return 1
    done
}

spawn nagios nagios4 "$N/nagios.cfg"
for i in $(seq 60); do
    all_checked && break
    sleep 0.5
done
check "Nagios ran every service's check within 30 s" all_checked ||
    sed 's/^/#   /' "$T/nagios.log" "$N/nagios.log"

# state SERVICE CODE REGEX: the state and plugin output Nagios recorded.
state() {
    local got output
    got=$(status "$1" current_state)
    output=$(status "$1" plugin_output)
    if [ "$got" = "$2" ] && [[ $output =~ $3 ]]; then
        _result yes "$1: state $2 in Nagios"
    else
        _result no "$1: state $2 in Nagios"
        echo "# got state $got, output: $output"
    fi
}
state ok 0 "^OCSP STAPLE OK - certificate good, next update in $(durations_since_pki 604800)"
check "ok: perfdata in Nagios" grep -Eq '^next_update=[0-9]+s;86400:;14400: staple_age=[0-9]+s cert_expiry=[0-9]+s time=[0-9.]+s$' \
    <<<"$(status ok performance_data)"
check "ok: long output in Nagios" grep -q '; host name checked: localhost' <<<"$(status ok long_plugin_output)"
state warning 1 "^OCSP STAPLE WARNING - certificate good, next update in $(durations_since_pki 43200), .*\\(warning: less than 1d left\\)"
state critical 2 '^OCSP STAPLE CRITICAL - certificate revoked: 2024-01-15 12:00:00 UTC, reason keyCompromise'
state address 0 '^OCSP STAPLE OK - certificate good'
check "address: -H is the host's address, not name-checked" \
    grep -q '; host name not checked (an IP address; ' <<<"$(status address long_plugin_output)"
state offline 0 '^OCSP STAPLE OK - certificate good'

stop nagios
finish
