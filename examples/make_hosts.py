#!/usr/bin/env python3
"""Write sysfs-like host trees (sys/ and dev/) for `smmu-plan --root DIR`.

    python3 examples/make_hosts.py             # rewrite examples/hosts/<name>/
                                               # and tests/data/hosts/<broken>/
    python3 examples/make_hosts.py --large OUT [--sockets 4] [--vfs 2000]

Hosts are described in host_descriptions.py; write_host() turns any
description into a tree: sysfs, the /dev nodes (each vfio cdev a file
holding the recorded IOMMU_GET_HW_INFO answer, hw_info_record.py) and the
firmware IORT (host_iort.py). Every symlink is relative, so trees can be moved.
Output depends only on the description: same arguments, same tree.
"""
import argparse
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from typing import Optional

sys.dont_write_bytecode = True  # keep examples/ free of __pycache__
import host_descriptions as hd  # noqa: E402
import host_iort  # noqa: E402
import hw_info_record  # noqa: E402

MSI_REGION = "0x0000000008000000 0x00000000080fffff msi\n"
VFIO_DEV_MAJOR = 511
NUM_RESOURCES = 13   # BARs 0-5, ROM, 6 SR-IOV BARs: what `resource` prints
IOV_FIRST = 7        # resource index of SR-IOV BAR 0


@dataclass
class Fn:
    """One PCI function as it will be written."""
    bdf: str
    ids: str
    cls: int
    driver: Optional[str]
    numa: int
    dir: str
    group: Optional[tuple] = None           # key into the host's group table (if IOMMU)
    res: list = field(default_factory=lambda: [(0, 0, 0)] * NUM_RESOURCES)
    no_cdev: bool = False
    sriov: Optional[hd.SrIov] = None
    vfs: list = field(default_factory=list)  # PF: its VFs' BDFs
    physfn: Optional[str] = None             # VF: its PF's BDF


def put(path, text=""):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def link(path, target):
    parent = os.path.dirname(path)
    os.makedirs(parent, exist_ok=True)
    os.symlink(os.path.relpath(target, parent), path)


def split_bdf(bdf):
    """"dddd:bb:dd.f" -> (domain, requester id)."""
    dom, bus, devfn = bdf.split(":")
    dev, fn = devfn.split(".")
    return int(dom, 16), int(bus, 16) << 8 | int(dev, 16) << 3 | int(fn, 16)


def join_bdf(dom, rid):
    return "%04x:%02x:%02x.%x" % (dom, rid >> 8, rid >> 3 & 31, rid & 7)


class Mmio:
    """Hands out naturally aligned BAR addresses, 64-bit and 32-bit windows."""

    def __init__(self):
        self.next = {True: 0x0000600000000000, False: 0x40000000}

    def take(self, size, kind):
        wide = bool(kind & 0x100000)  # IORESOURCE_MEM_64
        start = -(-self.next[wide] // size) * size
        self.next[wide] = start + size
        return start


def pci_functions(port, smmu, sysd, mmio):
    """The root port and everything below it, VFs expanded, BARs placed."""
    def node_of(numa):
        if numa is not None:
            return numa
        return smmu.numa if smmu and smmu.numa is not None else -1

    dom, rid = split_bdf(port.bdf)
    port_dir = os.path.join(sysd, "devices", "pci%04x:%02x" % (dom, rid >> 8), port.bdf)
    fns = [Fn(port.bdf, port.ids, hd.BRIDGE, "pcieport", node_of(None), port_dir,
              group=("fn", port.bdf))]
    for d in port.devs:
        pf = Fn(d.bdf, d.ids, d.cls, d.driver, node_of(d.numa),
                os.path.join(port_dir, d.bdf), group=("tag", d.group) if d.group
                else ("fn", d.bdf), no_cdev=d.no_cdev, sriov=d.sriov)
        for idx, size, kind in d.bars:
            start = mmio.take(size, kind)
            pf.res[idx] = (start, start + size - 1, kind)
        fns.append(pf)
        if not d.sriov:
            continue
        iov = d.sriov
        if len(iov.drivers) > iov.total:
            raise ValueError("%s: more VFs than sriov_totalvfs" % d.bdf)
        vf_bars = []
        for idx, size, kind in iov.bars:
            start = mmio.take(size * iov.total, kind)
            pf.res[IOV_FIRST + idx] = (start, start + size * iov.total - 1, kind)
            vf_bars.append((idx, start, size, kind))
        pf_dom, pf_rid = split_bdf(d.bdf)
        for n, driver in enumerate(iov.drivers, 1):   # offset 1, stride 1
            if pf_rid + n > 0xFFFF:
                raise ValueError("too many VFs below %s" % d.bdf)
            bdf = join_bdf(pf_dom, pf_rid + n)
            vf = Fn(bdf, iov.ids, d.cls, driver, pf.numa, os.path.join(port_dir, bdf),
                    group=("fn", bdf), no_cdev=n in iov.no_cdev, physfn=d.bdf)
            for idx, start, size, kind in vf_bars:
                vf.res[idx] = (start + (n - 1) * size, start + n * size - 1, kind)
            pf.vfs.append(bdf)
            fns.append(vf)
    return fns


def write_host(host, root):
    """Write one host description as a tree under root (sys/ and dev/)."""
    sysd, devd = os.path.join(root, "sys"), os.path.join(root, "dev")
    S = lambda *p: os.path.join(sysd, *p)  # noqa: E731
    os.makedirs(S("bus", "pci", "devices"), exist_ok=True)
    os.makedirs(S("kernel", "iommu_groups"), exist_ok=True)

    # IOMMUs: the platform device, its iommu/<name>/ dir, and the class link.
    smmus, iommu_dir = {}, {}
    for n, s in enumerate(host.smmus, host.first_index):
        plat = S("devices", "platform", "%s.%d.auto" % ("arm-smmu" if s.v2 else "arm-smmu-v3", n))
        name = ("smmu.0x%016x" if s.v2 else "smmu3.0x%016x") % s.base
        smmus[s.base], iommu_dir[s.base] = s, os.path.join(plat, "iommu", name)
        os.makedirs(os.path.join(iommu_dir[s.base], "devices"))
        if s.numa is not None:
            put(os.path.join(plat, "numa_node"), "%d\n" % s.numa)
        link(S("class", "iommu", name), iommu_dir[s.base])
    if any(not s.v2 for s in host.smmus):
        put(os.path.join(devd, "iommu"))

    groups = {}  # key -> [number, dir, any member vfio-bound]

    def join_group(key, name, dev_dir, vfio):
        if key not in groups:
            groups[key] = [len(groups), S("kernel", "iommu_groups", str(len(groups))), False]
        g = groups[key]
        g[2] |= vfio
        link(os.path.join(g[1], "devices", name), dev_dir)
        link(os.path.join(dev_dir, "iommu_group"), g[1])

    # Platform (non-PCI) devices behind an IOMMU.
    for s in host.smmus:
        for name in s.platform:
            d = S("devices", "platform", name)
            link(os.path.join(d, "iommu"), iommu_dir[s.base])
            link(os.path.join(iommu_dir[s.base], "devices", name), d)
            link(S("bus", "platform", "devices", name), d)
            join_group(("platform", name), name, d, False)

    # PCI functions, port by port.
    mmio, vfio_k, seen = Mmio(), 0, set()
    for port in host.ports:
        smmu = smmus.get(port.smmu)
        if port.smmu is not None and smmu is None:
            raise ValueError("%s: no IOMMU at 0x%x" % (port.bdf, port.smmu))
        for fn in pci_functions(port, smmu, sysd, mmio):
            if fn.bdf in seen:
                raise ValueError("duplicate BDF " + fn.bdf)
            seen.add(fn.bdf)
            write_function(fn, S)
            d, vfio = fn.dir, fn.driver in hd.VFIO_DRIVERS
            if smmu:
                link(os.path.join(d, "iommu"), iommu_dir[smmu.base])
                link(os.path.join(iommu_dir[smmu.base], "devices", fn.bdf), d)
                join_group(fn.group, fn.bdf, d, vfio)
            if vfio:
                vd = os.path.join(d, "vfio-dev", "vfio%d" % vfio_k)
                put(os.path.join(vd, "dev"), "%d:%d\n" % (VFIO_DEV_MAJOR, vfio_k))
                link(S("class", "vfio-dev", "vfio%d" % vfio_k), vd)
                if not fn.no_cdev:
                    answer = ""  # behind no SMMUv3 (or none modelled): no recorded answer
                    if smmu and smmu.caps:
                        answer = hw_info_record.record(smmu.caps, host.caps_unavailable)
                    put(os.path.join(devd, "vfio", "devices", "vfio%d" % vfio_k), answer)
                vfio_k += 1

    for number, gdir, vfio in groups.values():
        put(os.path.join(gdir, "type"), "DMA\n" if vfio else "DMA-FQ\n")
        put(os.path.join(gdir, "reserved_regions"), MSI_REGION)
        if vfio:  # legacy group node; the cdevs above are what iommufd uses
            put(os.path.join(devd, "vfio", str(number)))
    if vfio_k:
        put(os.path.join(devd, "vfio", "vfio"))
    if host.iort_oem:
        iort = S("firmware", "acpi", "tables", "IORT")
        os.makedirs(os.path.dirname(iort), exist_ok=True)
        with open(iort, "wb") as f:
            f.write(host_iort.build(host))


def write_function(fn, S):
    """The function's own directory: attributes and its bus/driver links."""
    d = fn.dir
    os.makedirs(d)
    vendor, device = fn.ids.split(":")
    attrs = {
        "vendor": "0x" + vendor, "device": "0x" + device, "class": "0x%06x" % fn.cls,
        "numa_node": str(fn.numa), "driver_override": "(null)",
        "resource": "".join("0x%016x 0x%016x 0x%016x\n" % r for r in fn.res),
    }
    if fn.sriov:
        attrs.update(sriov_totalvfs=fn.sriov.total, sriov_numvfs=len(fn.vfs),
                     sriov_offset=1, sriov_stride=1,
                     sriov_vf_device="0x" + fn.sriov.ids.split(":")[1])
    for name, value in attrs.items():
        with open(os.path.join(d, name), "w") as f:
            f.write("%s\n" % value if name != "resource" else value)
    for i, vf in enumerate(fn.vfs):
        link(os.path.join(d, "virtfn%d" % i), os.path.join(os.path.dirname(d), vf))
    if fn.physfn:
        link(os.path.join(d, "physfn"), os.path.join(os.path.dirname(d), fn.physfn))
    link(os.path.join(d, "subsystem"), S("bus", "pci"))
    link(S("bus", "pci", "devices", fn.bdf), d)
    if fn.driver:
        link(os.path.join(d, "driver"), S("bus", "pci", "drivers", fn.driver))
        link(S("bus", "pci", "drivers", fn.driver, fn.bdf), d)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--large", metavar="OUT",
                    help="write a large synthetic Grace host to OUT (new or empty dir)")
    ap.add_argument("--sockets", type=int, help="--large: Grace sockets, 1-16 (default 4)")
    ap.add_argument("--vfs", type=int, help="--large: vfio-bound VFs in total (default 2000)")
    args = ap.parse_args()

    if args.large is None:
        if args.sockets is not None or args.vfs is not None:
            ap.error("--sockets and --vfs need --large")
        here = os.path.dirname(os.path.abspath(__file__))
        broken_dir = os.path.join(here, "..", "tests", "data", "hosts")
        for makers, hosts_dir in ((hd.EXAMPLES, os.path.join(here, "hosts")),
                                  (hd.BROKEN, broken_dir)):
            for make in makers:
                host = make()
                out = os.path.join(hosts_dir, host.name)
                shutil.rmtree(out, ignore_errors=True)
                write_host(host, out)
                print("wrote", os.path.relpath(out))
        return

    sockets = 4 if args.sockets is None else args.sockets
    vfs = 2000 if args.vfs is None else args.vfs
    if not 1 <= sockets <= 16 or vfs < 0:
        ap.error("need 1 <= --sockets <= 16 and --vfs >= 0")
    if os.path.lexists(args.large) and not os.path.isdir(args.large):
        ap.error("%s exists and is not a directory" % args.large)
    if os.path.isdir(args.large) and os.listdir(args.large):
        ap.error("refusing to write into non-empty directory %s" % args.large)
    t0 = time.monotonic()
    write_host(hd.large_host(sockets, vfs), args.large)
    print("wrote %s (%d sockets, %d VFs) in %.2fs"
          % (args.large, sockets, vfs, time.monotonic() - t0))


if __name__ == "__main__":
    main()
