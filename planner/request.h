// What the user asks a plan for: from the command line, a request file
// (planner/request_file.h), or both (with_flags).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/bdf.h"
#include "common/result.h"
#include "planner/device_selector.h"

namespace smmu {

// Host NUMA node -> guest NUMA node.
using NumaMap = std::map<int, int>;

// QEMU's virt machine takes at most 128 NUMA nodes (MAX_NODES).
constexpr int kMaxGuestNumaNode = 127;

// What GPUs get (planner/gpu_plan.h): memory-less guest NUMA nodes, each with
// an acpi-generic-initiator, consecutive from the first, in plan order. Guest
// nodes below the first are the guest's own CPU and memory nodes, which the
// operator declares (smmu-plan never emits memory or CPUs).
struct GpuRequest {
  static constexpr unsigned kDefaultNumaNodes = 8;  // as NVIDIA gives a Grace Hopper GPU

  unsigned numa_nodes_per_gpu = kDefaultNumaNodes;  // 0: no generic initiators
  std::optional<unsigned> first_numa_node;  // none: 1 + the NUMA map's highest guest node, or 1
};

struct RequestedDevice {
  RequestedDevice(Bdf b, std::string where = {}) : bdf(b), origin(std::move(where)) {}  // NOLINT: implicit by design

  Bdf bdf;
  std::string origin;  // where it was written ("vm.yaml:3"); empty on the command line
};

// A host SMMU that gets a vSMMU even without a cold-plugged device behind it:
// only spare root ports, for devices hotplugged later.
struct HotplugSmmu {
  uint64_t base = 0;   // "smmu3.0x...16000000" or "0x16000000"
  std::string origin;  // where it was written ("vm.yaml:9"); empty on the command line
};

struct PlanRequest {
  static constexpr unsigned kDefaultPcie0Buses = 16;

  std::vector<RequestedDevice> devices;  // explicit devices, in the order given
  std::vector<DeviceSelector> selectors;  // and every assignable device one of these matches
  bool all_assignable = false;     // or: every assignable device of the host
  GpuRequest gpu;
  unsigned hotplug_ports = 0;      // spare empty root ports per vSMMU
  // Bytes of 64-bit prefetchable window each spare port keeps for a device
  // hotplugged later (planner/planner.h); none: no reserve, small BARs only.
  std::optional<uint64_t> hotplug_pref64_reserve;
  unsigned pcie0_buses = kDefaultPcie0Buses;  // buses kept for pcie.0's own root ports
  NumaMap numa_map;  // empty: pxbs get no NUMA node; else every pxb's node comes from it
  bool no_host_caps = false;       // plan vSMMUs whose host SMMU caps are unavailable (`auto`)
  std::vector<HotplugSmmu> hotplug_smmus;  // vSMMUs reserved for hotplug (hotplug_ports each)
};

// What the command line adds to a request file.
struct RequestFlags {
  std::vector<RequestedDevice> devices;
  std::vector<DeviceSelector> selectors;
  std::optional<unsigned> gpu_numa_nodes, gpu_first_numa_node;
  bool all_assignable = false;
  std::optional<unsigned> hotplug_ports, pcie0_buses;
  std::optional<uint64_t> hotplug_pref64_reserve;
  NumaMap numa_map;
  std::vector<HotplugSmmu> hotplug_smmus;
};

// The file's request with the command line's on top: devices, selectors and
// hotplug SMMUs are added to the file's, a NUMA map entry replaces the file's for the same
// host node, and a number given replaces the file's. all_assignable with
// devices or selectors (from either) is a Usage error.
Result<PlanRequest> with_flags(PlanRequest base, const RequestFlags& flags);

}  // namespace smmu
