#!/usr/bin/python3
"""Validates every JSON data file of the project against its schema.

Every tests/golden/*/plan.json against schemas/plan.schema.json and every
probe.json against schemas/probe.schema.json; then checks that the schemas
are not vacuous by breaking a copy of one of each and expecting a refusal.
Run by ctest (Debian's /usr/bin/python3 with python3-jsonschema).
"""
import copy
import glob
import json
import os
import sys

import jsonschema

SOURCE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main():
    checked = valid = 0
    failures = []
    broken_ok = 0
    for kind in ("plan", "probe"):
        schema = load(os.path.join(SOURCE, "schemas", f"{kind}.schema.json"))
        jsonschema.Draft202012Validator.check_schema(schema)
        validator = jsonschema.Draft202012Validator(schema)
        files = sorted(glob.glob(os.path.join(SOURCE, "tests", "golden", "*", f"{kind}.json")))
        if not files:
            failures.append(f"no {kind}.json golden files found")
        for path in files:
            data = load(path)
            errors = list(validator.iter_errors(data))
            for e in errors:
                failures.append(f"{os.path.relpath(path, SOURCE)}: {e.json_path}: {e.message}")
            checked += 1
            valid += not errors
        if files:
            broken = copy.deepcopy(load(files[0]))
            if kind == "plan":
                broken["vsmmus"][0]["pxb"]["bus_nr"] = 256
            else:
                broken["devices"][0]["bdf"] = "not-a-bdf"
            if validator.is_valid(broken):
                failures.append(f"{kind} schema accepted a broken document")
            else:
                broken_ok += 1
    for f in failures:
        print(f)
    print(f"validated {checked} JSON files against schemas/, {broken_ok} broken copies refused")
    print(f"{valid + broken_ok} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
