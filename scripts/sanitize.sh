#!/usr/bin/env bash
# Builds everything under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan) and runs the whole ctest suite.
#
# Usage: scripts/sanitize.sh [extra ctest arguments, e.g. -L unit]
#   JOBS=N   parallel build jobs (default 2: CI and dev machines here are small and shared)
#
# The lab tests are part of the suite: they need root and bring the lab up themselves through the ctest
# fixture `lab` (tests/lab/CMakeLists.txt); as non-root they skip (exit 77), they do not fail.
# g++ is used, as for the normal build: its libasan/libubsan (from gcc) include LeakSanitizer, so no
# clang runtime package is needed. Any sanitizer report aborts the process, which fails its test.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs="${JOBS:-2}"
build_dir=build-asan

# Every instrumented process inherits these, including the binaries the lab tests and gtest discovery start.
#   detect_leaks=1       LeakSanitizer at exit: a leak is a failure, not a note.
#   abort_on_error=1     abort (not exit 1) so a test expecting a non-zero exit still fails on a report.
#   halt_on_error=1      UBSan stops at the first report instead of printing and carrying on (and, with
#                        abort_on_error, by aborting: its default exit status 1 could pass as an expected failure).
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_init_order=1:check_initialization_order=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:abort_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

start=$(date +%s)
# -Werror stays with the normal build (REACHPROBE_WERROR is deliberately not read here, even in CI):
# sanitizer instrumentation makes g++ emit extra, spurious
# -Wmaybe-uninitialized/-Wstringop warnings that say nothing about the code.
# -O1, as the sanitizer documentation recommends: readable stacks, and it compiles far faster than -O2;
# -g1 (line tables only) is all a stack trace needs and links much faster than full debug info
# (this is a second full build on top of the normal one).
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g1 -O1" \
  -DREACHPROBE_SANITIZE=ON -DREACHPROBE_WERROR=OFF -DBUILD_TESTING=ON >/dev/null
cmake --build "$build_dir" -j"$jobs"
built=$(date +%s)

status=0
ctest --test-dir "$build_dir" --output-on-failure -j4 --timeout 600 "$@" || status=$?
end=$(date +%s)
echo "sanitize: build $((built - start)) s, tests $((end - built)) s, exit $status" >&2
exit "$status"
