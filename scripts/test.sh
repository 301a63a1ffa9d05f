#!/usr/bin/env bash
# Installs test dependencies, builds, and runs the whole suite (unit tests and the network-namespace lab).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-debian.sh --with-test-deps
scripts/build.sh -DBUILD_TESTING=ON
# -j4 on two cores: most lab tests wait on timeouts, and the lab is shared safely between them.
ctest --test-dir build --output-on-failure -j4 --timeout 600
