#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# icinga2.sh - the plugin run by a real Icinga 2 through the CheckCommand in
# contrib/icinga2: a master schedules it against stapling servers on
# loopback, an agent (a second Icinga 2 on another port, both with their own
# PKI from `icinga2 pki`) runs it through command_endpoint, and the states,
# perfdata and command lines are read back from the master's REST API.
#
# The agent gets the CheckCommand as the README says: the master syncs it in
# the global zone "global-templates". The master also includes it as the
# Debian package does, so it loads two copies, and the second is skipped. Each instance has its own config,
# state, log and run directories under $T and runs as root, in the
# foreground; the system's Icinga 2 service, if any, is left alone.
. "$(dirname "$0")/lib.sh"

: "${TOP_SRCDIR:?}" "${TOP_BUILDDIR:?}"
need icinga2 curl jq openssl
# Icinga 2 listens on ports free_port picks: in a network namespace of the
# test's own, where no other test can take them.
. "$(dirname "$0")/servers.sh"
own_network "$@"
command_conf=$TOP_SRCDIR/contrib/icinga2/check_ocsp_staple.conf

make_pki
three_staplers

password=$(openssl rand -hex 16)
master_port=$(free_port)
agent_port=$(free_port)

# defines NODE: the path constants that keep an instance inside $T/NODE.
defines() {
    local d=$T/$1
    echo "-DConfigDir=$d/etc -DZonesDir=$d/etc/zones.d -DDataDir=$d/data" \
        "-DLogDir=$d/log -DCacheDir=$d/cache -DSpoolDir=$d/spool" \
        "-DInitRunDir=$d/run -DRunAsUser=root -DRunAsGroup=root"
}

# The PKI: a CA on the master, a certificate for each node named as its
# endpoint (the API checks that).
for node in master agent; do
    mkdir -p "$T/$node"/{etc/zones.d,data/certs,log,cache,spool,run}
done
# shellcheck disable=SC2046 # defines gives words on purpose
icinga_pki() {
    local node
    icinga2 pki new-ca $(defines master) || return
    for node in master agent; do
        icinga2 pki new-cert $(defines master) --cn "$node" \
            --key "$T/$node/data/certs/$node.key" --csr "$T/$node.csr" &&
            icinga2 pki sign-csr $(defines master) --csr "$T/$node.csr" \
                --cert "$T/$node/data/certs/$node.crt" &&
            cp "$T/master/data/ca/ca.crt" "$T/$node/data/certs/ca.crt" || return
    done
}
icinga_pki >"$T/pki.log" 2>&1
check "icinga2 pki makes a CA and a certificate per node" test $? -eq 0 -a \
    -s "$T/master/data/certs/master.crt" -a -s "$T/agent/data/certs/agent.crt" ||
    sed 's/^/#   /' "$T/pki.log"

# The agent runs its own copy of the plugin, so that the command line in a
# check result tells which node ran it.
mkdir "$T/agent/plugins"
cp "$TOP_BUILDDIR/plugins/check_ocsp_staple" "$T/agent/plugins/"

# common NODE PLUGINDIR API_PORT: what both instances' configs share.
common() {
    cat <<EOF
const NodeName = "$1"
const ZoneName = "$1"
const PluginDir = "$2"
const PluginContribDir = "$2"
include <itl>
include <plugins>
object FileLogger "main" { path = LogDir + "/icinga2.log" }
object ApiUser "test" { password = "$password"; permissions = [ "*" ] }
object Endpoint "master" { host = "127.0.0.1"; port = $master_port }
object Zone "master" { endpoints = [ "master" ] }
object Endpoint "agent" { host = "127.0.0.1"; port = $agent_port }
object Zone "agent" { endpoints = [ "agent" ]; parent = "master" }
object Zone "global-templates" { global = true }
EOF
}

mkdir "$T/master/etc/zones.d/global-templates"
cp "$command_conf" "$T/master/etc/zones.d/global-templates/"
{
    common master "$TOP_BUILDDIR/plugins"
    # The master loads the command twice, as a node with the Debian
    # package does that also gets the global zone's copy: the package's
    # include first (plugins-contrib.d), then zones.d.
    echo "include \"$command_conf\""
    cat <<EOF
object ApiListener "api" { bind_host = "127.0.0.1"; bind_port = $master_port }
object CheckerComponent "checker" {}

object Host "stapler" {
  check_command = "dummy"
  address = "127.0.0.1"
}
object Host "agent" {
  check_command = "dummy"
  address = "127.0.0.1"
}
// Named as its certificate's name, reached by its IP address.
object Host "localhost" {
  check_command = "dummy"
  address = "127.0.0.1"
}
template Service "ocsp" {
  zone = "master"
  check_command = "ocsp_staple"
  check_interval = 2s
  retry_interval = 2s
  max_check_attempts = 1
  vars.ocsp_staple_hostname = "localhost"
  vars.ocsp_staple_ca_file = "$PKI/root.pem"
}
object Service "ok" {
  import "ocsp"
  host_name = "stapler"
  vars.ocsp_staple_port = $good_port
}
object Service "warning" {
  import "ocsp"
  host_name = "stapler"
  vars.ocsp_staple_port = $warn_port
}
object Service "critical" {
  import "ocsp"
  host_name = "stapler"
  vars.ocsp_staple_port = $revoked_port
}
object Service "thresholds" {
  import "ocsp"
  host_name = "stapler"
  vars.ocsp_staple_port = $good_port
  vars.ocsp_staple_warning = "8d"
  vars.ocsp_staple_age_critical = "1d"
  vars.ocsp_staple_verbose = true
}
object Service "trace" {
  import "ocsp"
  host_name = "stapler"
  vars.ocsp_staple_port = $good_port
  vars.ocsp_staple_verbose = 3
}
object Service "address" {
  import "ocsp"
  host_name = "stapler"
  vars.ocsp_staple_hostname = "\$check_address\$"
  vars.ocsp_staple_ipv4 = true
  vars.ocsp_staple_port = $good_port
}
// The defaults but for the port and the test PKI's root: -H is the host's
// name, -I its address.
object Service "named" {
  host_name = "localhost"
  check_command = "ocsp_staple"
  check_interval = 2s
  retry_interval = 2s
  max_check_attempts = 1
  vars.ocsp_staple_port = $good_port
  vars.ocsp_staple_ca_file = "$PKI/root.pem"
}
object Service "offline" {
  import "ocsp"
  host_name = "stapler"
  vars.ocsp_staple_response = "$PKI/good.der"
  vars.ocsp_staple_cert = "$PKI/leaf-chain.pem"
}
// No variable at all: what the CheckCommand's defaults make of a host.
object Service "defaults" {
  host_name = "stapler"
  check_command = "ocsp_staple"
  check_interval = 2s
  retry_interval = 2s
  max_check_attempts = 1
}
template Service "remote" {
  import "ocsp"
  host_name = "agent"
  command_endpoint = "agent"
  // The test enables them once the agent has the CheckCommand: a check
  // sent while the agent reloads with the synced config is lost, and the
  // master would wait for its result until the check timeout.
  enable_active_checks = false
}
object Service "remote-ok" {
  import "remote"
  vars.ocsp_staple_port = $good_port
}
object Service "remote-critical" {
  import "remote"
  vars.ocsp_staple_port = $revoked_port
}
EOF
} >"$T/master/etc/icinga2.conf"
{
    common agent "$T/agent/plugins"
    cat <<EOF
object ApiListener "api" {
  bind_host = "127.0.0.1"
  bind_port = $agent_port
  accept_commands = true
  accept_config = true
}
EOF
} >"$T/agent/etc/icinga2.conf"

for node in master agent; do
    # shellcheck disable=SC2046
    expect_run "the $node's config validates" 0 '' \
        icinga2 daemon -C -c "$T/$node/etc/icinga2.conf" $(defines $node)
done
# shellcheck disable=SC2046
check "two copies of the command: the second says it is skipped, naming the first" \
    grep -q "information/config: CheckCommand ocsp_staple is defined already, by $command_conf: .*zones.d/global-templates/check_ocsp_staple.conf is skipped" \
    <<<"$(icinga2 daemon -C -c "$T/master/etc/icinga2.conf" $(defines master) 2>&1)"

# api NODE PATH [CURL-ARGS...]: a request to the node's REST API.
api() {
    local port=$master_port path=$2
    [ "$1" = agent ] && port=$agent_port
    shift 2
    curl -sf --max-time 5 -k -u "test:$password" -H 'Accept: application/json' \
        "$@" "https://127.0.0.1:$port$path"
}

# up NODE: waits (up to 30 s) until the node's API answers.
up() {
    local i
    for i in $(seq 60); do
        api "$1" /v1/status/IcingaApplication >/dev/null && return 0
        sleep 0.5
    done
    echo "# $1's API did not answer within 30 s; its log:"
    sed 's/^/#   /' "$T/$1.log" | tail -30
    return 1
}

# shellcheck disable=SC2046
spawn agent icinga2 daemon -c "$T/agent/etc/icinga2.conf" $(defines agent)
# shellcheck disable=SC2046
spawn master icinga2 daemon -c "$T/master/etc/icinga2.conf" $(defines master)
check "the agent's API answers" up agent
check "the master's API answers" up master

# The master syncs the CheckCommand to the agent, which reloads with it.
synced() {
    api agent /v1/objects/checkcommands/ocsp_staple >/dev/null
}
for i in $(seq 60); do
    synced && break
    sleep 0.5
done
check "the agent has the CheckCommand from the global zone within 30 s" synced
check "the agent keeps it in its zones directory" \
    test -s "$T/agent/data/api/zones/global-templates/_etc/check_ocsp_staple.conf"
check "the master enables the agent's checks" \
    api master /v1/objects/services -X POST \
    -d '{ "filter": "host.name == \"agent\"", "attrs": { "enable_active_checks": true } }' \
    -o /dev/null

services=(ok warning critical thresholds trace address named offline defaults remote-ok remote-critical)
# Every service has been checked by the plugin itself (the agent's first
# results may be Icinga's own, before the synced CheckCommand is loaded).
all_checked() {
    api master '/v1/objects/services?attrs=last_check_result' >"$T/services.json" &&
        jq -e --argjson n ${#services[@]} '[.results[].attrs.last_check_result
            | select(. != null and (.output | startswith("OCSP STAPLE")))] | length == $n' \
            "$T/services.json" >/dev/null
}
for i in $(seq 120); do
    all_checked && break
    sleep 0.5
done
check "Icinga 2 ran every service's check within 60 s" all_checked || {
    jq -r '.results[] | "#   \(.name): \(.attrs.last_check_result.output // "no result"
        | split("\n")[0])"' "$T/services.json"
    for node in master agent; do
        echo "# $node's log:"
        grep -vE 'information/(ConfigItem|WorkQueue)' "$T/$node.log" | tail -n 40 | sed 's/^/#   /'
    done
}

# result SERVICE JQ: a field of the service's last check result.
result() {
    local host=stapler
    [[ $1 == remote-* ]] && host=agent
    [[ $1 == named ]] && host=localhost
    jq -r --arg n "$host!$1" ".results[] | select(.name == \$n) | .attrs.last_check_result | $2" \
        "$T/services.json"
}
# state SERVICE CODE REGEX: the state Icinga recorded and the output.
state() {
    local got output
    got=$(result "$1" .state)
    output=$(result "$1" .output)
    if [ "$got" = "$2" ] && [[ ${output%%$'\n'*} =~ $3 ]]; then
        _result yes "$1: state $2 in Icinga"
    else
        _result no "$1: state $2 in Icinga"
        echo "# got state $got, output:"
        printf '%s\n' "$output" | sed 's/^/#   /'
    fi
}
# command SERVICE REGEX: the command line Icinga ran, one word per line.
command_line() {
    result "$1" '.command | join("\n")'
}

# The defaults: -H is the host's name, -I its address, nothing else is
# passed, so the plugin goes to 127.0.0.1:443, where nothing listens in
# this test's own network namespace.
state defaults 2 '^OCSP STAPLE CRITICAL - cannot connect: 127\.0\.0\.1:443: Connection refused ?$'
check "defaults: the command line is the plugin, -H with the host's name, -I with its address" \
    test "$(command_line defaults)" = "$TOP_BUILDDIR/plugins/check_ocsp_staple"$'\n'-H$'\n'stapler$'\n'-I$'\n'127.0.0.1
state named 0 '^OCSP STAPLE OK - certificate good, next update in '
check "named: a host reached by its IP address is checked under its name" \
    grep -Pzq -- '\n-H\nlocalhost\n-I\n127\.0\.0\.1\n' <<<"$(command_line named)"
check "named: the name was checked" grep -q '; host name checked: localhost$' <<<"$(result named .output)"
result named .output | sed 's/^/# named: /' # its whole output, for the record
state ok 0 "^OCSP STAPLE OK - certificate good, next update in $(durations_since_pki 604800)"
check "ok: perfdata next_update with the default thresholds, staple_age, time" \
    grep -Eq '^next_update=[0-9]+s;86400:;14400: staple_age=[0-9]+s cert_expiry=[0-9]+s time=[0-9.]+s$' \
    <<<"$(result ok '.performance_data | join(" ")')"
check "ok: the long output reached Icinga" \
    grep -q '^Staple: certificate good, signed by ' <<<"$(result ok .output)"
state warning 1 "^OCSP STAPLE WARNING - certificate good, next update in $(durations_since_pki 43200), .*\\(warning: less than 1d left\\)"
warning_perf=$(result warning '.performance_data[0]')
check "warning: perfdata next_update with the default thresholds" \
    grep -Eq '^next_update=[0-9]+s;86400:;14400:$' <<<"$warning_perf"
seconds_left "warning: perfdata next_update is the 12 h staple's time left" \
    next_update 43200 "$warning_perf"
state critical 2 '^OCSP STAPLE CRITICAL - certificate revoked: 2024-01-15 12:00:00 UTC, reason keyCompromise'
state thresholds 1 '^OCSP STAPLE WARNING - certificate good.*\(warning: less than 8d left\)'
check "thresholds: vars become -w, --age-critical and -v" \
    grep -Pzq -- '\n-w\n8d\n' <<<"$(command_line thresholds)"
check "thresholds: --age-critical 1d passed" grep -Pzq -- '\n--age-critical\n1d\n' <<<"$(command_line thresholds)"
check "thresholds: -v passed once (true is 1)" test "$(command_line thresholds | grep -cx -- -v)" -eq 1
check "thresholds: perfdata carries the thresholds in seconds" \
    grep -Eq '^next_update=[0-9]+s;691200:;14400: staple_age=[0-9]+s;;~:86400 ' \
    <<<"$(result thresholds '.performance_data | join(" ")')"
state trace 0 '^OCSP STAPLE OK - certificate good'
check "trace: vars.ocsp_staple_verbose = 3 passes -v three times" \
    test "$(command_line trace | grep -cx -- -v)" -eq 3
state address 0 '^OCSP STAPLE OK - certificate good, .*; host name not checked \(-H is an IP address'
check "address: -H is the host's \$check_address\$, with -4" \
    grep -Pzq -- '\n-4\n(.*\n)*-H\n127\.0\.0\.1\n' <<<"$(command_line address)"
check "address: an address is not name-checked" grep -q '; host name not checked (an IP address; ' <<<"$(result address .output)"
check "ok: -H the name given, -I the host's address; no -4, -6 or -v unless asked for" \
    test -z "$(command_line ok | grep -xE -- '-4|-6|-v')" -a \
    -n "$(command_line ok | grep -x -- -I)"
state offline 0 '^OCSP STAPLE OK - certificate good'
check "offline: --response and --cert, and no -H or -I" \
    test -z "$(command_line offline | grep -xE -- '-H|-I')" -a \
    -n "$(command_line offline | grep -x -- --response)"

state remote-ok 0 '^OCSP STAPLE OK - certificate good'
check "remote-ok: executed on the agent" test "$(result remote-ok .check_source)" = agent
check "remote-ok: with the agent's own plugin" \
    test "$(command_line remote-ok | head -n 1)" = "$T/agent/plugins/check_ocsp_staple"
check "remote-ok: perfdata came back to the master" \
    grep -Eq '^next_update=[0-9]+s;86400:;14400: staple_age=[0-9]+s cert_expiry=[0-9]+s time=[0-9.]+s$' \
    <<<"$(result remote-ok '.performance_data | join(" ")')"
state remote-critical 2 '^OCSP STAPLE CRITICAL - certificate revoked'
check "remote-critical: executed on the agent" test "$(result remote-critical .check_source)" = agent
check "local checks were executed on the master" test "$(result ok .check_source)" = master

stop master
stop agent
finish
