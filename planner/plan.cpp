#include "planner/plan.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace smmu {
namespace {

// The vSMMU and root port `d` names, in a Plan or a const Plan.
template <typename P>
auto place_of(P& plan, const DevicePlan& d) {
  for (auto& v : plan.vsmmus) {
    for (auto& rp : v.root_ports) {
      if (rp.id == d.root_port) return std::pair(&v, &rp);
    }
  }
  throw std::out_of_range("plan: " + d.id + " names no root port of the plan ('" + d.root_port +
                          "'), which check_plan refuses");
}

}  // namespace

const RootPortPlan& Plan::port_of(const DevicePlan& d) const { return *place_of(*this, d).second; }

RootPortPlan& Plan::port_of(const DevicePlan& d) { return *place_of(*this, d).second; }

const VsmmuPlan& Plan::vsmmu_of(const DevicePlan& d) const { return *place_of(*this, d).first; }

bool VsmmuPlan::holds(const DevicePlan& d) const {
  return std::any_of(root_ports.begin(), root_ports.end(),
                     [&](const RootPortPlan& rp) { return rp.id == d.root_port; });
}

const DevicePlan* Plan::device_on(const RootPortPlan& port) const {
  for (const auto& d : devices) {
    if (d.root_port == port.id) return &d;
  }
  return nullptr;
}

}  // namespace smmu
