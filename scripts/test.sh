#!/usr/bin/env bash
# Installs test dependencies, builds, and runs the whole suite (unit tests and the network-namespace lab).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-debian.sh --with-test-deps
scripts/build.sh
ctest --test-dir build --output-on-failure -j1 --timeout 600
