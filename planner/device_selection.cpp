#include "planner/device_selection.h"

#include <set>

namespace smmu {
namespace {

std::string where(const std::string& origin) { return origin.empty() ? "" : origin + ": "; }

// "select class=0x0302" for every selector entry matching `d`.
std::vector<std::string> matching_selectors(const PciDevice& d, const Inventory& inv,
                                            const PlanRequest& request) {
  std::vector<std::string> out;
  for (const auto& s : request.selectors) {
    if (s.matches(d, inv)) out.push_back("select " + selector_text(s));
  }
  return out;
}

Status check_explicit_devices(const Inventory& inv, const PlanRequest& request) {
  std::set<Bdf> seen;
  for (const auto& [bdf, origin] : request.devices) {
    if (!seen.insert(bdf).second) {
      return make_error(ErrorKind::Request, where(origin) + bdf.str() + " is requested twice");
    }
    const PciDevice* d = inv.find(bdf);
    if (!d) {
      return make_error(ErrorKind::Request,
                        where(origin) + bdf.str() + ": no such PCI device on this host");
    }
    if (!d->assignable) {
      return make_error(ErrorKind::Request,
                        where(origin) + bdf.str() + " cannot be assigned: " + d->reason);
    }
  }
  return Ok{};
}

// Every selector entry chooses something; when it matches only devices that
// cannot be assigned, the first of them says why.
Status check_selectors_match(const Inventory& inv, const PlanRequest& request) {
  for (const auto& s : request.selectors) {
    const PciDevice* refused = nullptr;
    bool chooses = false;
    for (const auto& d : inv.devices) {
      if (!s.matches(d, inv)) continue;
      if (d.assignable) {
        chooses = true;
        break;
      }
      if (!refused) refused = &d;
    }
    if (chooses) continue;
    std::string message = where(s.origin) + "select " + selector_text(s) +
                          " matches no assignable device on this host";
    if (refused) message += " (" + refused->bdf.str() + " matches but " + refused->reason + ")";
    return make_error(ErrorKind::Request, message);
  }
  return Ok{};
}

}  // namespace

const char* left_out_name(LeftOut why) {
  switch (why) {
    case LeftOut::None: return "chosen";
    case LeftOut::Bridge: return "bridge";
    case LeftOut::NoSmmuv3: return "no-smmuv3";
    case LeftOut::NotAssignable: return "not-assignable";
    case LeftOut::NotRequested: return "not-requested";
    case LeftOut::NotSelected: return "not-selected";
  }
  return "?";
}

DeviceChoice judge_device(const PciDevice& d, const Inventory& inv, const PlanRequest& request) {
  DeviceChoice c;
  std::vector<std::string> selected = matching_selectors(d, inv, request);
  for (const auto& r : request.devices) {
    if (r.bdf == d.bdf) c.chosen_by.push_back("device " + d.bdf.str());
  }
  if (d.assignable) {
    c.chosen_by.insert(c.chosen_by.end(), selected.begin(), selected.end());
    if (request.all_assignable) c.chosen_by.push_back("all_assignable");
  }
  if (!c.chosen_by.empty()) return c;

  if (d.is_bridge()) {
    c.left_out = LeftOut::Bridge;
  } else if (!d.smmu) {
    c.left_out = LeftOut::NoSmmuv3;
  } else if (!d.assignable) {
    c.left_out = LeftOut::NotAssignable;
  } else {
    c.left_out = request.selectors.empty() ? LeftOut::NotRequested : LeftOut::NotSelected;
  }
  c.detail = d.reason;
  if (!d.assignable && !selected.empty()) {
    c.detail += " (matches";
    for (const auto& s : selected) c.detail += " " + s;
    c.detail += ")";
  }
  if (c.left_out == LeftOut::NotSelected) {
    c.detail = request.devices.empty() ? "matches no select entry"
                                       : "not named, and matches no select entry";
  }
  if (c.left_out == LeftOut::NotRequested) c.detail = "not named by the request";
  return c;
}

Result<std::vector<const PciDevice*>> select_devices(const Inventory& inv,
                                                     const PlanRequest& request) {
  if (!request.all_assignable && request.devices.empty() && request.selectors.empty()) {
    // Only vSMMUs reserved for hotplug: nothing is cold-plugged.
    if (!request.hotplug_smmus.empty()) return std::vector<const PciDevice*>{};
    return make_error(ErrorKind::Usage,
                      "name devices with --device BDF or --select, or use --all-assignable "
                      "(or a --request file that does), or reserve --hotplug-smmu");
  }
  SMMU_CHECK(check_explicit_devices(inv, request));
  SMMU_CHECK(check_selectors_match(inv, request));
  std::vector<const PciDevice*> chosen;
  for (const auto& d : inv.devices) {
    if (!judge_device(d, inv, request).chosen_by.empty()) chosen.push_back(&d);
  }
  if (chosen.empty()) {
    return make_error(ErrorKind::Request,
                      "no assignable device on this host (see `smmu-plan probe` for reasons)");
  }
  return chosen;
}

}  // namespace smmu
