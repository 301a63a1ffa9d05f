#!/usr/bin/python3
"""Validates a catalogue directory (catalogue.json, services/*.json) against targets/schema/*.schema.json.

Usage: validate_schema.py [--expect-invalid] TARGETS_DIR [SCHEMA_DIR]; SCHEMA_DIR defaults to TARGETS_DIR/schema.
With --expect-invalid the exit status is 0 only when validation ran and found problems (for fixtures)."""
import json
import pathlib
import sys

import jsonschema


def main(targets: pathlib.Path, schema_dir: pathlib.Path) -> int:
    service_schema = json.loads((schema_dir / "service.schema.json").read_text())
    catalogue_schema = json.loads((schema_dir / "catalogue.schema.json").read_text())
    store = {service_schema["$id"]: service_schema, catalogue_schema["$id"]: catalogue_schema}
    resolver = jsonschema.RefResolver.from_schema(catalogue_schema, store=store)
    failures = 0
    checks = [(targets / "catalogue.json", catalogue_schema)]
    checks += [(p, service_schema) for p in sorted((targets / "services").glob("*.json"))]
    for path, schema in checks:
        validator = jsonschema.Draft202012Validator(schema, resolver=resolver, format_checker=jsonschema.FormatChecker())
        for error in validator.iter_errors(json.loads(path.read_text())):
            where = "/".join(str(p) for p in error.absolute_path) or "(top)"
            print(f"{path}: {where}: {error.message}")
            failures += 1
    print(f"checked {len(checks)} files: {'ok' if failures == 0 else f'{failures} problems'}")
    return 1 if failures else 0


if __name__ == "__main__":
    args = sys.argv[1:]
    expect_invalid = bool(args) and args[0] == "--expect-invalid"
    if expect_invalid:
        args = args[1:]
    targets_dir = pathlib.Path(args[0] if args else "targets")
    status = main(targets_dir, pathlib.Path(args[1]) if len(args) > 1 else targets_dir / "schema")
    sys.exit((0 if status else 1) if expect_invalid else status)
