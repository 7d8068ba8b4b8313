#!/usr/bin/env python3
"""outer.py SMMU_PLAN DESCRIPTION OUT: the host guest's topology, planned by
smmu-plan itself (README.md beside this file says how), written to OUT:

  outer.args       QEMU options, one per line: pxbs, arm-smmuv3 (stage=nested),
                   root ports and the described devices
  outer-plan.json  the plan they come from (a saved host with one vfio device
                   per slot, host/)
  expected.json    what the live probe must find: SMMUs in creation order with
                   their devices, every device's kind, ids, driver and binding
  job              shell variables for init.sh: what to bind, which VFs to
                   enable, which two devices to swap for the mis-routed domain
Exits 1 with one line on a malformed description.
"""
import json
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "examples"))
import host_descriptions as hd  # noqa: E402
import make_hosts  # noqa: E402

# KIND: QEMU driver, vendor, device, class (for the saved host), the guest kernel's driver.
KINDS = {
    "e1000e": ("e1000e", "8086", "10d3", hd.ETHERNET, "e1000e"),
    "igb": ("igb", "8086", "10c9", hd.ETHERNET, "igb"),
    "nvme": ("nvme", "1b36", "0010", hd.NVME, "nvme"),
    # Modern virtio (on pcie.0 QEMU would otherwise give the transitional IDs).
    "virtio-net": ("virtio-net-pci,disable-legacy=on", "1af4", "1041", hd.ETHERNET, "virtio-pci"),
    "virtio-rng": ("virtio-rng-pci,disable-legacy=on", "1af4", "1044", 0x00ff00, "virtio-pci"),
}
# The test's own channels on pcie.0, virtio-9p shares (live-host.sh adds the
# -fsdev): init.sh writes what it ran to "out", and real-form.sh runs QEMU
# from "arm64root" (read-only).
SHARES = [("virtio-9p-pci,disable-legacy=on,id=out,fsdev=out,mount_tag=out,bus=pcie.0,"
           "addr=0x1.0,multifunction=on", "0000:00:01.0"),
          ("virtio-9p-pci,disable-legacy=on,id=arm64root,fsdev=arm64root,mount_tag=arm64root,"
           "bus=pcie.0,addr=0x1.1", "0000:00:01.1")]
VIRTIO_9P = ("1af4", "1049")
IGB_VF = ("8086", "10ca")
# User-created SMMUs' MMIO in creation order (docs/qemu.md, Guest layout).
SMMU_MMIO, SMMU_STRIDE = 0x0C000000, 0x20000
FIRST_PCIE0_SLOT = 2


class Bad(Exception):
    pass


def parse_slot(text, where):
    if text == "-":
        return None
    kinds, *options = text.split("/")
    kinds = kinds.split("+")
    if len(kinds) > 2 or any(k not in KINDS for k in kinds):
        raise Bad("%s: %r: a slot is KIND or KIND+KIND, KIND one of %s"
                  % (where, text, ", ".join(sorted(KINDS))))
    slot = {"kinds": kinds, "own": False, "vfs": 0, "bind": None}
    for opt in options:
        if opt == "own":
            slot["own"] = True
        elif re.fullmatch(r"vfs=[1-7]", opt) and kinds == ["igb"]:
            slot["vfs"] = int(opt[4:])
        elif re.fullmatch(r"bind=[01]", opt) and len(kinds) == 2:
            slot["bind"] = int(opt[5:])
        else:
            raise Bad("%s: %r: unknown option %r for %s" % (where, text, opt, "+".join(kinds)))
    return slot


def parse(path):
    smmus, pcie0 = [], []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            where = "%s:%d" % (path, n)
            head, _, rest = line.partition(":")
            items = rest.split()
            if head == "smmu" and items:
                smmus.append([parse_slot(s, where) for s in items])
            elif head == "pcie0" and all(k in KINDS for k in items):
                pcie0 += items
            else:
                raise Bad("%s: expected 'smmu: SLOT...' or 'pcie0: KIND...'" % where)
    if not smmus:
        raise Bad("%s: no smmu line" % path)
    return smmus, pcie0


def saved_host(smmus):
    """One SMMU per line, one vfio-bound device per slot (domain = SMMU index)."""
    host = hd.Host("live-host-outer", [], [], first_index=0, iort_oem=None)
    for i, slots in enumerate(smmus):
        base = 0x10000000 * (i + 1)
        host.smmus.append(hd.Smmu(base, caps=hd.HwInfo()))
        for j, _ in enumerate(slots):
            host.ports.append(hd.Port("%04x:00:%02x.0" % (i, j), base, devs=[
                hd.Dev("%04x:%02x:00.0" % (i, j + 1), "1af4:1044", 0x00ff00, "vfio-pci",
                       bars=[(0, 4096, hd.NP32)])]))
    return host


def device_option(kind, dev_id, bus, addr):
    """The -device value of a KIND device (nvme also needs a serial)."""
    prop = "%s,id=%s,bus=%s,addr=%s" % (KINDS[kind][0], dev_id, bus, addr)
    return prop + (",serial=lh%s" % dev_id.replace(".", "") if kind == "nvme" else "")


def expected_device(bdf, kind, vendor, device, driver, smmu=None, vfio=False, vfs=0, mate=None):
    """What the live probe must show of one function (check.py reads it)."""
    return {"bdf": bdf, "kind": kind, "vendor": "0x" + vendor, "device": "0x" + device,
            "driver": driver, "smmu": smmu, "vfio": vfio, "vfs": vfs,
            "vf_ids": ["0x" + x for x in IGB_VF] if vfs else None, "refused_for_mate": mate}


def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: outer.py SMMU_PLAN DESCRIPTION OUT")
    plan_bin, desc, out = sys.argv[1:]
    try:
        smmus, pcie0 = parse(desc)
    except (Bad, OSError) as e:
        sys.exit("live-host: %s" % e)
    make_hosts.write_host(saved_host(smmus), os.path.join(out, "host"))
    plan_file = os.path.join(out, "outer-plan.json")
    run(plan_bin, "plan", "--root", os.path.join(out, "host"), "--all-assignable", "-o", plan_file)
    with open(plan_file) as f:
        plan = json.load(f)
    by_host = {d["host_bdf"]: d for d in plan["devices"]}
    # A device names only its root port: the port gives its vSMMU (index k)
    # and its guest BDF, 0000:<port bus>:00.0 (schemas/plan.schema.json).
    port_at = {rp["id"]: (k, rp["bus"]) for k, v in enumerate(plan["vsmmus"]) for rp in v["root_ports"]}

    # The stand-in form has one virtio-rng-pci per planned device: each
    # becomes its slot's device (or nothing, for "-").
    replace, expected, job = {}, {"smmus": [], "devices": []}, {"BIND": [], "VFS": []}
    for i, slots in enumerate(smmus):
        planned = by_host["%04x:01:00.0" % i]
        k = port_at[planned["root_port"]][0]
        name = "smmu3.0x%016x" % (SMMU_MMIO + SMMU_STRIDE * k)
        entry = {"name": name, "index": k, "devices": []}
        expected["smmus"].append(entry)
        for j, slot in enumerate(slots):
            d = by_host["%04x:%02x:00.0" % (i, j + 1)]
            guest = "0000:%02x:00." % port_at[d["root_port"]][1]
            if slot is None:
                replace[d["id"]] = []
                continue
            opts = []
            for fn, kind in enumerate(slot["kinds"]):
                _, vendor, device, _, kdriver = KINDS[kind]
                bdf = guest + str(fn)
                prop = device_option(kind, "%s.f%d" % (d["id"], fn), d["root_port"], "0x0.%d" % fn)
                if len(slot["kinds"]) == 2 and fn == 0:
                    prop += ",multifunction=on"
                opts.append(prop)
                # An SR-IOV PF stays on its driver, as on a real host; its VFs go to vfio.
                vfio = not slot["own"] and not slot["vfs"] and slot["bind"] in (None, fn)
                mate = guest + str(1 - fn) if vfio and slot["bind"] is not None else None
                expected["devices"].append(expected_device(bdf, kind, vendor, device, kdriver, name, vfio,
                                                           slot["vfs"], mate))
                entry["devices"].append(bdf)
                if vfio:
                    job["BIND"].append(bdf)
                if slot["vfs"]:
                    job["VFS"].append("%s=%d" % (bdf, slot["vfs"]))
            replace[d["id"]] = opts
    replace["pcie0"] = [prop for prop, _ in SHARES]
    for _, bdf in SHARES:
        expected["devices"].append(expected_device(bdf, "virtio-9p", *VIRTIO_9P, "virtio-pci"))
    for n, kind in enumerate(pcie0):
        _, vendor, device, _, kdriver = KINDS[kind]
        slot = FIRST_PCIE0_SLOT + n
        replace["pcie0"].append(device_option(kind, "pcie0.%d" % n, "pcie.0", "0x%x" % slot))
        expected["devices"].append(expected_device("0000:00:%02x.0" % slot, kind, vendor, device, kdriver))

    args = run(plan_bin, "qemu-args", "--plan", plan_file, "--stand-ins").splitlines()
    outer = []
    for opt in args:
        m = re.fullmatch(r"virtio-rng-pci,id=([^,]+),.*", opt)
        if m:
            outer.pop()                      # its "-device"
            for prop in replace[m.group(1)]:
                outer += ["-device", prop]
        elif opt.startswith("arm-smmuv3,"):
            outer.append(opt + ",stage=nested")
        else:
            outer.append(opt)
    for prop in replace["pcie0"]:
        outer += ["-device", prop]

    # Two vfio-bound devices behind different SMMUs: swapped, they make the
    # mis-routed domain the hook must refuse.
    firsts = [next(b for b in s["devices"] if b in job["BIND"])
              for s in expected["smmus"] if any(b in job["BIND"] for b in s["devices"])]
    if len(firsts) < 2:
        sys.exit("live-host: %s: needs vfio-bound devices behind two SMMUs" % desc)
    expected["swap"] = firsts[:2]
    with open(os.path.join(out, "outer.args"), "w") as f:
        f.write("\n".join(outer) + "\n")
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
    with open(os.path.join(out, "job"), "w") as f:
        f.write('BIND="%s"\nVFS="%s"\nSWAP="%s"\n'
                % (" ".join(job["BIND"]), " ".join(job["VFS"]), " ".join(expected["swap"])))


if __name__ == "__main__":
    main()
