// Reads a host through a HostTree into an Inventory.
//
// Invariants of a successful probe:
//  - every SMMUv3 in sys/class/iommu is listed once, sorted by base;
//  - every device in sys/bus/pci/devices is listed once, sorted by BDF;
//  - a device's SMMU comes only from its `iommu` link, never from its domain;
//  - assignable <=> endpoint, behind an SMMUv3, vfio cdev present, and every
//    other endpoint of its IOMMU group vfio-bound too; otherwise `reason`
//    says which of these fails;
//  - the host IORT, when readable, routes every device to the SMMU sysfs
//    names (hostprobe/iort_check.h);
//  - every SMMU has caps or a reason why not (hostprobe/host_caps.h).
// A tree that is missing, unreadable or inconsistent (broken or looping
// links, a device vanishing while read) is an ErrorKind::HostTree, never a
// partial inventory.
#pragma once

#include <optional>
#include <set>
#include <string>

#include "common/result.h"
#include "hostprobe/host_tree.h"
#include "hostprobe/inventory.h"

namespace smmu {

Result<Inventory> probe_host(const HostTree& tree);

}  // namespace smmu

namespace smmu {

// The IOMMU instances the kernel registered: the entries of sys/class/iommu
// (none when it is missing).
Result<std::set<std::string>> iommu_names(const HostTree& tree);

// The IOMMU instance one host PCI device sits behind (its `iommu` link), or
// nullopt when it has none; an ErrorKind::Request when there is no such
// device. Reads only that device: the hook needs this in milliseconds. As in
// the probe, a link naming one of `iommus` (iommu_names) is taken at its
// word, and any other must resolve: a dangling one is a broken tree.
Result<std::optional<std::string>> device_iommu(const HostTree& tree, const Bdf& bdf,
                                                const std::set<std::string>& iommus);

}  // namespace smmu
