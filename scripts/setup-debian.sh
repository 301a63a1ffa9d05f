#!/usr/bin/env bash
# Installs everything reachprobe needs on Debian 12 (as root). --with-test-deps adds the lab's servers and tools.
set -euo pipefail

build_deps=(build-essential cmake pkg-config ca-certificates
            libcurl4-openssl-dev libc-ares-dev libpcap-dev libssl-dev
            libidn2-dev  # internationalized host names (IDNA2008 / UTS #46) in --url and --endpoint
            nlohmann-json3-dev libcli11-dev libgtest-dev
            zlib1g-dev)  # tests/hostile compresses its gzip bombs with zlib
# The lab (tests/lab) builds network namespaces with real servers and a censor in the middle.
test_deps=(iproute2 nftables iptables dnsmasq-base nginx-light openssl python3 python3-jsonschema procps util-linux
           clang libclang-rt-14-dev curl
           clang-format-14)  # scripts/check-format.sh: CI's formatter, pinned to the style file's version

pkgs=("${build_deps[@]}")
if [[ "${1:-}" == "--with-test-deps" ]]; then pkgs+=("${test_deps[@]}"); fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "setup: all packages present" >&2
