#include "verify/verify.h"

#include <cstdio>
#include <map>
#include <set>

#include "common/smmu_name.h"
#include "emit/guest_layout.h"
#include "emit/iort.h"
#include "emit/iort_from_plan.h"
#include "verify/verify_gpu.h"

namespace smmu {
namespace {

std::string guest_smmu_name(unsigned creation_index) {
  return smmu_device_name(guest_layout::smmu_base(creation_index));
}

struct PlanView {
  std::map<std::string, std::string> smmu_of_vsmmu;  // vsmmu id -> guest SMMU name
  std::map<std::string, BusRange> range_of_smmu;     // guest SMMU name -> its pxb range
};

PlanView view_of(const Plan& plan) {
  PlanView v;
  for (unsigned k = 0; k < plan.vsmmus.size(); ++k) {
    std::string name = guest_smmu_name(k);
    v.smmu_of_vsmmu[plan.vsmmus[k].id] = name;
    v.range_of_smmu[name] = plan.vsmmus[k].buses();
  }
  return v;
}

std::string who(const DevicePlan& d) { return d.id + " (host " + d.host_bdf.str() + ")"; }

void check_devices(const Plan& plan, const PlanView& view, const GuestReport& guest,
                   std::vector<std::string>& out) {
  std::map<Bdf, std::string> smmu_of_bdf;
  for (const auto& e : *guest.smmu_map) smmu_of_bdf[e.bdf] = e.smmu;
  std::set<Bdf> present;
  if (guest.pci) present.insert(guest.pci->begin(), guest.pci->end());

  struct Seen {
    const DevicePlan* device;
    const VsmmuPlan* vsmmu;  // planned
    std::string smmu;        // guest's
  };
  std::vector<Seen> seen;
  for (const auto& d : plan.devices) {
    const VsmmuPlan& planned = plan.vsmmu_of(d);
    const std::string& vsmmu = planned.id;
    const std::string& want = view.smmu_of_vsmmu.at(vsmmu);
    const Bdf at = plan.guest_bdf(d);
    auto it = smmu_of_bdf.find(at);
    if (it == smmu_of_bdf.end()) {
      bool there = present.count(at) > 0;
      out.push_back(who(d) + ": " + (there ? "present at " + at.str() + " but behind no SMMU"
                                           : "not behind any SMMU at its guest BDF " + at.str()));
      continue;
    }
    if (it->second != want) {
      out.push_back(who(d) + ": at " + at.str() + " behind " + it->second + ", planned behind " + vsmmu + " (" +
                    want + ")");
    }
    seen.push_back({&d, &planned, it->second});
  }
  for (size_t i = 0; i < seen.size(); ++i) {
    for (size_t j = i + 1; j < seen.size(); ++j) {
      bool same_host = seen[i].vsmmu == seen[j].vsmmu;
      bool same_guest = seen[i].smmu == seen[j].smmu;
      if (same_host != same_guest) {
        out.push_back(who(*seen[i].device) + " and " + who(*seen[j].device) +
                      (same_host ? " share a host SMMU but not a guest vSMMU"
                                 : " share a guest vSMMU but not a host SMMU"));
      }
    }
  }
  if (guest.pci) {
    for (const auto& d : plan.devices) {
      const Bdf at = plan.guest_bdf(d);
      if (!present.count(at)) out.push_back(who(d) + ": no PCI device at its guest BDF " + at.str());
    }
  }
}

// Every SMMU-map entry must lie in the range of the vSMMU it names; an entry
// outside every pxb range is on pcie.0, which must bypass translation.
void check_map_entries(const Plan& plan, const PlanView& view, const GuestReport& guest,
                       std::vector<std::string>& out) {
  for (const auto& e : *guest.smmu_map) {
    auto it = view.range_of_smmu.find(e.smmu);
    if (it == view.range_of_smmu.end()) {
      out.push_back(e.bdf.str() + " is behind " + e.smmu + ", which the plan does not create");
      continue;
    }
    if (it->second.contains(e.bdf.bus)) continue;
    bool in_a_pxb = false;
    for (const auto& v : plan.vsmmus) in_a_pxb |= v.buses().contains(e.bdf.bus);
    out.push_back(e.bdf.str() + (in_a_pxb ? " is behind " + e.smmu + ", not its own pxb's vSMMU"
                                          : " (pcie.0) is behind " + e.smmu +
                                                "; emulated devices must bypass translation"));
  }
}

// Behind a root port there is the planned device or nothing: a device on a
// spare port's bus (hotplugged and not in this plan) or elsewhere behind a
// port is a difference. The ports themselves sit on their pxb's own bus.
void check_ports_hold_only_the_plan(const Plan& plan, const GuestReport& guest, std::vector<std::string>& out) {
  std::set<Bdf> seen;
  if (guest.pci) seen.insert(guest.pci->begin(), guest.pci->end());
  if (guest.smmu_map) {
    for (const auto& e : *guest.smmu_map) seen.insert(e.bdf);
  }
  std::set<Bdf> planned;
  for (const auto& d : plan.devices) planned.insert(plan.guest_bdf(d));
  for (const Bdf& b : seen) {
    if (b.domain != 0 || planned.count(b)) continue;
    for (const auto& v : plan.vsmmus) {
      for (const auto& rp : v.root_ports) {
        if (rp.bus != b.bus) continue;
        const DevicePlan* d = plan.device_on(rp);
        out.push_back(b.str() + " sits behind " + rp.id + ", which the plan " +
                      (d ? "gives " + d->host_bdf.str() + " at " + rp.guest_bdf().str() : "keeps spare"));
      }
    }
  }
}

}  // namespace

Result<Verdict> verify_guest(const Plan& plan, EmitForm form, const GuestReport& guest) {
  Verdict v;
  auto expected = decode_iort(build_iort(iort_model(plan, form)), ErrorKind::PlanFile);
  if (!expected) return expected.error();
  SMMU_TRY(actual, decode_iort(guest.iort, ErrorKind::GuestReport));
  for (const auto& line : diff_iort(*expected, actual)) {
    v.differences.push_back("IORT: " + line + " (plan != guest)");
  }
  std::string checked = "IORT (" + std::to_string(actual.nodes.size()) + " nodes)";
  if (guest.smmu_map) {
    PlanView view = view_of(plan);
    check_devices(plan, view, guest, v.differences);
    check_map_entries(plan, view, guest, v.differences);
    checked = std::to_string(plan.devices.size()) + " devices at their guest BDFs behind " +
              std::to_string(plan.vsmmus.size()) + " vSMMUs, nothing else translated, " + checked;
  }
  check_ports_hold_only_the_plan(plan, guest, v.differences);
  SMMU_TRY(gpus, check_gpus(plan, guest, v.differences));
  if (!gpus.empty()) checked += ", " + gpus;
  v.summary = (v.differences.empty() ? "guest matches the plan: " : "guest differs from the plan: ") +
              checked;
  return v;
}

}  // namespace smmu
