#!/usr/bin/python3
"""Validates every line of a JSONL file against one of results-schema/*.schema.json (JSON Schema draft 2020-12).

Usage: validate_jsonl.py [--schema-dir DIR] [--allow-empty] FILE.jsonl SCHEMA
SCHEMA is a file name in DIR (measurement.schema.json, or just "measurement"). Sibling schemas such as
failure.schema.json are registered under their $id so relative $refs resolve without the network.
Prints one line per invalid record (line number, JSON path, reason); exit 0 all valid, 1 invalid, 2 usage/IO error.
"""
import argparse
import json
import os
import sys

import jsonschema

DEFAULT_SCHEMA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                                  "results-schema")


def load_schemas(schema_dir):
    schemas = {}
    for name in sorted(os.listdir(schema_dir)):
        if name.endswith(".json"):
            with open(os.path.join(schema_dir, name)) as f:
                schemas[name] = json.load(f)
    return schemas


def make_validator(schemas, name):
    """A Draft 2020-12 validator for schemas[name] that resolves $refs to its siblings offline."""
    schema = schemas[name]
    try:  # jsonschema >= 4.18 uses the `referencing` library
        from referencing import Registry, Resource
        registry = Registry().with_resources(
            (s["$id"], Resource.from_contents(s)) for s in schemas.values() if "$id" in s)
        return jsonschema.Draft202012Validator(schema, registry=registry)
    except ImportError:  # Debian 12 ships 4.10: RefResolver with a pre-filled store
        store = {s["$id"]: s for s in schemas.values() if "$id" in s}
        resolver = jsonschema.RefResolver.from_schema(schema, store=store)
        return jsonschema.Draft202012Validator(schema, resolver=resolver)


def json_path(error):
    return "$" + "".join(f"[{p!r}]" if isinstance(p, str) else f"[{p}]" for p in error.absolute_path)


def branch_errors(error):
    """For a oneOf over typed objects (observations), only the errors of the branch named by "type"."""
    instance = error.instance
    if error.validator == "oneOf" and isinstance(instance, dict) and "type" in instance:
        for i, branch in enumerate(error.validator_value):
            if str(branch.get("$ref", "")).endswith("/" + str(instance["type"])):
                return [e for e in error.context if e.relative_schema_path and e.relative_schema_path[0] == i]
    return list(error.context or [])


def describe(error, depth=0):
    """One line: where, and the most specific reason (oneOf failures are unwrapped to the branch that fits)."""
    candidates = branch_errors(error)
    # A branch of the wrong JSON type ("is not of type 'null'") says less than one of the right type.
    specific = [e for e in candidates if e.validator != "type"]
    candidates = specific or candidates
    if candidates and depth < 8:
        return describe(jsonschema.exceptions.best_match(candidates), depth + 1)
    message = error.message if len(error.message) < 200 else error.message[:200] + "..."
    return f"{json_path(error)}: {message}"


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schema-dir", default=DEFAULT_SCHEMA_DIR)
    parser.add_argument("--allow-empty", action="store_true", help="a file without records is valid")
    parser.add_argument("jsonl")
    parser.add_argument("schema")
    args = parser.parse_args(argv)

    name = args.schema if args.schema.endswith(".json") else args.schema + ".schema.json"
    try:
        schemas = load_schemas(args.schema_dir)
        validator = make_validator(schemas, name)
        with open(args.jsonl, encoding="utf-8") as f:
            lines = f.read().split("\n")
    except (OSError, KeyError, json.JSONDecodeError) as e:
        print(f"validate_jsonl: {type(e).__name__}: {e}", file=sys.stderr)
        return 2

    records = invalid = 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        records += 1
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            print(f"line {number}: not JSON: {e}")
            invalid += 1
            continue
        errors = sorted(validator.iter_errors(record), key=lambda e: list(e.absolute_path))
        for error in errors[:20]:
            print(f"line {number}: {describe(error)}")
        invalid += bool(errors)
    if records == 0 and not args.allow_empty:
        print(f"{args.jsonl}: no records")
        return 1
    if invalid:
        print(f"{invalid} of {records} records invalid against {name}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
