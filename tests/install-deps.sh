#!/bin/bash
# install-deps.sh - installs, with apt, what building and testing need on
# Debian 12. Does nothing when everything is there already; needs root
# otherwise. Packages may start services of their own on install: the tests
# leave those alone and run their own instances.
set -eu

packages=(
    # build
    build-essential autoconf automake pkg-config libssl-dev check
    # tests: the PKI, the responder and the TLS server
    openssl faketime ca-certificates procps
    # hardening: ASan/UBSan and libFuzzer builds (clang and its runtime
    # libraries; llvm for llvm-symbolizer, which gives sanitizer reports
    # their file and line), valgrind
    clang libclang-rt-dev llvm valgrind
)

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
