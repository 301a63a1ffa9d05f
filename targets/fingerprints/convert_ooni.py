#!/usr/bin/python3
"""Converts OONI's blocking-fingerprints CSVs into reachanalyze catalogue files (ooni-dns.json, ooni-http.json).

Usage: /usr/bin/python3 targets/fingerprints/convert_ooni.py REFERENCE_DIR [CHECKED_DATE]
REFERENCE_DIR is a checkout of https://github.com/ooni/blocking-fingerprints (at the commit in UPSTREAM);
CHECKED_DATE (YYYY-MM-DD) is the day the entries were compared with the source, default today.
Deterministic: the same CSVs and date give byte-identical files.
"""
import csv
import datetime
import json
import os
import sys

UPSTREAM = "ooni/blocking-fingerprints@171641e60b54"
HERE = os.path.dirname(os.path.abspath(__file__))

# OONI scopes -> what a match means for attribution. 'prov' (provider geoblocks) is curated by hand in
# providers.json, because a provider page only counts when it arrives over verified TLS; 'injb' is a benign
# router-update injection, so it is listed with the known false positives.
ATTRIBUTION = {
    "nat": "network_interference", "isp": "network_interference", "prod": "network_interference",
    "inst": "network_interference", "vbw": "network_interference",
    "fp": "false_positive", "injb": "false_positive",
}
LOCATIONS = {"dns", "body", "header.location", "header.server", "header.via", "header.x-app-url"}


def source_of(csv_name, row):
    s = f"{UPSTREAM} {csv_name}: {row['name']}"
    if row.get("source"):
        s += f" (upstream source: {row['source']})"
    return s


def names(path):
    with open(path, newline="", encoding="utf-8") as f:
        return {row["name"] for row in csv.DictReader(f)}


def convert(path, csv_name, checked, skipped, clashes, suffix):
    out, seen = [], set()
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            name, scope, ptype = row["name"], row["scope"], row["pattern_type"]
            why = None
            if scope == "prov":
                why = "provider scope: curated by hand in providers.json"
            elif scope not in ATTRIBUTION:
                why = f"unknown scope {scope!r}"
            elif ptype == "regexp":
                why = "regexp patterns are not supported (run-away regexes on hostile bodies)"
            elif row["location_found"] not in LOCATIONS:
                why = f"unsupported location {row['location_found']!r}"
            elif not row["pattern"] or len(row["pattern"]) > 4096:
                why = "empty or over-long pattern"
            elif name in seen:
                why = "duplicate name"
            if why:
                skipped.append(f"{csv_name}: {name}: {why}")
                continue
            seen.add(name)
            loc = "dns.answer" if row["location_found"] == "dns" else row["location_found"]
            entry = {
                # Upstream reuses a few names across its two lists; ids must be unique, so those get a suffix
                # (the source field keeps the original name).
                "id": name + suffix if name in clashes else name,
                "attribution": ATTRIBUTION[scope],
                "scope": scope,
                "match": [{"location": loc, "pattern_type": ptype, "pattern": row["pattern"]}],
                "strength": int(row["confidence_no_fp"] or 5),
                "countries": [c.strip() for c in row["expected_countries"].split(",") if len(c.strip()) == 2],
                "source": source_of(csv_name, row),
                "checked": checked,
            }
            notes = " ".join(x for x in [row.get("notes", "").strip(),
                                         f"Also known as {row['other_names']}." if row.get("other_names") else "",
                                         f"Example: {row['exp_url']}" if row.get("exp_url") else ""] if x)
            if notes:
                entry["notes"] = notes
            out.append(entry)
    return out


def write(name, description, entries, skipped):
    doc = {
        "format": "reachprobe-fingerprints/1",
        "description": description,
        "generated_by": "targets/fingerprints/convert_ooni.py; skipped: " + ("; ".join(skipped) if skipped else "none"),
        "fingerprints": entries,
    }
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    ref = sys.argv[1]
    checked = sys.argv[2] if len(sys.argv) > 2 else datetime.date.today().isoformat()
    clashes = names(os.path.join(ref, "fingerprints_dns.csv")) & names(os.path.join(ref, "fingerprints_http.csv"))
    for csv_name, out_name, what, suffix in [
            ("fingerprints_dns.csv", "ooni-dns.json", "DNS answers", ".dns"),
            ("fingerprints_http.csv", "ooni-http.json", "HTTP blockpages and known false positives", ".http")]:
        skipped = []
        entries = convert(os.path.join(ref, csv_name), csv_name, checked, skipped, clashes, suffix)
        write(out_name, f"Government/ISP/middlebox {what} from OONI's public list ({UPSTREAM}).", entries, skipped)
        print(f"{out_name}: {len(entries)} entries, {len(skipped)} skipped", file=sys.stderr)


if __name__ == "__main__":
    main()
