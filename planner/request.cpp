#include "planner/request.h"

namespace smmu {

Result<PlanRequest> with_flags(PlanRequest base, const RequestFlags& flags) {
  base.devices.insert(base.devices.end(), flags.devices.begin(), flags.devices.end());
  base.selectors.insert(base.selectors.end(), flags.selectors.begin(), flags.selectors.end());
  base.hotplug_smmus.insert(base.hotplug_smmus.end(), flags.hotplug_smmus.begin(),
                            flags.hotplug_smmus.end());
  base.all_assignable = base.all_assignable || flags.all_assignable;
  if (flags.hotplug_ports) base.hotplug_ports = *flags.hotplug_ports;
  if (flags.pcie0_buses) base.pcie0_buses = *flags.pcie0_buses;
  if (flags.hotplug_pref64_reserve) base.hotplug_pref64_reserve = flags.hotplug_pref64_reserve;
  if (flags.gpu_numa_nodes) base.gpu.numa_nodes_per_gpu = *flags.gpu_numa_nodes;
  if (flags.gpu_first_numa_node) base.gpu.first_numa_node = flags.gpu_first_numa_node;
  for (const auto& [host, guest] : flags.numa_map) base.numa_map[host] = guest;
  if (base.all_assignable && (!base.devices.empty() || !base.selectors.empty())) {
    return make_error(ErrorKind::Usage,
                      "all_assignable excludes devices and selectors: the request file and the "
                      "command line together give both");
  }
  return base;
}

}  // namespace smmu
