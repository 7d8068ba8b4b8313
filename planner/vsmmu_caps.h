// A host SMMU's caps -> the properties of the accelerated vSMMU in front of
// it. QEMU (hw/arm/smmuv3-accel.c) refuses a vSMMU that promises more than
// its host SMMU: RIL or SSIDSIZE or OAS beyond the host's.
//
//  - nesting (S1P and S2P) is required: iommufd has no vIOMMU without it;
//  - ats, ril, cmdqv: as the host has them;
//  - ssidsize: the host's, at most 20 (QEMU's limit, the architecture's too);
//  - oas: QEMU offers 44 or 48 bits. A 48-bit or wider host (52) gets 48, the
//    most QEMU can give (the guest's IPA space is then 256 TiB); a 44-bit host
//    gets 44; a host below 44 bits (40, 42) cannot carry an accelerated vSMMU
//    at all, since 44 would exceed it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "hostprobe/inventory.h"
#include "planner/plan.h"

namespace smmu {

// Unavailable caps: an ErrorKind::HostTree saying why and what to do, or,
// with `caps_optional` (--no-host-caps), nullopt. No nesting or too few
// address bits: an ErrorKind::NoFit.
Result<std::optional<VsmmuCaps>> vsmmu_caps(const HostSmmu& host, bool caps_optional);

// The caps as arm-smmuv3 properties, in QEMU's spelling and this order: ats,
// ril, ssidsize, oas, cmdqv ("on"/"off" or a number). The emitters' and
// hotplug's one spelling of them.
struct CapsProp {
  const char* name;
  std::string value;
};
std::vector<CapsProp> caps_props(const VsmmuCaps& caps);

}  // namespace smmu
