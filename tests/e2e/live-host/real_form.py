"""What real-form.sh brought back from the live host guest (out/real/): the
plan's real form given to QEMU with KVM, checked (check.py calls check()).

- `qemu-args --qemu` asks the arm64 QEMU itself over QMP and prints the
  same form as without it (QEMU 11.1.3 has the shipped 11.1 lists).
- KVM runs in the host guest (its /dev/kvm, and the kernel says so).
- Everything but the vfio-pci devices starts, and QEMU's own device tree
  holds every planned device on its planned bus with every property value
  the plan gave it.
- Each vfio-pci device, alone and in the whole real form, is refused only
  where the host's SMMU must give a vIOMMU, and for the reason the host guest
  shows: its SMMU nests but has no stage-2 forced write-back, and its root
  complex has no CANWBS in the firmware IORT (docs/live-host.md, The real
  form in the host guest).
"""
import json
import re
import struct
from xml.etree import ElementTree

# QEMU's line for a vIOMMU the kernel would not give (QEMU 11.1,
# hw/arm/smmuv3-accel.c; Linux 7.2 returns EOPNOTSUPP, docs/iommufd.md).
REFUSAL = "vfio %s: Failed to set vIOMMU: IOMMU_VIOMMU_ALLOC failed: Operation not supported"
# Lines QEMU may add around it: the hint of the same failure, and a warning of
# the host guest's kernel (built without dma-buf; docs/live-host.md).
TOLERATED = (re.compile(r"Unable to alloc vIOMMU: hiodi devid 0x[0-9a-f]+: $"),
             re.compile(r"qemu-system-aarch64: -device .*vfio-pci.*: warning: VFIO dma-buf not "
                        r"supported in kernel, using mmap fallback, P2P DMA will not work$"))
# libvirt's own log lines below error level (virsh prints them on stderr).
LIBVIRT_NOTICE = re.compile(r"\d{4}-\d\d-\d\d [\d:.]+\+0000: \d+: (info|warning) : ")
IORT_RC, IORT_MF_CANWBS = 2, 1 << 2
KILLED = 137   # real-form.sh's timeout -s KILL
DEV_LINE = re.compile(r'^( *)dev: ([^,]+), id "([^"]*)"$')
BUS_LINE = re.compile(r"^( *)bus: (\S+)$")
PROP_LINE = re.compile(r"^( *)([\w.-]+) = (.*)$")


def split_device(value):
    """(driver, {prop: value}) of a -device value."""
    driver, *props = value.split(",")
    return driver, dict(p.split("=", 1) for p in props)


def device_options(args):
    """[(driver, {prop: value})] of every -device in a list of QEMU options."""
    return [split_device(value) for flag, value in zip(args, args[1:]) if flag == "-device"]


def host_of(vfio_option):
    """The host= of a vfio-pci -device value."""
    return split_device(vfio_option)[1].get("host")


def qtree(text):
    """{id: (driver, parent bus, {prop: value})} from `info qtree`."""
    devices, buses, current = {}, {}, None
    for line in text.splitlines():
        m = BUS_LINE.match(line)
        if m:
            buses[len(m.group(1))] = m.group(2)
            current = None
            continue
        m = DEV_LINE.match(line)
        if m:
            indent = len(m.group(1))
            current = (indent, {})
            devices[m.group(3)] = (m.group(2), buses.get(indent - 2), current[1])
            continue
        m = PROP_LINE.match(line)
        if m and current and len(m.group(1)) == current[0] + 2:
            current[1][m.group(2)] = m.group(3)
    return devices


def same_value(key, planned, held):
    """Whether QEMU holds (qtree's form) the value the plan gave (-device form)."""
    held = held.strip('"')
    if key == "addr":
        slot, _, fn = planned.partition(".")
        return held == "%02x.%d" % (int(slot, 16), int(fn or "0"))
    if held in ("true", "false"):
        return (planned in ("on", "true", "yes")) == (held == "true")
    if key.endswith("bus"):
        return held == planned or held.endswith("/" + planned)
    number = re.fullmatch(r"(-?\d+) \(0x[0-9a-f]+\)", held)
    if number:
        return int(planned, 0) == int(number.group(1))
    return held == planned


def canwbs_of_root_complexes(iort):
    """The CANWBS bit of every root complex node of an IORT (DEN 0049E.d)."""
    count, offset = struct.unpack_from("<II", iort, 36)
    flags = []
    for _ in range(count):
        kind, length = struct.unpack_from("<BH", iort, offset)
        if kind == IORT_RC:
            flags.append(bool(iort[offset + 23] & IORT_MF_CANWBS))   # memory access flags
        offset += length
    return flags


def check(checker, caps):
    """Adds the differences to checker; returns the verdict's words."""
    real = lambda name: checker.text("real/" + name)   # noqa: E731
    notes = real("notes")
    if notes:
        checker.fail("real form: %s" % notes.strip())
        return None
    # --qemu asked this QEMU over QMP on this kernel: 11.1.3 answers the lists
    # shipped for 11.1, so its form is the one `qemu-args` prints untold.
    fitted = checker.command("real/qemu-args")
    if fitted is not None:
        if (real("qemu-args.err") or "").strip():
            checker.fail("real form: qemu-args --qemu said: %s" % real("qemu-args.err").strip().splitlines()[0])
        if fitted != checker.text("qemu-args.out"):
            checker.fail("real form: qemu-args --qemu (the arm64 QEMU asked over QMP) differs from qemu-args")
    kvm = real("kvm.txt") or ""
    if "/dev/kvm" not in kvm or "initialized successfully" not in kvm:
        checker.fail("real form: no KVM in the host guest: %s" % " / ".join(kvm.splitlines()[:3]))
    topology = (real("topology.args") or "").splitlines()
    vfio = (real("vfio.list") or "").splitlines()
    if not vfio:
        checker.fail("real form: no vfio-pci device in the plan's real form")
    version = re.search(r"QEMU (\S+) monitor", real("topology.out") or "")
    if checker.command("real/topology") is not None:
        held = qtree(real("topology.out"))
        for driver, props in device_options(topology):
            got = held.get(props.get("id"))
            if not got or got[0] != driver:
                checker.fail("real form: QEMU has no %s %s" % (driver, props.get("id")))
                continue
            for key, value in props.items():
                if key == "id":
                    continue
                have = got[1] if key == "bus" else got[2].get(key)
                if have is None or not same_value(key, value, have):
                    checker.fail("real form: %s %s=%s, QEMU holds %s" % (props["id"], key, value, have))
    for n, dev in enumerate(vfio):
        refused(checker, "dev-%d" % n, dev)
    if vfio:
        refused(checker, "full", vfio[0])
        refused_through_libvirt(checker)
    # Why the kernel refuses (docs/iommufd.md, When the kernel gives a vIOMMU).
    if not caps or not all(c["nesting"] for c in caps):
        checker.fail("real form: host SMMU caps %s: without nesting the refusal is not the one expected" % caps)
    try:
        canwbs = canwbs_of_root_complexes(checker.text("firmware-iort.bin", "rb") or bytes(48))
    except struct.error:
        canwbs = []
    if not canwbs or any(canwbs):
        checker.fail("real form: root complexes' CANWBS %s, expected none" % canwbs)
    return "QEMU %s with KVM holds the topology as planned; %d vfio-pci devices, and libvirt's start, " \
           "each stop only at IOMMU_VIOMMU_ALLOC (no S2FWB, no CANWBS)" % (
               version.group(1) if version else "?", len(vfio))


def refused_through_libvirt(checker):
    """libvirt defined the real-form domain, and starting it stopped where
    QEMU alone stops: at the vIOMMU of the first host device. libvirt hands
    QEMU the vfio cdev as a descriptor, so QEMU names the device by its id
    (the hostdev's alias), not its host address (real form run)."""
    real = lambda name: checker.text("real/" + name) or ""   # noqa: E731
    try:
        domain = ElementTree.fromstring(real("libvirt-domain.xml"))
        alias = domain.find("devices/hostdev/alias").get("name")
    except (ElementTree.ParseError, AttributeError) as e:
        checker.fail("real form: libvirt-xml wrote no domain with a hostdev (%s): %s"
                     % (e, real("libvirt-xml.err").strip()))
        return
    out, err, rc = real("libvirt.out"), real("libvirt.err"), real("libvirt.rc").strip()
    if rc == str(KILLED):
        checker.fail("real form: timeout: virsh did not finish within 600 s (not a refusal)")
        return
    if "Domain 'real-form' defined" not in out:
        checker.fail("real form: libvirt did not define the domain: %s" % (err.strip().splitlines() or ["?"])[-1])
        return
    if rc == "0":
        checker.fail("real form: libvirt started the domain: the kernel gave a vIOMMU, so the inner "
                     "guest must now be booted and verified")
        return
    # libvirt gave QEMU every vSMMU as qemu-args does (its ids prefixed).
    given = {}
    for m in re.finditer(r"^-device '(\{.*\})' \\$", real("libvirt-qemu.log"), re.M):
        dev = json.loads(m.group(1))
        if dev.get("driver") == "arm-smmuv3":
            given[dev["id"]] = dev
    for driver, props in device_options((real("topology.args")).splitlines()):
        if driver != "arm-smmuv3":
            continue
        dev = given.get("ua-smmuplan-" + props["id"], {})
        for key, value in props.items():
            have = dev.get(key)
            have = {True: "true", False: "false"}.get(have, have)
            if key not in ("id", "primary-bus") and (have is None or not same_value(key, value, str(have))):
                checker.fail("real form: libvirt gave QEMU %s %s=%s, qemu-args %s"
                             % (props["id"], key, have, value))
    want = REFUSAL % alias
    # virsh: "error: Failed to start domain", then libvirt's error with what
    # QEMU printed, one line each, QEMU's lines time-stamped.
    lines = [re.sub(r"^\d{4}-\d\d-\d\dT[\d:.]+Z ", "", re.sub(
        r"^error: internal error: QEMU unexpectedly closed the monitor \(vm='real-form'\): ", "", l))
        for l in err.splitlines() if l.strip()]
    if not any(want in l for l in lines):
        checker.fail("real form: libvirt's start did not stop at the vIOMMU of %s: %s" % (alias, lines[-2:]))
    for line in lines:
        if want not in line and line != "error: Failed to start domain 'real-form'" and \
                not any(t.match(line) for t in TOLERATED + (LIBVIRT_NOTICE,)):
            checker.fail("real form: libvirt or QEMU also said: %s" % line)


def refused(checker, name, dev):
    """NAME (QEMU with DEV) must stop at DEV's vIOMMU and nowhere else."""
    rc = checker.text("real/%s.rc" % name)
    err = checker.text("real/%s.err" % name) or ""
    host = host_of(dev)
    if rc is None:
        checker.fail("real form: %s did not run" % name)
        return
    if int(rc) == KILLED:
        checker.fail("real form: %s: timeout: QEMU did not finish within 300 s (not a refusal)" % name)
        return
    if int(rc) == 0:
        checker.fail("real form: %s: QEMU started with %s: the kernel gave a vIOMMU, so the inner "
                     "guest must now be booted and verified" % (name, host))
        return
    want = "qemu-system-aarch64: -device %s: %s" % (dev, REFUSAL % host)
    lines = [l for l in err.splitlines() if l.strip()]
    if want not in lines:
        checker.fail("real form: %s: not refused at the vIOMMU of %s: %s" % (name, host, lines[:2]))
    for line in lines:
        if line != want and not any(t.match(line) for t in TOLERATED):
            checker.fail("real form: %s: QEMU also said: %s" % (name, line))
