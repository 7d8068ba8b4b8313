// The host firmware's IORT against sysfs: for every PCI device sysfs puts
// behind an SMMUv3, the SMMU its requester ID reaches through the IORT (the
// first root complex node of its segment, then the ID mapping holding
// bus << 8 | devfn) must be that SMMU (same MMIO base). Decoded with the
// parser verify uses for guest tables (acpi/iort_table.h).
#pragma once

#include <string>

#include "common/result.h"
#include "hostprobe/host_tree.h"
#include "hostprobe/inventory.h"

namespace smmu {

constexpr const char* kHostIortPath = "sys/firmware/acpi/tables/IORT";

// A one-line note saying what was checked, or why nothing was: no IORT (a
// device-tree host) or an unreadable one (root-only on real hosts) is skipped.
// A disagreement, or a malformed table, is an ErrorKind::HostTree naming the
// device, the IORT's SMMU and the sysfs one.
Result<std::string> check_host_iort(const HostTree& tree, const Inventory& inv);

}  // namespace smmu
