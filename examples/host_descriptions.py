"""Declarative descriptions of the example hosts written by make_hosts.py.

A Host is a list of IOMMUs and a list of PCIe root ports; each root port names
the IOMMU (by base address) that translates for it and everything below it.
Nothing here touches the filesystem: make_hosts.write_host() turns any Host
into a sysfs-like tree.
"""
from dataclasses import dataclass, field
from typing import Optional

K, M, G = 1 << 10, 1 << 20, 1 << 30
# BAR kinds, as the kernel's resource flags (include/linux/ioport.h + BAR bits).
P64 = 0x14220C   # 64-bit prefetchable memory
NP64 = 0x140204  # 64-bit non-prefetchable memory
NP32 = 0x040200  # 32-bit non-prefetchable memory

# PCI class codes.
GPU_3D, ETHERNET, NVME, ACCEL, BRIDGE = 0x030200, 0x020000, 0x010802, 0x120000, 0x060400
VFIO_DRIVERS = {"vfio-pci", "nvgrace_gpu_vfio_pci", "mlx5_vfio_pci"}


@dataclass
class SrIov:
    total: int                      # sriov_totalvfs
    ids: str                        # VF "vendor:device"
    bars: list                      # per-VF BARs: [(index, size, kind)]
    drivers: list                   # one entry per enabled VF (None: unbound)
    no_cdev: tuple = ()             # 1-based VF numbers whose /dev/vfio node is missing


@dataclass
class Dev:
    bdf: str
    ids: str                        # "vendor:device", hex
    cls: int
    driver: Optional[str] = None    # None: no driver bound
    bars: list = field(default_factory=list)  # [(index, size, kind)]
    group: Optional[str] = None     # devices sharing a tag share one iommu group
    numa: Optional[int] = None      # None: the node of its IOMMU (-1 if unknown)
    no_cdev: bool = False           # vfio-bound but /dev/vfio/devices/vfioK missing
    sriov: Optional[SrIov] = None   # PF: VFs are created as siblings


@dataclass
class Port:
    bdf: str                        # root port; its host bridge is pci<DDDD>:<BB>
    smmu: Optional[int]             # IOMMU base address; None: no IOMMU at all
    devs: list = field(default_factory=list)
    ids: str = "10de:22b2"


@dataclass
class HwInfo:
    """What IOMMU_GET_HW_INFO answers through a vfio device behind an SMMUv3,
    as the fields smmu-plan reads; make_hosts.py encodes the ID registers."""
    arch_minor: int = 2             # AIDR: SMMUv3.<arch_minor>
    nesting: bool = True            # IDR0 S1P and S2P
    ats: bool = True                # IDR0 ATS
    ril: bool = True                # IDR3 RIL
    sidsize: int = 16               # IDR1 SIDSIZE (StreamID bits)
    ssidsize: int = 16              # IDR1 SSIDSIZE (SubstreamID/PASID bits)
    oas_bits: int = 48              # IDR5 OAS
    cmdqv: Optional[tuple] = None   # Tegra241 CMDQV (version, log2vcmdqs, log2vsids)


@dataclass
class Smmu:
    base: int
    numa: Optional[int] = 0         # None: unknown (no numa_node file)
    v2: bool = False                # SMMUv2 (arm-smmu, "smmu.0x...") instead of v3
    platform: list = field(default_factory=list)  # non-PCI devices behind it
    caps: Optional[HwInfo] = None   # what its vfio devices' cdevs answer (v3 only)


@dataclass
class Host:
    name: str
    smmus: list
    ports: list
    first_index: int = 5            # N of the first arm-smmu[-v3].N.auto; must not matter
    iort_oem: Optional[tuple] = ("SMPLAN", "EXAMPLE ")  # (OEM id, table id); None: no IORT
    iort_misroute: Optional[int] = None    # broken: this segment's IORT range goes to another SMMU
    caps_unavailable: Optional[str] = None  # every recorded hw_info answer says this instead


# --- building blocks -------------------------------------------------------

CX7, CX7_VF = "15b3:1021", "15b3:101e"
CX7_BARS = [(0, 32 * M, P64)]
CX7_VF_BARS = [(0, 2 * M, P64)]
NVME_BARS = [(0, 16 * K, NP64)]

# Grace (TH500): SMMUv3.2 with both stages, ATS, RIL, 16-bit StreamIDs and
# SubstreamIDs, 48-bit OAS, and NVIDIA's Tegra241 CMDQ-V (128 VCMDQs).
GRACE_CAPS = HwInfo(arch_minor=2, ats=True, ril=True, ssidsize=16, oas_bits=48, cmdqv=(1, 7, 4))
# Kunpeng 920 (HIP08): an SMMUv3.0, so no range invalidation; no ATS; no CMDQ-V.
KUNPENG_CAPS = HwInfo(arch_minor=0, ats=False, ril=False, ssidsize=16, oas_bits=48)

# Grace: SMMU base -> PCI controllers (segment = socket * 16 + controller).
# 0x11000000 translates only for platform (non-PCI) devices.
GRACE_SMMUS = {0x11000000: [], 0x12000000: [2, 3], 0x15000000: [6, 7],
               0x05000000: [8], 0x16000000: [9]}


def grace_socket(socket, devs):
    """SMMUs and root ports (one per segment) of one Grace socket.

    devs maps an absolute segment number to the devices below its root port.
    """
    smmus, ports = [], []
    for base, controllers in GRACE_SMMUS.items():
        base |= socket << 44
        plat = ["ARMHC97C:%02x" % socket] if not controllers else []
        smmus.append(Smmu(base, numa=socket, platform=plat, caps=GRACE_CAPS))
        for ctl in controllers:
            seg = socket * 16 + ctl
            ports.append(Port("%04x:00:00.0" % seg, base, devs.get(seg, [])))
    return smmus, ports


def grace_gpu(bdf, ids, bar2):
    return Dev(bdf, ids, GPU_3D, "nvgrace_gpu_vfio_pci",
               bars=[(0, 16 * M, NP64), (2, bar2, P64), (4, 32 * M, P64)])


# --- the example hosts -----------------------------------------------------

def grace_gh200():
    smmus, ports = grace_socket(0, {
        0x2: [Dev("0002:01:00.0", CX7, ETHERNET, "vfio-pci", CX7_BARS)],
        0x6: [Dev("0006:01:00.0", "144d:a80a", NVME, "nvme", NVME_BARS)],
        0x8: [Dev("0008:01:00.0", "15b3:a2dc", ETHERNET, "vfio-pci", CX7_BARS, group="bf3"),
              Dev("0008:01:00.1", "15b3:a2dc", ETHERNET, "mlx5_core", CX7_BARS, group="bf3")],
        0x9: [grace_gpu("0009:01:00.0", "10de:2342", 128 * G)],
    })
    return Host("grace-gh200", smmus, ports, first_index=5, iort_oem=("NVIDIA", "TH500   "))


def grace_2socket():
    smmus, ports = [], []
    for s in (0, 1):
        seg = s * 16
        sm, po = grace_socket(s, {
            seg + 2: [Dev("%04x:01:00.0" % (seg + 2), CX7, ETHERNET, "vfio-pci", CX7_BARS)],
            seg + 8: [grace_gpu("%04x:01:00.0" % (seg + 8), "10de:2941", 256 * G)],
            seg + 9: [grace_gpu("%04x:01:00.0" % (seg + 9), "10de:2941", 256 * G)],
        })
        smmus += sm
        ports += po
    return Host("grace-2socket", smmus, ports, first_index=19, iort_oem=("NVIDIA", "TH500   "))


def kunpeng920():
    hns3 = lambda bdf, drv: Dev(bdf, "19e5:a222", ETHERNET, drv,
                                [(0, 64 * K, P64), (2, 1 * M, P64)])
    nvme = lambda bdf, drv: Dev(bdf, "19e5:0123", NVME, drv, NVME_BARS)
    zip_ = lambda bdf: Dev(bdf, "19e5:a250", ACCEL, "hisi_zip", [(2, 4 * M, P64)])
    kp = lambda base, numa: Smmu(base, numa=numa, caps=KUNPENG_CAPS)
    return Host("kunpeng920", [
        kp(0x148000000, 0), kp(0x100000000, 0), kp(0x140000000, 0),
        kp(0x400148000000, 2), kp(0x400100000000, 2), kp(0x400140000000, 2),
    ], [
        Port("0000:00:00.0", 0x148000000, [nvme("0000:01:00.0", "nvme")], ids="19e5:a120"),
        Port("0000:74:00.0", 0x100000000, [zip_("0000:75:00.0")], ids="19e5:a121"),
        Port("0000:7c:00.0", 0x140000000, [
            hns3("0000:7d:00.0", "vfio-pci"), hns3("0000:7d:00.1", "vfio-pci"),
            hns3("0000:7d:00.2", "hns3"), hns3("0000:7d:00.3", "hns3")], ids="19e5:a121"),
        Port("0000:80:00.0", 0x400148000000, [nvme("0000:81:00.0", "vfio-pci")], ids="19e5:a120"),
        Port("0000:b4:00.0", 0x400100000000, [zip_("0000:b5:00.0")], ids="19e5:a121"),
        Port("0000:bc:00.0", 0x400140000000, [
            hns3("0000:bd:00.0", "vfio-pci"), hns3("0000:bd:00.1", "hns3")], ids="19e5:a121"),
    ], first_index=0, iort_oem=("HISI  ", "HIP08   "))


def sriov_vfs():
    smmus, ports = grace_socket(0, {
        0x2: [Dev("0002:01:00.0", CX7, ETHERNET, "mlx5_core", CX7_BARS, sriov=SrIov(
            16, CX7_VF, CX7_VF_BARS,
            ["vfio-pci"] * 5 + ["mlx5_vfio_pci", "mlx5_core", "vfio-pci"], no_cdev=(8,)))],
        0x6: [Dev("0006:01:00.0", CX7, ETHERNET, "mlx5_core", CX7_BARS, sriov=SrIov(
            8, CX7_VF, CX7_VF_BARS, ["vfio-pci"] * 4))],
    })
    return Host("sriov-vfs", smmus, ports, first_index=3)


def no_smmuv3():
    return Host("no-smmuv3", [Smmu(0x09050000, numa=None, v2=True)], [
        Port("0000:00:00.0", 0x09050000, ids="16c3:abcd", devs=[
            Dev("0000:01:00.0", "8086:1572", ETHERNET, "vfio-pci", numa=-1,
                bars=[(0, 8 * M, P64), (3, 32 * K, P64)])]),
        Port("0001:00:00.0", None, ids="16c3:abcd", devs=[
            Dev("0001:01:00.0", "144d:a808", NVME, "nvme", NVME_BARS, numa=-1)]),
    ], first_index=0, iort_oem=None)


EXAMPLES = [grace_gh200, grace_2socket, kunpeng920, sriov_vfs, no_smmuv3]


# --- broken hosts, for tests (written to tests/data/hosts/) ----------------

def iort_mismatch():
    """grace-gh200 whose firmware IORT routes segment 2 (the ConnectX-7) to
    the wrong SMMU: the probe must refuse the tree."""
    host = grace_gh200()
    host.name, host.iort_misroute = "iort-mismatch", 0x2
    return host


def caps_unavailable():
    """grace-gh200 saved by a user who could not open /dev/iommu."""
    host = grace_gh200()
    host.name = "caps-unavailable"
    host.caps_unavailable = "permission denied opening /dev/iommu (run as root)"
    return host


BROKEN = [iort_mismatch, caps_unavailable]


def large_host(sockets, vfs):
    """Synthetic benchmark host: Grace sockets, `vfs` vfio-bound VFs spread over
    one mlx5_core PF on the first segment of every SMMU that has PCI."""
    pf_segs = [s * 16 + ctls[0] for s in range(sockets)
               for ctls in GRACE_SMMUS.values() if ctls]
    devs = {}
    for i, seg in enumerate(pf_segs):
        n = vfs // len(pf_segs) + (i < vfs % len(pf_segs))
        devs[seg] = [Dev("%04x:01:00.0" % seg, CX7, ETHERNET, "mlx5_core", CX7_BARS,
                         sriov=SrIov(max(n, 1), CX7_VF, CX7_VF_BARS, ["vfio-pci"] * n))]
    smmus, ports = [], []
    for s in range(sockets):
        sm, po = grace_socket(s, devs)
        smmus += sm
        ports += po
    return Host("large", smmus, ports)
