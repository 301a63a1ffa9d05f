#!/usr/bin/env bash
# Regenerates README.md's sample run, record and verdicts from a real run in the test lab, so they cannot go
# stale: the real reachprobe in the lab's vantage and control namespaces, then reachanalyze over both.
#
# Usage (root: the lab is network namespaces): scripts/update-readme-samples.sh
#   BUILD_DIR=dir   where reachprobe and reachanalyze are built (default build; configured by scripts/build.sh
#                   when missing, and brought up to date with cmake --build)
#   SAMPLES_KEEP=1  keep the scratch directory (records, summaries, verdicts) and say where it is
#
# Each sample replaces the lines between `<!-- sample:NAME -->` and `<!-- /sample:NAME -->` in README.md:
#   run       the command and the summary it printed
#   record    one record (sni-rst.example.com:443/tls), abridged
#   verdicts  reachanalyze's Markdown table and two of its evidence sentences
# The lab is joined (or built) with `tests/lab/lab.sh up --shared` and left with `down --shared`, so running
# this while tests use the lab is safe. Lab traffic stays inside the lab's namespaces.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

if ((EUID != 0)); then
  echo "update-readme-samples: needs root (the lab is made of network namespaces)" >&2
  exit 2
fi

build_dir="${BUILD_DIR:-build}"
[[ -f "$build_dir/CMakeCache.txt" ]] || scripts/build.sh
cmake --build "$build_dir" -j2 --target reachprobe reachanalyze >/dev/null
probe=$root/$build_dir/probe/reachprobe
analyze=$root/$build_dir/analysis/reachanalyze

work=$(mktemp -d "${TMPDIR:-/tmp}/reachprobe-samples.XXXXXX")
lab_joined=0
cleanup() {
  if ((lab_joined)); then tests/lab/lab.sh down --shared >/dev/null || true; fi
  if [[ -n "${SAMPLES_KEEP:-}" ]]; then echo "update-readme-samples: raw outputs kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

tests/lab/lab.sh up --shared >/dev/null
lab_joined=1
cp "${REACHPROBE_LAB_RUN:-/run/reachprobe-lab}/ca/ca.pem" "$work/lab-ca.pem"


# The command as the README shows it (file names relative to the scratch directory the run happens in).
inputs=(--url https://ok.example.com/ --endpoint sni-rst.example.com:443/tls --url https://geo451.example.com/
        --url https://cf-geo.example.com/ --url http://blockpage.example.com/ --url https://err500.example.com/
        --url https://inject.example.com/)
# The lab's hosts live in 198.18.0.0/15, a special-purpose range: like the lab tests, both binaries are told
# to treat it as ordinary.
common_args=(--allow-special-purpose --resolver 198.18.4.53 --ca-bundle lab-ca.pem --timeout 2
             --neutral-sni neutral.example.org)

run_probe() {  # NAMESPACE LABEL OUTPUT
  (cd "$work" && timeout 240 ip netns exec "$1" "$probe" run "${common_args[@]}" --vantage "$2" "${inputs[@]}" \
     --output "$3" 2>&1)
}
run_probe rp-vantage lab-vantage vantage.jsonl >"$work/vantage.summary"
run_probe rp-control lab-control control.jsonl >"$work/control.summary"
(cd "$work" && timeout 60 "$analyze" classify --allow-special-purpose --vantage vantage.jsonl \
   --control control.jsonl --format markdown >verdicts.md)

printf '%s\n' "${common_args[@]}" >"$work/args"
printf '%s\n' "${inputs[@]}" >"$work/inputs"
/usr/bin/python3 - "$work" README.md <<'PY'
"""Trims the lab run to readable excerpts and replaces the README's marked sample blocks with them."""
import json
import re
import sys

work, readme = sys.argv[1], sys.argv[2]
MAX_LINES = 80  # no sample may grow past this; a longer one means the excerpt rules below need a look


def read(name):
    with open(f"{work}/{name}", encoding="utf-8") as f:
        return f.read()


def command_block():
    args = read("args").split("\n")[:-1] + ["--vantage", "lab-vantage"] + read("inputs").split("\n")[:-1]
    # An option and its value stay together; lines wrap at 110 columns.
    pieces = []
    for a in args:
        if pieces and not a.startswith("-") and pieces[-1].startswith("-") and " " not in pieces[-1]:
            pieces[-1] += " " + a
        else:
            pieces.append(a)
    lines, line = [], "$ reachprobe run"
    for p in pieces:
        if len(line) + 1 + len(p) > 110:
            lines.append(line + " \\")
            line = "   "
        line += " " + p
    lines.append(line)
    return "\n".join(lines)


def run_sample():
    summary = read("vantage.summary").strip("\n")
    return "```\n" + command_block() + "\n\n" + summary + "\n```"


CERT = re.compile(r"^[A-Za-z0-9+/=]{40,}$")
# What each observation type shows in the sample; the rest of its fields are in the schema.
SHOWN = {
    "dns_query": ["id", "type", "t0", "t", "failure", "hostname", "query_type", "resolver", "rcode", "answers"],
    "dns_exchange": ["id", "type", "purpose", "server", "failure", "replies"],
    "tcp_connect": ["id", "type", "address", "port", "transaction", "failure"],
    "tls_handshake": ["id", "type", "transaction", "server_name", "sni_kind", "failure", "handshake_completed",
                      "tls_version", "verification", "peer_certificates"],
    "http_request": ["id", "type", "url", "failure", "tls_verified", "response"],
    "path_localization": ["id", "type", "kind", "trigger", "control", "hops", "interference_ttl",
                          "last_router_before", "destination_ttl", "confirmed"],
    "capture_summary": ["id", "type", "steps", "protocol", "remote", "packets"],
}


def abridge(value):
    """Certificates to their first characters, floats to 4 places, lists to 3 items, recursively."""
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, str):
        return value[:4] + "..." if CERT.match(value) else value
    if isinstance(value, list):
        return [abridge(v) for v in value[:3]] + (["..."] if len(value) > 3 else [])
    if isinstance(value, dict):
        return {k: abridge(v) for k, v in value.items()}
    return value


def shown(obs):
    keys = SHOWN.get(obs["type"], list(obs))
    return {k: abridge(obs[k]) for k in keys if k in obs}


def interesting(obs):
    """The AAAA query (always empty in the lab) and capture summaries without a reset add length, not insight."""
    if obs["type"] == "dns_query" and obs.get("query_type") == "AAAA":
        return False
    if obs["type"] == "capture_summary":
        return any(p.get("kind") == "rst" for p in obs.get("packets", []))
    return True


def wrapped(pairs, first, indent, width=110):
    """JSON members joined by ", " and wrapped at width."""
    lines, line = [], first
    for i, pair in enumerate(pairs):
        piece = pair + ("," if i + 1 < len(pairs) else "")
        if len(line) + 1 + len(piece) > width and line.strip():
            lines.append(line)
            line = indent
        line += ("" if line.endswith(("{", " ")) else " ") + piece
    lines.append(line)
    return lines


def record_sample():
    records = [json.loads(l) for l in read("vantage.jsonl").splitlines() if l.strip()]
    rec = next(r for r in records if r["input"]["value"] == "sni-rst.example.com:443/tls")
    members = [json.dumps(k) + ": " + json.dumps(abridge(v), ensure_ascii=False)
               for k, v in rec.items() if k != "observations"]
    out = wrapped(members, "{", " ")
    out[-1] += ","
    out.append(' "observations": [')
    obs = [json.dumps(shown(o), ensure_ascii=False) for o in rec["observations"] if interesting(o)]
    out += ["  " + o + ("," if i + 1 < len(obs) else "") for i, o in enumerate(obs)]
    out.append(" ]}")
    return "```json\n" + "\n".join(out) + "\n```"


MEASUREMENT_ID = re.compile(r"`([0-9a-f]{8})-[0-9a-f-]{27}#(\d+)`")


def short_ids(sub):
    """`<uuid>#5` as `dc449adb-…#5`, later ids of the same measurement as `…#12`."""
    seen = set()

    def one(m):
        first = m.group(1) not in seen
        seen.add(m.group(1))
        return f"`{m.group(1)}-…#{m.group(2)}`" if first else f"`…#{m.group(2)}`"

    return MEASUREMENT_ID.sub(one, sub)


def verdicts_sample():
    md = read("verdicts.md").splitlines()
    start = next(i for i, l in enumerate(md) if l.startswith("| Service |"))
    table = []
    for l in md[start:]:
        if not l.startswith("|"):
            break
        table.append(l)
    body = "\n".join(table) + "\n\nEach verdict comes with the sentence an advocate can quote and the observations that support it, for example:\n"
    for name in ("sni-rst.example.com:443/tls", "https://cf-geo.example.com/"):
        i = next(i for i, l in enumerate(md) if l.startswith(f"- **{name}** — "))
        sentence = md[i].split(f"`{name}`: ", 1)[1].rstrip()
        body += f"\n> **{name}** — {sentence}\n"
        if i + 1 < len(md) and md[i + 1].lstrip().startswith("<sub>"):
            body += "> " + short_ids(md[i + 1].strip()) + "\n"
    return body.rstrip("\n")


samples = {"run": run_sample(), "record": record_sample(), "verdicts": verdicts_sample()}
with open(readme, encoding="utf-8") as f:
    text = f.read()
for name, block in samples.items():
    if block.count("\n") + 1 > MAX_LINES:
        sys.exit(f"update-readme-samples: sample {name} has {block.count(chr(10)) + 1} lines (at most {MAX_LINES})")
    pattern = re.compile(rf"(<!-- sample:{name} -->\n).*?(\n<!-- /sample:{name} -->)", re.S)
    if not pattern.search(text):
        sys.exit(f"update-readme-samples: README.md has no <!-- sample:{name} --> ... <!-- /sample:{name} --> block")
    text = pattern.sub(lambda m: m.group(1) + block + m.group(2), text)
with open(readme, "w", encoding="utf-8") as f:
    f.write(text)
print("update-readme-samples: README.md: " + ", ".join(samples) + " regenerated", file=sys.stderr)
PY
