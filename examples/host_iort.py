"""The host firmware's ACPI IORT for a host description: an ITS group, one
SMMUv3 node per SMMUv3, one root complex node per PCI segment whose RID
ranges (a host bridge's root bus up to the next one's) go to the SMMU of
that bridge's root port, or to the ITS when it has none.

Layout: "IO Remapping Table", ARM DEN 0049E.d (table revision 5), the
layout smmu-plan's decoder (acpi/iort_layout.h) reads. Made-up firmware:
good enough to cross-check against sysfs, not a copy of any vendor's table.
"""
import struct

ITS, RC, SMMUV3 = 0, 2, 4
HEADER = 48
NODE_HEADER = "<BHBIII"          # type, length, revision, identifier, mappings, mapping offset
ID_MAPPING = "<IIIII"            # input base, count - 1, output base, output ref, flags
SMMUV3_BODY = "<QIIQIIIIIII"     # base, flags, reserved, VATOS, model, 4 GSIVs, PXM, DeviceID index
RC_BODY = "<IBHBIIBHB"           # CCA, AH, reserved, MAF, ATS, segment, address limit, PASID, flags
SMMU_COHACC, SMMU_PXM_VALID = 1, 1 << 3


def _split(bdf):
    dom, bus, _ = bdf.split(":")
    return int(dom, 16), int(bus, 16)


def segments(host):
    """segment -> [(first RID, last RID, SMMU base or None)], by RID."""
    roots = {}
    for port in host.ports:
        seg, bus = _split(port.bdf)
        roots.setdefault(seg, []).append((bus, port.smmu))
    out = {}
    for seg, buses in sorted(roots.items()):
        buses.sort()
        out[seg] = [(bus << 8, (buses[i + 1][0] << 8) - 1 if i + 1 < len(buses) else 0xFFFF, smmu)
                    for i, (bus, smmu) in enumerate(buses)]
    return out


def build(host):
    """The table's bytes."""
    v3 = [s for s in host.smmus if not s.v2]
    its_at = HEADER
    body = bytearray(struct.pack(NODE_HEADER, ITS, 24, 1, 0, 0, 0) + struct.pack("<II", 1, 0))
    smmu_at, gsiv = {}, 0x100
    for ident, s in enumerate(v3, 1):
        smmu_at[s.base] = HEADER + len(body)
        length = struct.calcsize(NODE_HEADER) + struct.calcsize(SMMUV3_BODY) + 20
        pxm = s.numa if s.numa is not None else 0
        flags = SMMU_COHACC | (SMMU_PXM_VALID if s.numa is not None else 0)
        body += struct.pack(NODE_HEADER, SMMUV3, length, 4, ident, 1, length - 20)
        body += struct.pack(SMMUV3_BODY, s.base, flags, 0, 0, 0, gsiv, gsiv + 1, gsiv + 3, gsiv + 2,
                            pxm, 0)
        body += struct.pack(ID_MAPPING, 0, 0xFFFF, 0, its_at, 0)  # StreamIDs -> ITS (MSIs)
        gsiv += 4
    ident = len(v3) + 1
    for seg, ranges in segments(host).items():
        length = struct.calcsize(NODE_HEADER) + struct.calcsize(RC_BODY) + 20 * len(ranges)
        ats = any(s.caps and s.caps.ats for s in v3)
        body += struct.pack(NODE_HEADER, RC, length, 3, ident, len(ranges), length - 20 * len(ranges))
        body += struct.pack(RC_BODY, 1, 0, 0, 3, int(ats), seg, 64, 0, 0)
        for first, last, smmu in ranges:
            if seg == host.iort_misroute and smmu is not None:
                smmu = next(s.base for s in v3 if s.base != smmu)  # the broken fixture's lie
            target = smmu_at.get(smmu, its_at)
            body += struct.pack(ID_MAPPING, first, last - first, first, target, 0)
        ident += 1
    oem_id, table_id = host.iort_oem
    length = HEADER + len(body)
    nodes = 1 + len(v3) + len(segments(host))
    head = struct.pack("<4sIBB6s8sI4sIIII", b"IORT", length, 5, 0, oem_id.encode(),
                       table_id.encode(), 1, b"SMPL", 1, nodes, HEADER, 0)
    table = bytearray(head) + body
    table[9] = (-sum(table)) & 0xFF
    return bytes(table)
