#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# options.sh - one option list everywhere: --help is the reference; the man
# page documents every option, the Icinga 2 CheckCommand has an argument
# with a vars.ocsp_staple_* variable for each, and the Nagios file lists each.
# An option added without them fails here. Also lints the man page.
. "$(dirname "$0")/lib.sh"

: "${TOP_SRCDIR:?}"
need mandoc man
man_page=$TOP_SRCDIR/doc/check_ocsp_staple.1
icinga=$TOP_SRCDIR/contrib/icinga2/check_ocsp_staple.conf
nagios=$TOP_SRCDIR/contrib/nagios/check_ocsp_staple.cfg

# Every lister prints "SHORT LONG" per option ("-" when there is no short
# one), sorted.

# " -H, --hostname=HOST" and " --sni=NAME" lines of --help.
help_options() {
    awk 'match($0, /^ (-[A-Za-z0-9], )?--[a-z0-9-]+/) {
        s = substr($0, 2, RLENGTH - 1); short = "-"
        if (s ~ /^-[^-]/) { short = substr(s, 2, 1); s = substr(s, 5) }
        print short, substr(s, 3)
    }' | sort
}

# The tag line after each .TP in the OPTIONS section.
man_options() {
    awk '/^\.SH / { section = $0 }
        section == ".SH OPTIONS" && previous == ".TP" {
            line = $0; gsub(/\\-/, "-", line); short = "-"
            if (match(line, /--[a-z0-9-]+/)) {
                long = substr(line, RSTART + 2, RLENGTH - 2)
                if (match(line, /[ "]-[A-Za-z0-9]([ ",]|$)/))
                    short = substr(line, RSTART + 2, 1)
                print short, long
            }
        }
        { previous = $0 }' "$1" | sort
}

# The CheckCommand's argument keys ("-H", "--sni"), mapped to long options
# through --help; an argument whose variable is not vars.ocsp_staple_LONG
# (dashes as underscores) is printed as "BADVAR KEY VARIABLE". -I's is
# vars.ocsp_staple_address, as the ITL names the address to connect to
# (http_address); a variable read in a function counts as well.
icinga_options() {
    awk -v map="$help" '
        BEGIN { n = split(map, lines, "\n")
                for (i = 1; i <= n; i++) { split(lines[i], f, " ")
                    if (f[1] != "-") long["-" f[1]] = f[2]
                    long["--" f[2]] = f[2] } }
        match($0, /^\t\t"-[^"]+" = \{/) { key = substr($0, RSTART + 3, RLENGTH - 8) }
        key != "" && match($0, /((value|set_if) = "|macro\(")\$ocsp_staple_[a-z0-9_]+\$"/) {
            var = substr($0, RSTART, RLENGTH); sub(/^[^$]*\$/, "", var); sub(/\$"$/, "", var)
            l = long[key]; want = l; gsub(/-/, "_", want)
            if (key == "-I") want = "address"
            if (l == "" || var != "ocsp_staple_" want) print "BADVAR", key, var
            else print (key ~ /^--/ ? "-" : substr(key, 2)), l
            key = ""
        }' "$1" | sort
}

# The option table in the Nagios file's header: "#   -H, --hostname HOST".
nagios_options() {
    sed -n 's/^#  *\(-[A-Za-z0-9], \)\{0,1\}\(--[a-z0-9-]*\) .*/\1\2/p' "$1" |
        help_options_from_table
}
help_options_from_table() {
    sed 's/^/ /' | help_options
}

# same DESC WANT GOT: passes when the two lists are equal, else shows both.
same() {
    if [ "$2" = "$3" ]; then
        _result yes "$1"
    else
        _result no "$1"
        diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | sed 's/^/#   /'
    fi
}

help_text=$("$PLUGIN" --help)
check "--help exits 3 (UNKNOWN)" test $? -eq 3
help=$(help_options <<<"$help_text")
count=$(printf '%s\n' "$help" | wc -l)
check "--help lists the options ($count)" test "$count" -ge 20
# Help and version are for people; a monitoring system never passes them.
checkable=$(printf '%s\n' "$help" | grep -Ev ' (help|version)$')

same "the man page documents every option of --help, with the same short forms" \
    "$help" "$(man_options "$man_page")"
same "the Icinga 2 CheckCommand has an argument and a vars.ocsp_staple_* variable for every option" \
    "$checkable" "$(icinga_options "$icinga")"
same "the Nagios file lists every option" "$checkable" "$(nagios_options "$nagios")"

# The comparisons notice a missing option.
sed '/--sni/,/^\t\t}/d' "$icinga" >"$T/icinga.conf"
check "an Icinga argument removed is noticed" \
    test "$(icinga_options "$T/icinga.conf")" != "$checkable"
# The ITL documentation entry: a row for each variable, with the
# CheckCommand's description.
itl_rows() {
    sed -n 's/^\(ocsp_staple_[a-z0-9_]*\) *| \(.*\)$/\1 \2/p' "$1" | sort
}
conf_rows() {
    awk 'match($0, /^\t\t"-[^"]+" = \{/) { var = "" }
        var == "" && match($0, /\$ocsp_staple_[a-z0-9_]+\$/) { var = substr($0, RSTART + 1, RLENGTH - 2) }
        match($0, /description = ".*"/) { d = substr($0, RSTART + 15, RLENGTH - 16); gsub(/\|/, "\\|", d); print var, d }' "$1" | sort
}
same "the ITL entry (contrib/icinga2/ocsp_staple.md) has a row for each variable, with its description" \
    "$(conf_rows "$icinga")" "$(itl_rows "$TOP_SRCDIR/contrib/icinga2/ocsp_staple.md")"
sed 's/ocsp_staple_skew/ocsp_staple_clock/' "$icinga" >"$T/icinga.conf"
check "an Icinga variable misnamed is noticed" \
    grep -q '^BADVAR --skew ocsp_staple_clock$' <<<"$(icinga_options "$T/icinga.conf")"
sed '/--issuer/d' "$nagios" >"$T/nagios.cfg"
check "a Nagios option removed is noticed" \
    test "$(nagios_options "$T/nagios.cfg")" != "$checkable"
sed '/^\.BR \\-\\-skew/,/^\.TP/d' "$man_page" >"$T/page.1"
check "a man page option removed is noticed" test "$(man_options "$T/page.1")" != "$help"

# The man page: lint-clean for mandoc (style included) and groff.
lint=$(mandoc -T lint -W all "$man_page" 2>&1)
check "mandoc -T lint finds nothing" test -z "$lint"
[ -z "$lint" ] || printf '%s\n' "$lint" | sed 's/^/#   /'
warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$man_page" 2>&1 >"$T/page.txt")
check "man --warnings finds nothing" test -z "$warnings"
[ -z "$warnings" ] || printf '%s\n' "$warnings" | sed 's/^/#   /'
printf '.TH X 1\n.SH NAME\nx \\- y\n.SH DESCRIPTION\n.BOGUS\n\\fBunclosed\n' >"$T/bad.1"
check "the linters do complain about a broken page" \
    test -n "$(mandoc -T lint -W all "$T/bad.1" 2>&1)" -a \
    -n "$(man --warnings -l "$T/bad.1" 2>&1 >/dev/null)"
for section in NAME SYNOPSIS DESCRIPTION OPTIONS THRESHOLDS 'EXIT STATUS' OUTPUT \
    ENVIRONMENT FILES EXAMPLES 'MONITORING SYSTEMS' COPYRIGHT 'SEE ALSO'; do
    check "the rendered page has $section" grep -q "^$section\$" "$T/page.txt"
done
check "the rendered page has the exit matrix" grep -q 'no staple, must-staple *CRITICAL, always' "$T/page.txt"
version="check_ocsp_staple $(plugin_version)" || { echo "Bail out! no version"; exit 99; }
check "the man page names the version --version prints ($version)" \
    grep -q "^\.TH CHECK_OCSP_STAPLE 1 \"[0-9-]*\" \"$version\"" "$man_page"

finish
