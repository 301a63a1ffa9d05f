#!/usr/bin/env bash
# Configures and builds reachprobe and reachanalyze into ./build (extra arguments go to cmake's configure
# step). Tests are not built unless asked for (-DBUILD_TESTING=ON, as scripts/test.sh does).
#   REACHPROBE_WERROR=ON   warnings are errors (CI sets it; the default, OFF, suits other compilers and packagers).
#                          Always passed, so a build directory configured earlier with the other value follows it.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" -DBUILD_TESTING=OFF \
  -DREACHPROBE_WERROR="${REACHPROBE_WERROR:-OFF}" "$@" >/dev/null
cmake --build build -j"$(nproc)"
