#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# formats.sh - --output-format (issue 15): one-line prints the status line
# and its perfdata alone; json prints one JSON document with every fact
# and verdict, which python3's json module parses, checked field by field
# against the default output of the same check: good and failing staples,
# offline, a pool (--handshakes), and a server whose certificate subject
# carries control characters and a '|' (the hostile PKI leaf), which must
# come out as valid JSON.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/servers.sh"
own_network "$@"

make_pki
cd "$PKI" || exit 99
s_server good -cert leaf.pem -key leaf.key -cert_chain int.pem -status_file good.der || exit 99
s_server revoked -cert leaf-revoked.pem -key leaf-revoked.key -cert_chain int.pem \
    -status_file revoked.der || exit 99
s_server weird -cert leaf-weird.pem -key leaf-weird.key -cert_chain int.pem \
    -status_file good-weird.der || exit 99
opts=(-H localhost -C root.pem)

# json_field JSON EXPR: python3's value of EXPR (d is the document).
json_field() {
    python3 -c 'import json, sys; d = json.loads(sys.stdin.read()); print(eval(sys.argv[1]))' \
        "$2" <<<"$1"
}

default=$("$PLUGIN" "${opts[@]}" -p "$good_port")
expect "one-line: the status line alone" 0 "^OCSP STAPLE OK - certificate good" \
    "${opts[@]}" -p "$good_port" --output-format one-line
check "... one line, no long output" test "$(wc -l <<<"$LAST_OUTPUT")" -eq 1
# same_but_numbers A B: equal once the numbers (times, ages) are left out.
same_but_numbers() { test "$(tr -d 0-9. <<<"$1")" = "$(tr -d 0-9. <<<"$2")"; }
check "... the default output's first line" same_but_numbers "$LAST_OUTPUT" "${default%%$'\n'*}"
expect "one-line, -w 20: no note either" 0 "^OCSP STAPLE OK" \
    "${opts[@]}" -p "$good_port" --output-format one-line -w 20
check "... one line" test "$(wc -l <<<"$LAST_OUTPUT")" -eq 1

expect "json: a good staple, exit 0" 0 '^\{"format":"check_ocsp_staple/1",' \
    "${opts[@]}" -p "$good_port" --output-format json -w 20
json=$LAST_OUTPUT
check "... one document that python3's json module parses" eval 'json_field "$json" "d[\"state\"]" >/dev/null'
check "... state and exit code" test "$(json_field "$json" 'd["state"], d["exit_code"]')" = "('OK', 0)"
check "... the status line, as the default output's" \
    same_but_numbers "$(json_field "$json" 'd["status_line"]')" "$("$PLUGIN" "${opts[@]}" -p "$good_port" -w 20 | head -n 1)"
check "... perfdata as objects" \
    test "$(json_field "$json" '[(p["label"], p["unit"], p["warn"]) for p in d["perfdata"]][0]')" = "('next_update', 's', '20:')"
check "... next_update's value a number" test "$(json_field "$json" 'type(d["perfdata"][0]["value"]).__name__')" = int
check "... the note" test "$(json_field "$json" 'd["notes"]')" = "['-w 20 means 20 seconds; did you mean 20d?']"
check "... the certificate" \
    test "$(json_field "$json" 'd["check"]["certificate"]["subject"], d["check"]["certificate"]["serial"]')" = "('CN=localhost', '10A0000000000001')"
check "... the staple: status good, its times as epoch seconds" \
    test "$(json_field "$json" 'd["check"]["staple"]["cert_status"], d["check"]["staple"]["next_update"] > d["check"]["staple"]["this_update"]')" = "('good', True)"
check "... every step passed, by name" \
    test "$(json_field "$json" 'len(d["check"]["steps_passed"]), d["check"]["steps_passed"][0]')" = "(9, 'certificate chain')"
check "... the name checked" test "$(json_field "$json" 'd["check"]["host_name_checked"], d["check"]["checked_name"]')" = "(True, 'localhost')"
check "... no responder, no CRL, no parts" \
    test "$(json_field "$json" 'd["check"]["responder"], d["check"]["crl"], d["parts"]')" = "(None, None, [])"

expect "json: a revoked certificate, exit 2" 2 '^\{' "${opts[@]}" -p "$revoked_port" --output-format json
check "... the failure by id and message" \
    test "$(json_field "$LAST_OUTPUT" 'd["state"], d["check"]["status"], d["check"]["message"]')" = "('CRITICAL', 'revoked', 'certificate revoked')"
check "... the revocation time" test "$(json_field "$LAST_OUTPUT" 'd["check"]["staple"]["revoked_at"]')" = 1705320000

expect "json, offline" 0 '^\{' --response good.der --cert leaf-chain.pem -C root.pem --output-format json
check "... offline, no peer" test "$(json_field "$LAST_OUTPUT" 'd["check"]["offline"], d["check"]["peer"]')" = "(True, '')"

expect "json, --handshakes 2: a part each" 0 '^\{' "${opts[@]}" -p "$good_port" --handshakes 2 --output-format json
check "... the parts, labelled" \
    test "$(json_field "$LAST_OUTPUT" '[(p["label"], p["state"], p["check"]["status"]) for p in d["parts"]]')" = "[('handshake 1', 'OK', 'good'), ('handshake 2', 'OK', 'good')]"
check "... stapled in the perfdata, with its max" \
    test "$(json_field "$LAST_OUTPUT" '[(p["value"], p["min"], p["max"]) for p in d["perfdata"] if p["label"] == "stapled"]')" = "[(2, '0', '2')]"

expect "json, a hostile certificate subject: still one valid document" 0 '^\{' \
    "${opts[@]}" -p "$weird_port" --output-format json
check "... the subject escaped as the long output escapes it" \
    test "$(json_field "$LAST_OUTPUT" 'd["check"]["certificate"]["subject"]')" = "$("$PLUGIN" "${opts[@]}" -p "$weird_port" -v | sed -n 's/^Certificate: //p')"
check "... no raw control character in the document" \
    test -z "$(tr -d '\n' <<<"$LAST_OUTPUT" | LC_ALL=C grep -P '[\x00-\x1f\x7f]')"

finish
