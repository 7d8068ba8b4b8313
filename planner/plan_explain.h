// `smmu-plan explain`: why a request on a host gives the plan it gives. For
// each chosen device what chose it and where it went (host SMMU -> vSMMU,
// pxb, root port, guest BDF, guest NUMA node; a GPU's own NUMA nodes and
// root port reserve); each spare root port, with the guest address a device
// hotplugged there gets and its 64-bit prefetchable reserve, if any; for
// every other PCI device why it was left out; the bus budget; and the high
// MMIO window (planner/gpu_plan.h). Plain text or JSON, in a stable order:
// chosen devices and spare ports in plan order, the others by BDF.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "hostprobe/inventory.h"
#include "planner/device_selection.h"
#include "planner/plan.h"
#include "planner/request.h"

namespace smmu {

struct Explanation {
  struct Device {  // what the inventory says of it
    Bdf bdf;
    uint16_t vendor = 0, device = 0;
    uint32_t class_code = 0;
  };
  struct Chosen {
    Device device;
    std::vector<std::string> chosen_by;
    std::string host_smmu;
    int host_numa_node = -1;  // the SMMU's, else its devices' common node
    size_t vsmmu = 0;         // index into plan.vsmmus
    size_t root_port = 0;     // index into that vSMMU's root_ports
    Bdf guest_bdf;
  };
  struct Skipped {
    Device device;
    LeftOut why = LeftOut::None;
    std::string detail;
  };

  Plan plan;
  uint64_t mmio64_need = 0;       // the devices' 64-bit BARs and reserves (mmio64_need)
  std::vector<Chosen> chosen;     // plan order
  std::vector<Skipped> left_out;  // BDF order
};

// Plans the request (with make_plan's errors, a NoFit saying what does not
// fit) and explains the result.
Result<Explanation> explain_plan(const Inventory& inv, const PlanRequest& request);

std::string explanation_text(const Explanation& e);
nlohmann::json explanation_to_json(const Explanation& e);

}  // namespace smmu
