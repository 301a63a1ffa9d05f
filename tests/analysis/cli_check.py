#!/usr/bin/python3
"""CLI test of reachanalyze on the committed fixtures: exact verdicts, exit codes, and the JSON against
results-schema/verdict.schema.json (draft 2020-12). Usage: cli_check.py REACHANALYZE_BINARY REPO_ROOT"""
import json
import os
import subprocess
import sys
import tempfile

from jsonschema import Draft202012Validator

BIN, ROOT = sys.argv[1], sys.argv[2]
FIX = os.path.join(ROOT, "tests", "analysis", "fixtures")
schema = json.load(open(os.path.join(ROOT, "results-schema", "verdict.schema.json")))
Draft202012Validator.check_schema(schema)
validator = Draft202012Validator(schema)
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def run(*args):
    # The fixtures are lab records: their hosts live in 198.18.0.0/15, as the lab's do.
    return subprocess.run([BIN, "classify", "--allow-special-purpose", *args], capture_output=True, text=True, timeout=60)


def valid(doc, label):
    errs = list(validator.iter_errors(doc))
    for e in errs[:5]:
        failures.append(f"{label}: schema: {list(e.absolute_path)}: {e.message[:200]}")


# 1. Vantage + control: every scenario exactly as expected, JSON valid, exit 0.
with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "verdicts.json")
    p = run("--vantage", f"{FIX}/vantage.jsonl", "--control", f"{FIX}/control.jsonl", "--output", out)
    check(p.returncode == 0, f"clean run exit {p.returncode}: {p.stderr}")
    check(not os.path.exists(out + ".partial"), "temporary output left behind")
    doc = json.load(open(out))
    valid(doc, "with control")
    got = {s["input"]["value"]: s for s in doc["services"]}
    for e in json.load(open(f"{FIX}/expected.json")):
        s = got.get(e["input"])
        check(s is not None, f"no verdict for {e['input']}")
        if s:
            check((s["attribution"], s["mechanism"]) == (e["attribution"], e["mechanism"]),
                  f"{e['input']}: got {s['attribution']}/{s['mechanism']}, want {e['attribution']}/{e['mechanism']}")

# 2. Without control: valid, says so, nothing blamed on the other party.
p = run("--vantage", f"{FIX}/vantage.jsonl")
check(p.returncode == 0, f"no-control exit {p.returncode}")
doc = json.loads(p.stdout)
valid(doc, "without control")
check(doc["inputs"]["control"] is None, "control should be null")
check(any("No control" in n for n in doc["notes"]), "no-control note missing")
check(all(t["control"] == "absent" for t in doc["targets"]), "control status should be absent")

# 3. Malformed input: errors name file and line on stderr, valid records still analysed, exit 3.
p = run("--vantage", f"{FIX}/malformed.jsonl", "--control", f"{FIX}/control.jsonl")
check(p.returncode == 3, f"malformed exit {p.returncode}, want 3")
check("malformed.jsonl:2: not valid JSON" in p.stderr, f"stderr lacks line 2: {p.stderr}")
check("malformed.jsonl:7:" in p.stderr and "truncated" in p.stderr, "stderr lacks the truncated last line")
doc = json.loads(p.stdout)
valid(doc, "malformed")
check(len(doc["services"]) == 2 and len(doc["input_errors"]) == 5, "malformed: want 2 verdicts and 5 errors")

# 4. Hard failures and usage errors are distinct exit codes.
check(run("--vantage", "/nonexistent.jsonl").returncode == 1, "missing file should exit 1")
check(run("--vantage", f"{FIX}/vantage.jsonl", "--fingerprints", "/nonexistent").returncode == 1, "bad catalogue should exit 1")
check(run("--vantage", f"{FIX}/vantage.jsonl", "--format", "yaml").returncode == 2, "bad format should exit 2")
check(run().returncode == 2, "missing --vantage should exit 2")

# 5. Markdown and text are produced and honest.
p = run("--vantage", f"{FIX}/vantage.jsonl", "--control", f"{FIX}/control.jsonl", "--format", "markdown")
check(p.returncode == 0 and "| Service |" in p.stdout and "account-level blocks" in p.stdout, "markdown report")
p = run("--vantage", f"{FIX}/vantage.jsonl", "--format", "text")
check(p.returncode == 0 and "inconclusive" in p.stdout, "text report")

for f in failures:
    print("FAIL:", f)
print(f"cli_check: {len(failures)} failure(s)")
sys.exit(1 if failures else 0)
