#include "planner/planner.h"

#include <algorithm>
#include <map>

#include "common/byte_size.h"
#include "common/hex.h"
#include "planner/device_selection.h"
#include "planner/gpu_plan.h"
#include "planner/limits.h"
#include "planner/numa_map.h"
#include "planner/plan_check.h"
#include "planner/vsmmu_caps.h"

namespace smmu {
namespace {

Status check_fits(const std::map<size_t, std::vector<const PciDevice*>>& by_smmu,
                  const PlanRequest& request) {
  if (by_smmu.size() > limits::kMaxVsmmus) {
    size_t hotplug_only = 0;
    for (const auto& [smmu, devices] : by_smmu) hotplug_only += devices.empty();
    std::string why = hotplug_only == 0
                          ? "the devices sit behind " + std::to_string(by_smmu.size()) + " host SMMUs"
                          : "the devices sit behind " + std::to_string(by_smmu.size() - hotplug_only) +
                                " host SMMUs and " + std::to_string(hotplug_only) +
                                (hotplug_only == 1 ? " more is" : " more are") + " reserved for hotplug";
    return make_error(ErrorKind::NoFit,
                      why + ": " + std::to_string(by_smmu.size()) + " vSMMUs, but QEMU's virt machine takes at most " +
                          std::to_string(limits::kMaxVsmmus) +
                          " (64 platform interrupts, 4 each); split the devices over several VMs");
  }
  if (request.pcie0_buses >= limits::kLastBus) {
    return make_error(ErrorKind::Usage, "--pcie0-buses must be below 255");
  }
  // Every pxb takes its own bus and one per root port; the count of buses
  // missing is what to change.
  unsigned needed = 0;
  for (const auto& [smmu, devices] : by_smmu) needed += 1 + static_cast<unsigned>(devices.size()) + request.hotplug_ports;
  unsigned available = limits::kLastBus - request.pcie0_buses;
  if (needed > available) {
    unsigned missing = needed - available;
    return make_error(
        ErrorKind::NoFit,
        "the pxbs need " + std::to_string(needed) + " buses but only " + std::to_string(available) +
            (available == 1 ? " is" : " are") + " free above pcie.0's 0x00-" + hex(request.pcie0_buses, 2) +
            ": " + std::to_string(missing) + (missing == 1 ? " bus" : " buses") +
            " missing; request fewer devices or hotplug ports, or lower --pcie0-buses");
  }
  // Hence no pxb has more than 254 root ports (fewer than the 32 slots x 8
  // functions lay_out_vsmmu can address): its own bus and one per port
  // come out of the 255 above bus 0.
  return Ok{};
}

// The 64-bit prefetchable window each spare root port keeps for a device
// hotplugged later (docs/qemu.md, GPU options: why a spare port needs one):
// the request's, rounded up to a power of two as firmware rounds a
// pref64-reserve; 0: none asked.
Result<uint64_t> spare_port_reserve(const PlanRequest& request) {
  if (!request.hotplug_pref64_reserve) return uint64_t{0};
  uint64_t size = *request.hotplug_pref64_reserve;
  if (request.hotplug_ports == 0) {
    return make_error(ErrorKind::Request,
                      "a hotplug pref64 reserve is kept on spare root ports, and there are none: give "
                      "--hotplug-ports N (at least 1)");
  }
  if (size == 0) {
    return make_error(ErrorKind::Request,
                      "a hotplug pref64 reserve of 0 bytes keeps nothing: give a size such as 512G, or "
                      "none for ports that take devices with small BARs only");
  }
  if (size > limits::kMaxHighmemMmioSize) {
    return make_error(ErrorKind::Request,
                      "a hotplug pref64 reserve of " + human_size(size) + " is larger than the largest high "
                      "MMIO window, " + human_size(limits::kMaxHighmemMmioSize) +
                          " (a 48-bit guest address space): give less");
  }
  return *pow2_ceil(size);
}

// Its first `device_ports` root ports are for the devices (make_plan puts
// them there), the rest spare, keeping `spare_reserve`.
VsmmuPlan lay_out_vsmmu(size_t index, const HostSmmu& smmu, size_t device_ports, unsigned hotplug_ports,
                        uint64_t spare_reserve, unsigned bus_nr) {
  VsmmuPlan v;
  std::string k = std::to_string(index);
  v.id = "vsmmu" + k;
  v.host_smmu = smmu.name;
  v.host_numa_node = smmu.numa_node;
  v.pxb.id = "pxb" + k;
  v.pxb.bus_nr = static_cast<uint8_t>(bus_nr);
  v.pxb.addr = static_cast<uint8_t>(limits::kFirstPxbSlot - index);
  size_t ports = device_ports + hotplug_ports;
  bool multifunction = ports > limits::kSlotsPerBus;
  for (size_t j = 0; j < ports; ++j) {
    RootPortPlan rp;
    rp.id = v.pxb.id + ".rp" + std::to_string(j);
    rp.slot = static_cast<uint8_t>(multifunction ? j / limits::kFunctionsPerSlot : j);
    rp.function = static_cast<uint8_t>(multifunction ? j % limits::kFunctionsPerSlot : 0);
    rp.bus = static_cast<uint8_t>(bus_nr + 1 + j);
    if (j >= device_ports) rp.pref64_reserve = spare_reserve;
    v.root_ports.push_back(rp);
  }
  return v;
}

// Each host SMMU reserved for hotplug gets a vSMMU: with the devices chosen
// behind it, or none (spare root ports only).
Status add_hotplug_smmus(const Inventory& inv, const PlanRequest& request,
                         std::map<size_t, std::vector<const PciDevice*>>& by_smmu) {
  for (const auto& h : request.hotplug_smmus) {
    auto it = std::find_if(inv.smmus.begin(), inv.smmus.end(),
                           [&](const HostSmmu& s) { return s.base == h.base; });
    if (it == inv.smmus.end()) {
      return make_error(ErrorKind::Request,
                        (h.origin.empty() ? "" : h.origin + ": ") + "hotplug SMMU " +
                            hex(h.base) + ": no SMMUv3 with that base on this host (see "
                            "`smmu-plan probe`)");
    }
    by_smmu[static_cast<size_t>(it - inv.smmus.begin())];
  }
  if (!request.hotplug_smmus.empty() && request.hotplug_ports == 0) {
    return make_error(ErrorKind::Request,
                      "a vSMMU reserved for hotplug needs spare root ports: give --hotplug-ports N "
                      "(at least 1)");
  }
  return Ok{};
}

// A vSMMU without a cold-plugged device cannot take `auto` caps: QEMU
// resolves them from such a device only.
Result<std::optional<VsmmuCaps>> caps_for(const HostSmmu& host, bool hotplug_only,
                                          const PlanRequest& request) {
  if (hotplug_only && !host.caps) {
    return make_error(ErrorKind::HostTree,
                      host.name + " is reserved for hotplug only, so QEMU has no cold-plugged "
                      "device to resolve `auto` caps from, and its own are unavailable (" +
                          host.caps_unavailable + "): bind a device behind it to vfio-pci "
                          "while planning");
  }
  return vsmmu_caps(host, request.no_host_caps);
}

}  // namespace

Result<Plan> make_plan(const Inventory& inv, const PlanRequest& request) {
  if (inv.smmus.empty()) {
    return make_error(ErrorKind::NoFit,
                      "this host has no SMMUv3 (no smmu3.* in sys/class/iommu): there is no "
                      "vSMMU topology to plan");
  }
  SMMU_TRY(chosen, select_devices(inv, request));

  // 2. group by host SMMU (inventory order = base order), devices by BDF.
  std::map<size_t, std::vector<const PciDevice*>> by_smmu;
  for (const PciDevice* d : chosen) by_smmu[*d->smmu].push_back(d);
  for (auto& [smmu, devices] : by_smmu) {
    std::sort(devices.begin(), devices.end(),
              [](const PciDevice* a, const PciDevice* b) { return a->bdf < b->bdf; });
  }
  SMMU_CHECK(add_hotplug_smmus(inv, request, by_smmu));
  SMMU_TRY(spare_reserve, spare_port_reserve(request));
  SMMU_CHECK(check_fits(by_smmu, request));

  // 3. pack the ranges against the top of the bus space.
  unsigned total = 0;
  for (const auto& [smmu, devices] : by_smmu) total += 1 + devices.size() + request.hotplug_ports;
  unsigned next_bus = limits::kLastBus + 1 - total;

  Plan plan;
  plan.pcie0_buses = request.pcie0_buses;
  for (const auto& [smmu, devices] : by_smmu) {
    size_t index = plan.vsmmus.size();
    VsmmuPlan v = lay_out_vsmmu(index, inv.smmus[smmu], devices.size(), request.hotplug_ports, spare_reserve,
                                next_bus);
    SMMU_TRY(caps, caps_for(inv.smmus[smmu], devices.empty(), request));
    v.caps = caps;
    SMMU_TRY(guest_node, guest_numa_node(request.numa_map, inv.smmus[smmu], devices));
    v.pxb.numa_node = guest_node;
    next_bus = v.buses().last + 1u;
    for (size_t j = 0; j < devices.size(); ++j) {
      DevicePlan d;
      d.id = "dev" + std::to_string(plan.devices.size());
      d.host_bdf = devices[j]->bdf;
      d.root_port = v.root_ports[j].id;
      d.vendor = devices[j]->vendor;
      d.device = devices[j]->device;
      d.class_code = devices[j]->class_code;
      plan.devices.push_back(d);
    }
    plan.vsmmus.push_back(std::move(v));
  }
  SMMU_CHECK(plan_gpus(inv, request, plan));
  SMMU_CHECK(plan_high_mmio(inv, plan));
  // Phase invariant: what we built is what we would accept from a file.
  SMMU_CHECK(check_plan(plan));
  return plan;
}

}  // namespace smmu
