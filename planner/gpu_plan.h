// GPUs in a plan: NVIDIA display and 3D controllers (vendor 0x10de, PCI base
// class 0x03). Beyond its place behind a vSMMU, such a device gets
//  - memory-less guest NUMA nodes for its memory, each with an
//    acpi-generic-initiator naming it: request.gpu.numa_nodes_per_gpu per
//    GPU (NVIDIA gives a Grace Hopper GPU 8), consecutive in plan order from
//    request.gpu.first_numa_node, by default right after the guest's own
//    nodes (1 + the NUMA map's highest guest node, or 1 without a map);
//  - a 64-bit prefetchable window kept on its root port (pref64-reserve):
//    its 64-bit prefetchable BARs summed, rounded up to a power of two.
// Other device ports get no reserve; spare hotplug ports get the request's
// hotplug_pref64_reserve (planner/planner.h). The plan then gets a high PCI
// MMIO window that holds every device's 64-bit BARs and every root port's
// reserve, spare ports' included (-machine highmem-mmio-size), see
// highmem_mmio_size_for and plan_high_mmio.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.h"
#include "hostprobe/inventory.h"
#include "planner/plan.h"
#include "planner/request.h"

namespace smmu {

bool is_gpu(uint16_t vendor, uint32_t class_code);

// A device's 64-bit prefetchable BARs summed (saturating): what a root
// port's pref64 window must hold for it.
uint64_t prefetchable64_bytes(const PciDevice& d);

// What the plan takes from the guest's high PCI MMIO window: per device,
// the larger of its 64-bit BARs summed and its root port's reserve; plus
// every spare root port's reserve (a device hotplugged there later).
uint64_t mmio64_need(const Inventory& inv, const Plan& plan);

// The spare root ports (no device behind them) that keep a reserve, and
// their reserves summed.
struct SpareReserves {
  unsigned ports = 0;
  uint64_t bytes = 0;
};
SpareReserves spare_reserves(const Plan& plan);
// " (1 TiB of it hotplug reserves on 2 spare root ports)", or "" for none.
std::string spare_reserves_text(const SpareReserves& spare);

// The smallest power of two at least twice `need` (headroom for window
// alignment and pcie.0's own devices); 0 when QEMU's default window
// (512 GiB) is already that large; none when no 64-bit power of two is.
std::optional<uint64_t> highmem_mmio_size_for(uint64_t need);

// Fills in the GPU parts of a plan make_plan laid out from `inv`: nodes and
// reserves. Errors: a first node not above the NUMA map's guest nodes
// (Request); nodes past QEMU's last, 127 (NoFit).
Status plan_gpus(const Inventory& inv, const PlanRequest& request, Plan& plan);

// Sets plan.highmem_mmio_size from mmio64_need, once every reserve is set.
// Error: more high MMIO than the guest can address (NoFit, with the numbers,
// the spare ports' share named).
Status plan_high_mmio(const Inventory& inv, Plan& plan);

}  // namespace smmu
