"""The recorded IOMMU_GET_HW_INFO answer a saved host keeps at
dev/vfio/devices/vfioN (format: hostprobe/hw_info_text.h in smmu-plan).

The ID registers are encoded from the few fields a HwInfo names, the rest
set as an SMMUv3 of that revision plausibly has them (Arm IHI 0070,
SMMU_IDR0..5, SMMU_AIDR). IIDR is not modelled (0).
"""

OAS_FIELD = {32: 0, 36: 1, 40: 2, 42: 3, 44: 4, 48: 5, 52: 6}


def idr_registers(c):
    """HwInfo -> [IDR0..IDR5]."""
    stages = 0b11 if c.nesting else 0b10                 # S1P b1, S2P b0
    idr0 = (stages | 2 << 2 | 1 << 4 | 1 << 5 | 2 << 6   # TTF=AArch64, COHACC, BTM, HTTU
            | 1 << 8 | 1 << 9 | int(c.ats) << 10         # DORMHINT, HYP, ATS
            | 1 << 12 | 1 << 13 | 1 << 14                # ASID16, MSI, SEV
            | 1 << 16 | 1 << 17 | 1 << 18 | 1 << 19      # PRI, VMW, VMID16, CD2L
            | 2 << 21 | 1 << 26 | 1 << 27)               # TTENDIAN=LE, TERM_MODEL, ST_LEVEL=2-level
    idr1 = c.sidsize | c.ssidsize << 6 | 19 << 11 | 19 << 16 | 19 << 21  # PRIQS, EVENTQS, CMDQS
    idr3 = 1 << 2 | 1 << 4 | 1 << 5                      # HAD, XNX, PPS
    if c.arch_minor >= 2:
        idr3 |= 1 << 8 | 1 << 9 | 2 << 11                # FWB, STT, BBML2
    idr3 |= int(c.ril) << 10
    idr5 = OAS_FIELD[c.oas_bits] | 0b111 << 4 | 1 << 10  # 4K, 16K, 64K granules; VAX 52-bit
    return [idr0, idr1, 0, idr3, 0, idr5]


def record(caps, unavailable=None):
    """The file's text: registers, or the reason there are none."""
    head = "# IOMMU_GET_HW_INFO answer (hostprobe/hw_info_text.h), written by make_hosts.py\n"
    if unavailable:
        return head + "unavailable %s\n" % unavailable
    lines = ["type 2",
             "idr " + " ".join("0x%08x" % r for r in idr_registers(caps)),
             "iidr 0x00000000",
             "aidr 0x%08x" % caps.arch_minor]
    if caps.cmdqv:
        lines.append("cmdqv %d %d %d" % caps.cmdqv)
    return head + "\n".join(lines) + "\n"
