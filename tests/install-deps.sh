#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# install-deps.sh [--demo] [PACKAGE...] - installs, with apt, what building
# and testing need on Debian 12, and the PACKAGEs named (bench/run names its
# own); with --demo only what run-demo needs: the build, the PKI, the
# responders and nginx. Does nothing when everything is there already;
# needs root otherwise. Packages may start services of their own on
# install: the tests leave those alone and run their own instances.
set -eu

# run-demo: build the plugin and its test helpers (configure wants
# libcheck), make the PKI (openssl; python3 writes its BER responses), run
# the responders (openssl ocsp; the expired one under libfaketime) and
# nginx, in a network namespace of its own (ip, unshare). A Debian 12
# made by debootstrap has no python3.
demo=(
    build-essential autoconf automake pkg-config libssl-dev check
    openssl python3 libfaketime ca-certificates procps nginx iproute2
    util-linux
)
if [ "${1:-}" = --demo ]; then
    shift
    packages=("${demo[@]}" "$@")
else
packages=(
    # build
    build-essential autoconf automake pkg-config libssl-dev check
    # tests of the source tree: the layer map (Universal Ctags), mutants;
    # the PKI's BER responses and the JSON tests
    python3 universal-ctags
    # tests: the PKI, the responders and the TLS servers (apache2-bin: the
    # server without the apache2 service, which would take port 80), and the
    # loopback-only network namespace the matrix tests run in
    openssl libfaketime ca-certificates procps strace
    gnutls-bin nginx haproxy apache2-bin iproute2 util-linux
    # tests: a real HTTP proxy for the responder's fetch (--proxy)
    tinyproxy
    # tests: a real stapling mail server (-S smtp), and a private mount
    # namespace for the hosts file of the -A test (unshare, mount)
    exim4-daemon-light mount
    # ecosystem tests: Icinga 2 (master and agent) and its REST API
    icinga2-bin icinga2-common curl jq
    # Nagios 4 (the core only)
    nagios4-core
    # man page linters
    mandoc man-db groff-base
    # the Debian package (built, linted, installed) and the RPM
    dpkg-dev debhelper fakeroot lintian rpm cpio
    # hardening: ASan/UBSan and libFuzzer builds (clang and its runtime
    # libraries; llvm for llvm-symbolizer, which gives sanitizer reports
    # their file and line), valgrind
    clang libclang-rt-dev llvm valgrind
    "$@"
)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
        missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps.sh: missing packages: ${missing[*]}" >&2
    echo "install-deps.sh: run as root, or: sudo apt-get install ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update
apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}"
