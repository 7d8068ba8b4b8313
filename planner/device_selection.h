// Which host devices a request chooses, and why every other one is left out.
// The planner takes the chosen ones; `explain` prints both sides.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "hostprobe/inventory.h"
#include "planner/request.h"

namespace smmu {

enum class LeftOut {
  None,           // chosen
  Bridge,         // a root port or bridge: only endpoints are assigned
  NoSmmuv3,       // not behind an SMMUv3
  NotAssignable,  // an endpoint behind an SMMUv3 that the inventory refuses (the reason says why)
  NotRequested,   // assignable, but the request names devices and not this one
  NotSelected,    // assignable, but no selector entry matches it
};

// Stable names for JSON: "bridge", "no-smmuv3", ...
const char* left_out_name(LeftOut why);

struct DeviceChoice {
  // What chose it, in request order: "device 0009:01:00.0", "select class=0x0302",
  // "all_assignable"; empty when left out.
  std::vector<std::string> chosen_by;
  LeftOut left_out = LeftOut::None;
  // For a left-out device: the inventory's reason, and the selectors it
  // matches when it matches some but is not assignable.
  std::string detail;
};

// Why `d` is or is not chosen (the request is taken as valid).
DeviceChoice judge_device(const PciDevice& d, const Inventory& inv, const PlanRequest& request);

// The chosen devices in inventory (BDF) order. Errors: nothing requested
// (Usage); an explicit BDF unknown, named twice or not assignable; a selector
// entry matching no assignable device; all_assignable on a host without one
// (Request, each naming where it was written).
Result<std::vector<const PciDevice*>> select_devices(const Inventory& inv,
                                                     const PlanRequest& request);

}  // namespace smmu
