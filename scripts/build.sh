#!/usr/bin/env bash
# Configures and builds reachprobe and reachanalyze into ./build (extra arguments go to cmake's configure
# step). Tests are not built unless asked for (-DBUILD_TESTING=ON, as scripts/test.sh does).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" -DBUILD_TESTING=OFF "$@" >/dev/null
cmake --build build -j"$(nproc)"
