#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ./build-fuzz) and runs each for a bounded time on a scratch copy of its seeds.
#
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]     (default 10; CI uses the default)
#   JOBS=N        parallel build jobs (default 2)
#   FUZZ_TARGETS  space-separated subset to run, e.g. "dns_message html_title"
#
# The seed corpora in tests/fuzz/corpus are never written to: each target grows a copy in a temporary
# directory that is deleted afterwards. A crash, leak, sanitizer report or timeout fails the script; the
# input that caused it is kept in build-fuzz/fuzz-artifacts/<target>/ and its log in build-fuzz/fuzz-logs/.
# To reproduce one: build-fuzz/tests/fuzz/<target>_fuzz <artifact>. Once fixed, add the artifact to
# tests/fuzz/regressions/<target>/ so every build replays it (ctest -L fuzz).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-10}"
jobs="${JOBS:-2}"
build_dir=build-fuzz
fuzz_src=tests/fuzz

# target  max_len  dictionary. max_len bounds input size (the largest seed fits); bigger inputs only run slower.
targets=(
  "dns_message   1024   dns.dict"
  "html_title    8192   html.dict"
  "input_spec    2200   input.dict"
  "test_list     4096   csv.dict"
  "catalogue     16384  json_catalogue.dict"
  "pem           8192   -"
  "packet        2048   -"
  "privacy_scrubber 4096 -"
  "fingerprints  16384  json_fingerprints.dict"
  "reachanalyze  16384  json_results.dict"
)

# clang's libFuzzer runtime is only a Recommends of clang-14 on Debian 12: say what to install.
if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ not found; on Debian 12: apt-get install clang libclang-rt-14-dev" >&2
  exit 2
fi
runtime=$(clang++ -print-file-name="libclang_rt.fuzzer-$(uname -m).a")
if [[ ! -f "$runtime" ]]; then
  echo "fuzz: libFuzzer runtime not found ($runtime); on Debian 12: apt-get install libclang-rt-14-dev" >&2
  exit 2
fi

start=$(date +%s)
# -Werror belongs to the normal g++ build, which CI runs first with REACHPROBE_WERROR=ON; this build only
# instruments the same sources for fuzzing, so REACHPROBE_WERROR is deliberately not read here.
CC=clang CXX=clang++ cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DREACHPROBE_FUZZ=ON -DREACHPROBE_WERROR=OFF -DBUILD_TESTING=ON >/dev/null
cmake --build "$build_dir" -j"$jobs" --target fuzzers
built=$(date +%s)

work=$(mktemp -d "${TMPDIR:-/tmp}/reachprobe-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$build_dir/fuzz-logs"

# libFuzzer finds leaks itself; these make ASan and UBSan reports fatal and readable.
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

failed=0
printf '%-14s %10s %8s %8s %8s  %s\n' target execs exec/s cov ft result
for line in "${targets[@]}"; do
  read -r name max_len dict <<<"$line"
  if [[ -n "${FUZZ_TARGETS:-}" && " $FUZZ_TARGETS " != *" $name "* ]]; then continue; fi
  binary="$build_dir/tests/fuzz/${name}_fuzz"
  if [[ ! -x "$binary" ]]; then
    printf '%-14s %s\n' "$name" "not built (its library is missing)"
    continue
  fi
  corpus="$work/corpus/$name"
  artifacts="$build_dir/fuzz-artifacts/$name"
  mkdir -p "$corpus" "$artifacts"
  cp -r "$fuzz_src/corpus/$name/." "$corpus/"
  args=(-max_total_time="$seconds" -max_len="$max_len" -rss_limit_mb=512 -timeout=5
        -print_final_stats=1 -artifact_prefix="$artifacts/")
  [[ "$dict" != "-" ]] && args+=(-dict="$fuzz_src/dict/$dict")
  log="$build_dir/fuzz-logs/$name.log"
  rc=0
  "$binary" "${args[@]}" "$corpus" >"$log" 2>&1 || rc=$?
  # The last status line ("#N DONE cov: C ft: F ...") and the final stats carry the figures.
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  if ((rc == 0)); then
    result=ok
  else
    result="FAILED (exit $rc; log $log; inputs in $artifacts)"
    failed=1
  fi
  printf '%-14s %10s %8s %8s %8s  %s\n' "$name" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "$result"
  if ((rc != 0)); then grep -m1 -E 'ERROR|property failed|deadly signal|Timeout|out-of-memory' "$log" >&2 || true; fi
done
end=$(date +%s)
echo "fuzz: build $((built - start)) s, fuzzing $((end - built)) s (${seconds} s per target)" >&2
exit "$failed"
