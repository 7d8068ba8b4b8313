// What the user asks a plan for.
#pragma once

#include <vector>

#include "common/bdf.h"

namespace smmu {

struct PlanRequest {
  static constexpr unsigned kDefaultPcie0Buses = 16;

  std::vector<Bdf> devices;        // explicit devices, in the order given
  bool all_assignable = false;     // or: every assignable device of the host
  unsigned hotplug_ports = 0;      // spare empty root ports per vSMMU
  unsigned pcie0_buses = kDefaultPcie0Buses;  // buses kept for pcie.0's root ports
  bool no_host_caps = false;       // plan vSMMUs whose host SMMU caps are unavailable (`auto`)
};

}  // namespace smmu
