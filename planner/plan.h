// A plan: the guest topology that gives each physical SMMUv3 with requested
// devices its own vSMMU, pxb-pcie expander and root ports.
//
// Guest bus rule (what firmware does, docs/qemu.md, Guest layout): a pxb with
// bus_nr B and R root ports owns buses B..B+R; its root ports, taken in
// (slot, function) order, get secondary buses B+1, B+2, ... (an empty port
// too), and the device behind a port with secondary bus S is 0000:S:00.0.
//
// Each fact is stored once. A device names its root port (DevicePlan::
// root_port) and nothing else of its place: its vSMMU, its guest BDF and
// whether a port is spare follow from that link (Plan::port_of, vsmmu_of,
// guest_bdf, device_on), a port's chassis from its bus.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/bdf.h"
#include "common/bus_range.h"

namespace smmu {

struct RootPortPlan {
  std::string id;               // QEMU id, "pxb0.rp1"
  uint8_t slot = 0;             // address on the pxb's bus
  uint8_t function = 0;
  uint8_t bus = 0;              // secondary bus firmware gives it
  // Bytes of 64-bit prefetchable window firmware keeps for it (QEMU's
  // pref64-reserve): a GPU's (planner/gpu_plan.h) or, on a spare port, the
  // request's hotplug_pref64_reserve (planner/planner.h); 0: none asked.
  uint64_t pref64_reserve = 0;

  // QEMU refuses two root ports with the same chassis and slot (docs/qemu.md,
  // pxb-pcie and pcie-root-port), and no port is given a slot property, so
  // each needs a chassis of its own. Its secondary bus is one: unique in the
  // guest's one PCI domain and never 0 (pxb ranges lie above pcie.0's and do
  // not overlap, check_plan).
  uint8_t chassis() const { return bus; }
  // Where the guest sees a device behind it: 0000:<bus>:00.0 (the bus rule above).
  Bdf guest_bdf() const { return Bdf{0, bus, 0, 0}; }
};

struct PxbPlan {
  std::string id;                 // QEMU id and bus name, "pxb0"
  uint8_t bus_nr = 0;
  uint8_t addr = 0;               // slot on pcie.0
  std::optional<int> numa_node;   // guest node; none unless a NUMA map is given
};

// What the vSMMU is told to be: arm-smmuv3,accel=on's ats, ril, ssidsize, oas
// and cmdqv, from its host SMMU's caps (planner/vsmmu_caps.h).
struct VsmmuCaps {
  bool ats = false;
  bool ril = false;
  unsigned ssidsize = 0;  // SubstreamID bits, 0..20
  unsigned oas = 44;      // output address bits: 44 or 48, what QEMU offers
  bool cmdqv = false;     // NVIDIA Tegra241 CMDQ-Virtualization
  bool operator==(const VsmmuCaps&) const = default;
};

struct DevicePlan;

struct VsmmuPlan {
  std::string id;                 // QEMU id, "vsmmu0"
  std::string host_smmu;          // "smmu3.0x0000000016000000"
  int host_numa_node = -1;
  PxbPlan pxb;
  std::vector<RootPortPlan> root_ports;
  std::optional<VsmmuCaps> caps;  // none: unknown (--no-host-caps), QEMU resolves `auto`

  // Whether `d` sits behind one of its root ports.
  bool holds(const DevicePlan& d) const;

  // The buses its pxb owns (the bus rule above).
  BusRange buses() const {
    return {pxb.bus_nr, static_cast<uint8_t>(pxb.bus_nr + root_ports.size())};
  }
};

struct DevicePlan {
  std::string id;         // QEMU id, "dev0"
  Bdf host_bdf;
  std::string root_port;  // RootPortPlan::id: where it sits, stored only here
  uint16_t vendor = 0, device = 0;
  uint32_t class_code = 0;
  // A GPU's memory-less guest NUMA nodes, each with an acpi-generic-initiator
  // naming this device (planner/gpu_plan.h); empty for other devices.
  std::vector<int> gpu_numa_nodes;
};

struct Plan {
  static constexpr int kVersion = 3;  // 2: vSMMU caps; 3: each fact once
  unsigned pcie0_buses = 0;        // buses 1..N kept for pcie.0's own root ports
  std::vector<VsmmuPlan> vsmmus;   // creation order = ascending bus_nr
  std::vector<DevicePlan> devices; // in vsmmu order, then port order
  // -machine highmem-mmio-size in bytes, a power of two; 0: QEMU's default
  // (512 GiB) holds every 64-bit BAR and reserve (planner/gpu_plan.h).
  uint64_t highmem_mmio_size = 0;

  // A device's root port, the vSMMU holding it and the guest BDF it gives,
  // all followed from DevicePlan::root_port. check_plan holds every device
  // to a root port of its plan, and every plan past make_plan or the plan
  // file reader passed it (ARCHITECTURE.md); a device naming none is a
  // programming error and throws std::out_of_range, as .at() does.
  const RootPortPlan& port_of(const DevicePlan& d) const;
  RootPortPlan& port_of(const DevicePlan& d);
  const VsmmuPlan& vsmmu_of(const DevicePlan& d) const;
  Bdf guest_bdf(const DevicePlan& d) const { return port_of(d).guest_bdf(); }
  // The device behind `port`; nullptr for a spare hotplug port.
  const DevicePlan* device_on(const RootPortPlan& port) const;
};

// f(vsmmu, port) for each spare root port (no device behind it), in plan order.
template <typename F>
void for_each_spare_port(const Plan& plan, F&& f) {
  for (const auto& v : plan.vsmmus) {
    for (const auto& rp : v.root_ports) {
      if (!plan.device_on(rp)) f(v, rp);
    }
  }
}

}  // namespace smmu
