#include "emit/accel_props.h"

#include "planner/vsmmu_caps.h"

namespace smmu {
namespace {

bool needs_identifiers(const Plan& plan) {
  for (const auto& v : plan.vsmmus) {
    if (!v.caps || v.caps->cmdqv) return true;
  }
  return false;
}

}  // namespace

std::vector<AccelProp> accel_props(const Plan& plan, size_t k) {
  const auto& caps = plan.vsmmus.at(k).caps;
  std::vector<AccelProp> props = {{"accel", "on"}};
  // Unknown caps: the same properties, each `auto`.
  for (const auto& p : caps_props(caps.value_or(VsmmuCaps{}))) props.push_back({p.name, caps ? p.value : "auto"});
  if (needs_identifiers(plan)) props.push_back({"identifier", std::to_string(k + 1)});
  return props;
}

}  // namespace smmu
