#include "emit/accel_props.h"

namespace smmu {
namespace {

std::string on_off(bool v) { return v ? "on" : "off"; }

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
  if (caps) {
    props.push_back({"ats", on_off(caps->ats)});
    props.push_back({"ril", on_off(caps->ril)});
    props.push_back({"ssidsize", std::to_string(caps->ssidsize)});
    props.push_back({"oas", std::to_string(caps->oas)});
    props.push_back({"cmdqv", on_off(caps->cmdqv)});
  } else {
    for (const char* name : {"ats", "ril", "ssidsize", "oas", "cmdqv"}) props.push_back({name, "auto"});
  }
  if (needs_identifiers(plan)) props.push_back({"identifier", std::to_string(k + 1)});
  return props;
}

}  // namespace smmu
