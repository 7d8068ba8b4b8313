#include "cli/request_options.h"

#include "cli/files.h"
#include "common/byte_size.h"
#include "hostprobe/probe.h"
#include "planner/numa_map.h"
#include "planner/request_file.h"

namespace smmu::cli {

void HostOptions::add(CLI::App* sub) {
  sub->add_option("--root", root, "Host root holding sys/ and dev/ (a saved tree)")
      ->capture_default_str();
}

Result<Inventory> HostOptions::probe() const {
  SMMU_TRY(tree, open_disk_tree(root));
  return probe_host(*tree);
}

void RequestOptions::add(CLI::App* sub) {
  sub->add_option("--request", file, "Request file (YAML); the flags below extend it");
  auto* dev = sub->add_option("--device", devices, "Host PCI device to assign (repeatable)");
  auto* sel = sub->add_option("--select", selectors,
                              "Assign every assignable device matching KEY=VALUE[,KEY=VALUE...] "
                              "(vendor_device, class, smmu, numa_node; repeatable)");
  auto* all = sub->add_flag("--all-assignable", all_assignable,
                            "Assign every assignable device of the host");
  dev->excludes(all);
  sel->excludes(all);
  hotplug_option = sub->add_option("--hotplug-ports", hotplug_ports, "Spare root ports per vSMMU")
                       ->check(CLI::Range(0, 255))
                       ->capture_default_str();
  pref64_option = sub->add_option("--hotplug-pref64-reserve", hotplug_pref64_reserve,
                                  "64-bit prefetchable window each spare root port keeps for a "
                                  "large-BAR device hotplugged later: SIZE such as 512G, rounded up "
                                  "to a power of two")
                      ->type_name("SIZE");
  pcie0_option = sub->add_option("--pcie0-buses", pcie0_buses,
                                 "Buses kept for pcie.0's own root ports (1..N)")
                     ->check(CLI::Range(0, 254))
                     ->capture_default_str();
  sub->add_option("--numa-map", numa_maps,
                  "Guest NUMA node of each host node's pxbs: HOST:GUEST[,HOST:GUEST...] (repeatable)");
  sub->add_option("--hotplug-smmu", hotplug_smmus,
                  "Host SMMU (smmu3.0x... or its base) that gets a vSMMU with --hotplug-ports "
                  "spare root ports even without a device behind it (repeatable)");
  gpu_nodes_option = sub->add_option("--gpu-numa-nodes", gpu_numa_nodes,
                                     "Memory-less guest NUMA nodes per NVIDIA GPU, each with an "
                                     "acpi-generic-initiator (0: none)")
                         ->check(CLI::Range(0, kMaxGuestNumaNode))
                         ->capture_default_str();
  gpu_first_option = sub->add_option("--gpu-first-numa-node", gpu_first_numa_node,
                                     "The first GPU node (default: 1 + the NUMA map's highest "
                                     "guest node, or 1)")
                         ->check(CLI::Range(1, kMaxGuestNumaNode));
  sub->add_flag("--no-host-caps", no_host_caps,
                "Plan vSMMUs whose host SMMU caps are unavailable with `auto` values");
}

Result<PlanRequest> RequestOptions::request() const {
  RequestFlags flags;
  for (const auto& text : devices) {
    SMMU_TRY(bdf, parse_bdf(text));
    flags.devices.push_back(bdf);
  }
  for (const auto& text : selectors) {
    SMMU_TRY(s, parse_selector_spec(text));
    flags.selectors.push_back(std::move(s));
  }
  for (const auto& text : numa_maps) SMMU_CHECK(parse_numa_map_spec(text, flags.numa_map));
  for (const auto& text : hotplug_smmus) {
    SMMU_TRY(base, parse_smmu_ref(text));
    flags.hotplug_smmus.push_back({base, {}});
  }
  flags.all_assignable = all_assignable;
  if (hotplug_option->count() > 0) flags.hotplug_ports = hotplug_ports;
  if (pcie0_option->count() > 0) flags.pcie0_buses = pcie0_buses;
  if (pref64_option->count() > 0) {
    auto size = parse_size(hotplug_pref64_reserve);
    if (!size) return make_error(ErrorKind::Usage, "--hotplug-pref64-reserve: " + size.error().message);
    flags.hotplug_pref64_reserve = *size;
  }
  if (gpu_nodes_option->count() > 0) flags.gpu_numa_nodes = gpu_numa_nodes;
  if (gpu_first_option->count() > 0) flags.gpu_first_numa_node = gpu_first_numa_node;

  PlanRequest base;
  if (!file.empty()) {
    SMMU_TRY(text, read_input(file, ErrorKind::Request, kMaxRequestFileBytes));
    SMMU_TRY(from_file, parse_request_file(text, file));
    base = std::move(from_file);
  }
  // A choice about this host, not part of the VM's description: a flag only.
  base.no_host_caps = no_host_caps;
  return with_flags(std::move(base), flags);
}

}  // namespace smmu::cli
