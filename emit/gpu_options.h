// The QEMU options of a plan's GPU parts (planner/gpu_plan.h), for both
// emitters: qemu_args puts them on the command line, the libvirt XML in
// libvirt's QEMU namespace (libvirt 12.8 has no element for any of them).
//  - `-machine highmem-mmio-size=<size>`: repeated -machine options merge
//    into the machine the operator gives;
//  - per GPU NUMA node K, `-numa node,nodeid=K` (memory-less) and
//    `-object acpi-generic-initiator,id=<prefix>gi<K>,pci-dev=<GPU>,node=K`.
//    QEMU looks pci-dev up only when it builds the SRAT, so the object may
//    come before or after the -device; nodes 0..K-1 must exist too (QEMU
//    refuses gaps: "numa: Node ID missing");
//  - `pref64-reserve=<size>` on the GPU's pcie-root-port.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "planner/plan.h"

namespace smmu {

// "highmem-mmio-size=1T"; none when the plan keeps QEMU's default.
std::optional<std::string> highmem_machine_option(const Plan& plan);

// The -numa and -object options (argv elements) of device `d`'s GPU nodes,
// `pci_dev` being the device's id as QEMU knows it; empty for other devices.
std::vector<std::string> gpu_numa_args(const DevicePlan& d, const std::string& pci_dev,
                                       const std::string& id_prefix);

}  // namespace smmu
