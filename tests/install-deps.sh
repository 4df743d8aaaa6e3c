#!/bin/bash
# install-deps.sh [PACKAGE...] - installs, with apt, what building and
# testing need on Debian 12, and the PACKAGEs named (bench/run names its
# own). Does nothing when everything is there already; needs root
# otherwise. Packages may start services of their own on install: the tests
# leave those alone and run their own instances.
set -eu

packages=(
    # build
    build-essential autoconf automake pkg-config libssl-dev check
    # tests: the PKI, the responders and the TLS servers (apache2-bin: the
    # server without the apache2 service, which would take port 80), and the
    # loopback-only network namespace the matrix tests run in
    openssl faketime ca-certificates procps
    gnutls-bin nginx haproxy apache2-bin iproute2 util-linux
    "$@"
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
