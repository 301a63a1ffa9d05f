#!/usr/bin/env bash
# Checks that every C++ source under probe/ analysis/ common/ tests/ bench/ follows .clang-format, and names
# the files that do not (exit 1). It changes nothing; to fix a file: clang-format -i FILE.
#
# Usage: scripts/check-format.sh [-v]     (-v: also show clang-format's complaints, line by line)
#   CLANG_FORMAT=path   the formatter (default clang-format-14, else clang-format). Other major versions lay
#                       some constructs out differently, so CI and the style file use 14 (Debian 12's).
set -euo pipefail
cd "$(dirname "$0")/.."

verbose=0
[[ "${1:-}" == "-v" ]] && verbose=1

formatter="${CLANG_FORMAT:-}"
if [[ -z "$formatter" ]]; then
  formatter=$(command -v clang-format-14 || command -v clang-format || true)
fi
if [[ -z "$formatter" ]]; then
  echo "check-format: clang-format not found; on Debian 12: apt-get install clang-format" >&2
  exit 2
fi

# Tracked sources only (no build trees or scratch files); fuzz seed corpora are inputs, not code.
dirs=(probe analysis common tests bench)
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files -- "${dirs[@]}" | grep -E '\.(cpp|cc|h|hpp)$' | grep -v '^tests/fuzz/corpus/')
else
  mapfile -t files < <(find "${dirs[@]}" -path tests/fuzz/corpus -prune -o -type f \
    \( -name '*.cpp' -o -name '*.cc' -o -name '*.h' -o -name '*.hpp' \) -print 2>/dev/null | sort)
fi

bad=()
for f in "${files[@]}"; do
  if ! out=$("$formatter" --style=file --dry-run -Werror "$f" 2>&1); then
    bad+=("$f")
    ((verbose)) && printf '%s\n' "$out" >&2
  fi
done

if ((${#bad[@]})); then
  printf '%s\n' "${bad[@]}"
  echo "check-format: ${#bad[@]} of ${#files[@]} files differ from .clang-format ($("$formatter" --version));" \
       "fix with: clang-format -i FILE" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files follow .clang-format" >&2
