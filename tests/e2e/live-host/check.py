#!/usr/bin/env python3
"""check.py WORK DESCRIPTION_NAME: what the live host guest wrote to WORK/out
(init.sh), checked against WORK/expected.json (outer.py, from the plan of the
host guest itself), against what the kernel shows in sysfs (read by the
guest's shell, not by smmu-plan), and against the IORT smmu-plan predicted
for the host guest (WORK/outer-iort.bin); then what the real form did there
(real_form.py). Prints two verdict lines, or one line per difference and
exits 1.
"""
import json
import os
import sys

import jsonschema  # Debian's python3-jsonschema (scripts/install-deps --test)

sys.dont_write_bytecode = True
import real_form  # noqa: E402  (beside this file)

SCHEMAS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "schemas")

# What QEMU's emulated SMMUv3 with stage=nested advertises, decoded
# (docs/live-host.md, The host SMMUs' registers).
QEMU_NESTED_CAPS = {
    "arch": "3.1", "ats": False, "cmdqv": None, "granules": ["4K", "16K", "64K"],
    "nesting": True, "oas_bits": 44, "ril": True, "s1p": True, "s2p": True,
    "sidsize": 16, "ssidsize": 0,
}
# What the plan asks of each vSMMU from those caps (docs/iommufd.md).
QEMU_NESTED_VSMMU = {"ats": False, "cmdqv": False, "oas": 44, "ril": True, "ssidsize": 0}
HOOK_REFUSED = 11


class Checker:
    def __init__(self, work):
        self.out = os.path.join(work, "out")
        self.problems = []
        with open(os.path.join(work, "expected.json")) as f:
            self.expected = json.load(f)
        with open(os.path.join(work, "outer-iort.bin"), "rb") as f:
            self.outer_iort = f.read()

    def fail(self, msg):
        self.problems.append(msg)

    def text(self, name, mode="r"):
        """What the guest wrote to out/NAME (bytes with mode "rb"), or None."""
        try:
            with open(os.path.join(self.out, name), mode, **({} if "b" in mode else {"errors": "replace"})) as f:
                return f.read()
        except OSError:
            return None

    def command(self, name, want_rc=0):
        """NAME's stdout, or None (and a problem) when it did not exit want_rc."""
        rc, out, err = self.text(name + ".rc"), self.text(name + ".out"), self.text(name + ".err")
        if rc is None:
            self.fail("%s: did not run" % name)
            return None
        if int(rc) != want_rc:
            first = (err or "").strip().splitlines()[:1]
            self.fail("%s: exit %s, expected %d%s" % (name, rc.strip(), want_rc,
                                                      (": " + first[0]) if first else ""))
            return None
        return out

    def valid(self, name, kind, data):
        """data, when it follows schemas/KIND.schema.json; else None and a problem."""
        with open(os.path.join(SCHEMAS, kind + ".schema.json")) as f:
            validator = jsonschema.Draft202012Validator(json.load(f))
        errors = list(validator.iter_errors(data))
        for e in errors:
            self.fail("%s: does not follow schemas/%s.schema.json: %s: %s" % (name, kind, e.json_path, e.message))
        return None if errors else data

    def json_of(self, name):
        """What `probe --json` printed as NAME.out, checked against its schema."""
        out = self.command(name)
        try:
            return self.valid(name, "probe", json.loads(out)) if out is not None else None
        except ValueError as e:
            self.fail("%s: not JSON: %s" % (name, e))
            return None

    def sysfs(self, name):
        """The shell's view: bdf -> {vendor, device, class, driver, iommu, group, physfn, vfio}."""
        view = {}
        for line in (self.text(name) or "").splitlines():
            bdf, vendor, device, cls, *fields = line.split()
            entry = {"vendor": vendor, "device": device, "class": cls}
            for f in fields:
                key, _, value = f.partition("=")
                entry[key] = None if value in ("-", "") else value
            view[bdf] = entry
        if not view:
            self.fail("%s: the guest listed no PCI device" % name)
        return view

    # The assignability rule of docs/linux-host.md (IOMMU groups), on the
    # shell's view of sysfs.
    @staticmethod
    def oracle(bdf, view):
        d = view[bdf]
        bridge = lambda e: e["class"].startswith("0x0604")  # noqa: E731
        phrase = lambda e: ("bound to " + e["driver"]) if e["driver"] else "not bound to any driver"  # noqa: E731
        if bridge(d):
            return "PCI bridge: only endpoints are assigned"
        if not d["iommu"]:
            return "not behind an IOMMU"
        if not d["vfio"]:
            return phrase(d) + ", not to vfio (bind it to vfio-pci)"
        for other, e in sorted(view.items()):
            if other != bdf and e["group"] == d["group"] and not bridge(e) and not e["vfio"]:
                return "IOMMU group %s also holds %s (%s); a group is assigned whole" % (
                    d["group"], other, phrase(e))
        return ""

    def check_probe(self, probe, view, smmu_of):
        exp_smmus = sorted(s["name"] for s in self.expected["smmus"])
        got_smmus = [s["name"] for s in probe["smmus"]]
        if got_smmus != exp_smmus:
            self.fail("probe: SMMUs %s, expected %s" % (got_smmus, exp_smmus))
        devices = {d["bdf"]: d for d in probe["devices"]}
        if sorted(devices) != sorted(view):
            self.fail("probe: devices %s, sysfs shows %s" % (sorted(devices), sorted(view)))
        for bdf, e in sorted(view.items()):
            d = devices.get(bdf)
            if d is None:
                continue
            want_smmu = smmu_of.get(bdf, e["iommu"])
            for key, want in (("smmu", want_smmu), ("vendor", e["vendor"]), ("device", e["device"]),
                              ("class", e["class"]), ("driver", e["driver"]),
                              ("physfn", e["physfn"]), ("vfio", e["vfio"]),
                              ("reason", self.oracle(bdf, view))):
                got = d.get(key)
                if key == "reason":
                    got = got or ""       # null for an assignable device
                if got != want:
                    self.fail("probe: %s %s is %r, expected %r" % (bdf, key, got, want))
            if d["assignable"] != (not d["reason"]):
                self.fail("probe: %s assignable=%s with reason %r" % (bdf, d["assignable"], d["reason"]))
        for e in self.expected["devices"]:
            mate = e["refused_for_mate"]
            got = devices.get(e["bdf"], {}).get("reason", "")
            if mate and not (got.startswith("IOMMU group ") and (" also holds %s (" % mate) in got):
                self.fail("probe: %s must be refused for its group mate %s, says %r" % (e["bdf"], mate, got))
        return devices

    def run(self):
        exp = self.expected
        if self.text("complete") is None:
            self.fail("the host guest did not finish (no out/complete)")
        view = self.sysfs("sysfs.txt")
        self.endpoints = sum(1 for e in view.values()
                             if (e["iommu"] or "").startswith("smmu3.") and not e["class"].startswith("0x0604"))
        # The description's promises, on the kernel's own view.
        smmu_of = {}
        for d in exp["devices"]:
            e = view.get(d["bdf"])
            if e is None:
                self.fail("sysfs: no %s (%s) in the host guest" % (d["bdf"], d["kind"]))
                continue
            smmu_of[d["bdf"]] = d["smmu"]
            if (e["vendor"], e["device"], e["iommu"]) != (d["vendor"], d["device"], d["smmu"]):
                self.fail("sysfs: %s is %s:%s behind %s, expected %s %s:%s behind %s" % (
                    d["bdf"], e["vendor"], e["device"], e["iommu"], d["kind"], d["vendor"],
                    d["device"], d["smmu"]))
            want_driver = "vfio-pci" if d["vfio"] else d["driver"]
            if e["driver"] != want_driver:
                self.fail("sysfs: %s is bound to %s, expected %s" % (d["bdf"], e["driver"], want_driver))
            vfs = [b for b, v in view.items() if v["physfn"] == d["bdf"]]
            if len(vfs) != d["vfs"]:
                self.fail("sysfs: %s has %d VFs, expected %d" % (d["bdf"], len(vfs), d["vfs"]))
            for vf in vfs:
                smmu_of[vf] = d["smmu"]
                v = view[vf]
                if [v["vendor"], v["device"]] != d["vf_ids"] or v["iommu"] != d["smmu"]:
                    self.fail("sysfs: VF %s is %s:%s behind %s" % (vf, v["vendor"], v["device"], v["iommu"]))

        probe = self.probe = self.json_of("probe")
        if probe:
            devices = self.check_probe(probe, view, smmu_of)
            routed = sum(1 for e in view.values() if (e["iommu"] or "").startswith("smmu3."))
            want_note = "IORT: agrees with sysfs on all %d devices behind an SMMUv3" % routed
            if probe["iort_note"] != want_note:
                self.fail("probe: %r, expected %r" % (probe["iort_note"], want_note))
            for s in probe["smmus"]:
                behind = [d for d in devices.values() if d["smmu"] == s["name"]]
                usable = [d["bdf"] for d in behind if d["assignable"]]
                if usable:
                    if s["caps"] != QEMU_NESTED_CAPS or s["caps_device"] not in usable:
                        self.fail("probe: %s caps %s through %s, expected %s through one of %s" % (
                            s["name"], s["caps"], s["caps_device"], QEMU_NESTED_CAPS, usable))
                    continue
                # The kernel refuses to bind a vfio device of a group a host
                # driver uses (EPERM); with none bound at all there is nothing to ask.
                why = ("bind the whole group to vfio-pci" if any(d["vfio"] for d in behind)
                       else "bind one to vfio-pci")
                if s["caps"] is not None or why not in (s["caps_unavailable"] or ""):
                    self.fail("probe: %s has no assignable device but says caps %s / %r (expected: %s)" % (
                        s["name"], s["caps"], s["caps_unavailable"], why))
        if self.text("firmware-iort.bin", "rb") != self.outer_iort:
            self.fail("IORT: the host guest's firmware IORT differs from smmu-plan's "
                      "prediction for its topology (out/firmware-iort.bin, outer-iort.bin)")

        unbound = self.json_of("probe-unbound")
        for d in (unbound or {}).get("devices", []):
            if d["assignable"] or d["vfio"]:
                self.fail("probe with nothing bound to vfio: %s is %s" % (d["bdf"], d["vfio"] or "assignable"))
        for s in (unbound or {}).get("smmus", []):
            if s["caps"] is not None or "bind one to vfio-pci" not in (s["caps_unavailable"] or ""):
                self.fail("probe with nothing bound to vfio: %s says caps %s / %r" % (
                    s["name"], s["caps"], s["caps_unavailable"]))
        user = self.json_of("probe-user")
        if user:
            for s in user["smmus"]:
                why = s["caps_unavailable"] or ""
                if probe and any(p["name"] == s["name"] and p["caps"] for p in probe["smmus"]) and not (
                        s["caps"] is None and "permission denied" in why and "run as root" in why):
                    self.fail("probe as a user: %s says caps %s / %r" % (s["name"], s["caps"], why))
            if probe and user["devices"] != probe["devices"]:
                self.fail("probe as a user: the devices or their verdicts differ from root's")
            if "root-only" not in user["iort_note"]:
                self.fail("probe as a user: IORT note %r does not say it is root-only" % user["iort_note"])

        plan = self.json_of_file("plan.json", "plan")
        again = self.text("plan-again.json")
        if plan is not None and again != self.text("plan.json"):
            self.fail("plan: two runs on the same host differ (out/plan.json, out/plan-again.json)")
        if plan and probe:
            self.check_plan(plan, devices)
        args = self.command("qemu-args")
        if args is not None and plan and args.count("arm-smmuv3,") != len(plan["vsmmus"]):
            self.fail("qemu-args: %d arm-smmuv3 for %d vSMMUs" % (args.count("arm-smmuv3,"), len(plan["vsmmus"])))
        self.command("iort")
        self.command("libvirt-xml")
        self.command("hook")
        self.command("libvirt-xml-swapped")
        if self.command("hook-misrouted", HOOK_REFUSED) is not None:
            err = (self.text("hook-misrouted.err") or "").strip().splitlines()
            if len(err) != 1 or "refusing to start vm" not in err[0]:
                self.fail("hook: the mis-routed refusal is not one line naming the domain: %r" % err)
        return plan

    def json_of_file(self, name, command):
        """The plan file NAME that COMMAND wrote, checked against its schema."""
        if self.command(command) is None:
            return None
        try:
            with open(os.path.join(self.out, name)) as f:
                return self.valid(name, "plan", json.load(f))
        except (OSError, ValueError) as e:
            self.fail("%s: %s" % (name, e))
            return None

    def check_plan(self, plan, devices):
        want = sorted(b for b, d in devices.items() if d["assignable"])
        got = sorted(d["host_bdf"] for d in plan["devices"])
        if got != want:
            self.fail("plan: devices %s, expected every assignable one %s" % (got, want))
        # A device names only its root port; its vSMMU is the one holding it.
        vsmmu_of_port = {rp["id"]: v for v in plan["vsmmus"] for rp in v["root_ports"]}
        for d in plan["devices"]:
            host = devices.get(d["host_bdf"], {}).get("smmu")
            v = vsmmu_of_port[d["root_port"]]
            if v["host_smmu"] != host:
                self.fail("plan: %s (behind %s) under %s of %s" % (d["host_bdf"], host, v["id"], v["host_smmu"]))
        hosts = [v["host_smmu"] for v in plan["vsmmus"]]
        if len(set(hosts)) != len(hosts) or set(hosts) != {devices[b]["smmu"] for b in want}:
            self.fail("plan: vSMMUs for %s, expected one per SMMU of %s" % (hosts, want))
        for v in plan["vsmmus"]:
            if v["caps"] != QEMU_NESTED_VSMMU:
                self.fail("plan: %s caps %s, expected %s" % (v["id"], v["caps"], QEMU_NESTED_VSMMU))


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: check.py WORK NAME")
    checker = Checker(sys.argv[1])
    plan = checker.run()
    caps = [s["caps"] for s in (checker.probe or {"smmus": []})["smmus"] if s["caps"]]
    real = real_form.check(checker, caps)
    if checker.problems:
        for p in checker.problems:
            print("live-host %s: %s" % (sys.argv[2], p))
        print("live-host %s: %d differences" % (sys.argv[2], len(checker.problems)))
        sys.exit(1)
    print("live-host: %d devices behind %d SMMUs: probe, caps, IORT, plan and hook agree (%s: %d planned)"
          % (checker.endpoints, len(checker.expected["smmus"]), sys.argv[2], len(plan["devices"])))
    print("live-host: real form: %s (%s)" % (real, sys.argv[2]))


if __name__ == "__main__":
    main()
