#!/usr/bin/env python3
"""qemu_caps.py record OUT -- QEMU...    write QEMU's own property lists to OUT
   qemu_caps.py check FILE -- QEMU...    exit 1, with the difference, unless
                                         QEMU's lists are FILE's

QEMU... is the command that runs qemu-system-aarch64 (e.g. tests/e2e/in-root.sh
TESTBED qemu-system-aarch64). The lists are what QEMU answers over QMP on
`-machine none`, as libvirt asks it: `device-list-properties` for every device
smmu-plan emits, `qom-list-properties` for its objects and the virt machine,
each property's name and type (qemu-caps/README.md). Exit 2: usage or no QMP
answer.
"""
import json
import subprocess
import sys

DEVICES = ["arm-smmuv3", "pxb-pcie", "pcie-root-port", "vfio-pci", "virtio-rng-pci"]
OBJECTS = ["iommufd", "acpi-generic-initiator"]
MACHINES = {"virt": "virt-machine"}


def ask(qemu):
    """{"qemu": "X.Y", "devices": ..., "objects": ..., "machines": ...} from QEMU."""
    commands = [{"execute": "qmp_capabilities"}]
    asked = []
    for kind, names in (("devices", {d: d for d in DEVICES}), ("objects", {o: o for o in OBJECTS}),
                        ("machines", MACHINES)):
        for name, typename in names.items():
            command = "device-list-properties" if kind == "devices" else "qom-list-properties"
            commands.append({"execute": command, "arguments": {"typename": typename}})
            asked.append((kind, name))
    commands.append({"execute": "quit"})
    stdin = "".join(json.dumps(c) + "\n" for c in commands)
    run = subprocess.run(qemu + ["-machine", "none", "-nodefaults", "-display", "none", "-qmp", "stdio"],
                         input=stdin, capture_output=True, text=True, timeout=120)
    replies = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    greeting = next((r["QMP"]["version"]["qemu"] for r in replies if "QMP" in r), None)
    answers = [r for r in replies if "return" in r or "error" in r][1:1 + len(asked)]
    if greeting is None or len(answers) != len(asked):
        sys.exit("qemu_caps: no QMP answer from %s: %s" % (" ".join(qemu), run.stderr.strip()[:300]))
    caps = {"qemu": "%d.%d" % (greeting["major"], greeting["minor"]),
            "devices": {}, "objects": {}, "machines": {}}
    for (kind, name), answer in zip(asked, answers):
        if "error" in answer:        # a driver this QEMU does not have
            continue
        caps[kind][name] = {p["name"]: p["type"] for p in answer["return"]}
    return caps


def main():
    if len(sys.argv) < 5 or sys.argv[1] not in ("record", "check") or sys.argv[3] != "--":
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    mode, path, qemu = sys.argv[1], sys.argv[2], sys.argv[4:]
    caps = ask(qemu)
    text = json.dumps(caps, indent=1, sort_keys=True) + "\n"
    if mode == "record":
        with open(path, "w") as f:
            f.write(text)
        return
    with open(path) as f:
        shipped = json.load(f)
    problems = []
    if shipped["qemu"] != caps["qemu"]:
        problems.append("QEMU %s answers, %s is QEMU %s's" % (caps["qemu"], path, shipped["qemu"]))
    for kind in ("devices", "objects", "machines"):
        for name in sorted(set(shipped[kind]) | set(caps[kind])):
            have, want = caps[kind].get(name), shipped[kind].get(name)
            if have is None or want is None:
                problems.append("%s %s: %s" % (kind[:-1], name, "missing in QEMU" if have is None
                                                 else "not in %s" % path))
                continue
            for prop in sorted(set(have) | set(want)):
                if have.get(prop) != want.get(prop):
                    problems.append("%s %s: property %s is %s in QEMU, %s in %s" % (
                        kind[:-1], name, prop, have.get(prop, "absent"), want.get(prop, "absent"), path))
    for p in problems:
        print("qemu-caps: %s" % p)
    if problems:
        sys.exit(1)
    print("qemu-caps: QEMU %s's property lists are %s's (%d drivers)" % (
        caps["qemu"], path, sum(len(caps[k]) for k in ("devices", "objects", "machines"))))


if __name__ == "__main__":
    main()
