#!/usr/bin/python3
"""Validates every JSON data file of the project against its schema.

Every plan file the tests keep (tests/golden/*/*plan.json, hotplug's plans
before and after, tests/data/guest-samples/*.plan.json) against
schemas/plan.schema.json and every probe.json against
schemas/probe.schema.json; then checks that the schemas
are not vacuous by breaking a copy of one of each and expecting a refusal.
Every examples/requests/*.yaml must pass schemas/request.schema.json and
every tests/data/requests/invalid/*.yaml must fail it (request_file_test.cpp
holds the C++ parser to the same two sets); and the YAML 1.2 typing of the
loader below agrees with tests/data/yaml-core-types.txt, the table the C++
reader is held to (common/yaml_tree_test.cpp).
Run by ctest (Debian's /usr/bin/python3 with python3-jsonschema, python3-yaml).
"""
import copy
import glob
import json
import os
import re
import sys

import jsonschema
import yaml

SOURCE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


class Yaml12Loader(yaml.SafeLoader):
    """PyYAML reads YAML 1.1; smmu-plan types plain scalars by the YAML 1.2
    core schema (common/yaml_tree.h): 0009:01:00.0 is a string, not base 60;
    yes is a string; 010 is ten. Duplicate keys are refused, as in C++."""

    def construct_mapping(self, node, deep=False):
        keys = set()
        for key_node, _ in node.value:
            if key_node.value in keys:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key_node.value!r}", key_node.start_mark)
            keys.add(key_node.value)
        return super().construct_mapping(node, deep)


Yaml12Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in [
        ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
        ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
        ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
        ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                  r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", list("-+0123456789.")),
]:
    Yaml12Loader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), _first)


def _int12(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith(("0x", "0o")):
        return int(text[2:], 16 if text[1] == "x" else 8)
    return int(text, 10)


Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _int12)


def load_request(path):
    """A request file as the JSON document the schema describes (keys become strings)."""
    with open(path, encoding="utf-8") as f:
        return json.loads(json.dumps(yaml.load(f, Loader=Yaml12Loader)))


def check_typing(failures):
    """Types every scalar of tests/data/yaml-core-types.txt with the loader
    above; yaml_tree_test.cpp holds the C++ reader to the same table."""
    names = {type(None): "null", bool: "boolean", int: "integer", float: "float", str: "string"}
    rows = 0
    with open(os.path.join(SOURCE, "tests", "data", "yaml-core-types.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            want, scalar = line.split("\t", 1)
            got = names[type(yaml.load(f"v: {scalar}", Loader=Yaml12Loader)["v"])]
            if got != want:
                failures.append(f"yaml-core-types.txt: {scalar!r} is {got} to the Python loader, not {want}")
            rows += 1
    if rows < 30:
        failures.append("yaml-core-types.txt holds too few rows")
    return rows


def check_requests(failures):
    """Returns (valid examples, refused invalid files)."""
    schema = load(os.path.join(SOURCE, "schemas", "request.schema.json"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    valid = refused = 0
    examples = sorted(glob.glob(os.path.join(SOURCE, "examples", "requests", "*.yaml")))
    invalid = sorted(glob.glob(os.path.join(SOURCE, "tests", "data", "requests", "invalid", "*.yaml")))
    if not examples or not invalid:
        failures.append("no example or invalid request files found")
    for path in examples:
        errors = list(validator.iter_errors(load_request(path)))
        for e in errors:
            failures.append(f"{os.path.relpath(path, SOURCE)}: {e.json_path}: {e.message}")
        valid += not errors
    for path in invalid:
        if validator.is_valid(load_request(path)):
            failures.append(f"{os.path.relpath(path, SOURCE)}: the request schema accepted it")
        else:
            refused += 1
    return valid, refused


def main():
    checked = valid = 0
    failures = []
    broken_ok = 0
    for kind in ("plan", "probe"):
        schema = load(os.path.join(SOURCE, "schemas", f"{kind}.schema.json"))
        jsonschema.Draft202012Validator.check_schema(schema)
        validator = jsonschema.Draft202012Validator(schema)
        # plan.json and request.plan.json (a request file's plan) alike.
        files = sorted(glob.glob(os.path.join(SOURCE, "tests", "golden", "*", f"*{kind}.json")))
        if kind == "plan":
            for pattern in (("golden", "*", "hotplug.before.json"), ("golden", "*", "hotplug.after.json"),
                            ("data", "guest-samples", "*.plan.json")):
                files += sorted(glob.glob(os.path.join(SOURCE, "tests", *pattern)))
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
    requests_valid, requests_refused = check_requests(failures)
    typed = check_typing(failures)
    for f in failures:
        print(f)
    print(f"validated {checked} JSON files against schemas/, {broken_ok} broken copies refused")
    print(f"validated {requests_valid} example requests, {requests_refused} invalid requests refused")
    print(f"typed {typed} YAML scalars as tests/data/yaml-core-types.txt says")
    print(f"{valid + broken_ok + requests_valid + requests_refused + typed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
