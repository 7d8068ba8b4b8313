#include "verify/verify_gpu.h"

#include <map>
#include <set>

#include "acpi/srat.h"
#include "common/byte_size.h"
#include "common/node_list.h"

namespace smmu {
namespace {

// Planned GPU node -> the guest BDF of its GPU.
std::map<int, Bdf> planned_nodes(const Plan& plan) {
  std::map<int, Bdf> nodes;
  for (const auto& d : plan.devices) {
    for (int n : d.gpu_numa_nodes) nodes[n] = plan.guest_bdf(d);
  }
  return nodes;
}

Result<std::string> check_srat(const std::map<int, Bdf>& planned, const std::vector<uint8_t>& srat,
                               std::vector<std::string>& out) {
  if (srat.empty()) {
    out.push_back("SRAT: the guest has none, so none of the " + std::to_string(planned.size()) +
                  " GPU NUMA nodes");
    return std::string();
  }
  SMMU_TRY(initiators, decode_srat_generic_initiators(srat, ErrorKind::GuestReport));
  std::map<int, Bdf> seen;
  for (const auto& gi : initiators) {
    int node = static_cast<int>(gi.proximity_domain);
    std::string what = "SRAT: generic initiator of node " + std::to_string(node);
    auto want = planned.find(node);
    if (want == planned.end()) {
      out.push_back(what + " is not a planned GPU node");
    } else if (!gi.pci || !gi.enabled || gi.bdf != want->second) {
      out.push_back(what + " names " + (gi.pci ? gi.bdf.str() : std::string("an ACPI device")) +
                    (gi.enabled ? "" : " (disabled)") + ", planned " + want->second.str());
    } else if (!seen.emplace(node, gi.bdf).second) {
      out.push_back(what + " is there twice");
    }
  }
  for (const auto& [node, bdf] : planned) {
    if (!seen.count(node)) {
      out.push_back("SRAT: no generic initiator for GPU node " + std::to_string(node) + " of " + bdf.str());
    }
  }
  return std::to_string(planned.size()) + " GPU NUMA nodes in the SRAT";
}

std::string check_kernel_nodes(const std::map<int, Bdf>& planned, const GuestNuma& numa,
                               std::vector<std::string>& out) {
  std::set<int> want, beyond;
  for (const auto& [node, bdf] : planned) {
    (numa.max_nodes && node >= *numa.max_nodes ? beyond : want).insert(node);
  }
  std::set<int> missing, extra;
  for (int n : want) {
    if (!numa.generic_initiators.count(n)) missing.insert(n);
  }
  for (int n : numa.generic_initiators) {
    if (!want.count(n)) extra.insert(n);
  }
  if (!missing.empty()) {
    out.push_back("guest kernel: GPU NUMA nodes " + node_list_text(missing) +
                  " are not generic-initiator nodes (has_generic_initiator: " +
                  node_list_text(numa.generic_initiators) + ")");
  }
  if (!extra.empty()) {
    out.push_back("guest kernel: generic-initiator nodes " + node_list_text(extra) + " are not planned");
  }
  std::string checked = std::to_string(want.size()) + " in the guest kernel";
  if (!beyond.empty()) {
    checked += " (nodes " + node_list_text(beyond) + " are beyond the " +
               std::to_string(*numa.max_nodes) + " it holds)";
  }
  return checked;
}

std::string check_windows(const Plan& plan, const std::vector<BridgeWindow>& windows,
                          std::vector<std::string>& out) {
  std::map<Bdf, uint64_t> size_of;
  for (const auto& w : windows) size_of[w.bdf] = w.end - w.start + 1;
  unsigned reserves = 0;
  for (const auto& v : plan.vsmmus) {
    for (const auto& rp : v.root_ports) {
      if (!rp.pref64_reserve) continue;
      ++reserves;
      Bdf port{0, v.pxb.bus_nr, rp.slot, rp.function};
      auto it = size_of.find(port);
      std::string who = rp.id + " (" + port.str() + ")";
      if (it == size_of.end()) {
        out.push_back(who + ": firmware gave it no 64-bit prefetchable window; planned " +
                      human_size(rp.pref64_reserve) + " (is highmem-mmio-size large enough?)");
      } else if (it->second < rp.pref64_reserve) {
        out.push_back(who + ": firmware gave it " + human_size(it->second) +
                      " of 64-bit prefetchable window, less than the planned " +
                      human_size(rp.pref64_reserve) + " (is highmem-mmio-size large enough?)");
      }
    }
  }
  if (reserves == 0) return {};
  return "firmware's windows for " + std::to_string(reserves) + " root port reserve" +
         (reserves == 1 ? "" : "s");
}

}  // namespace

Result<std::string> check_gpus(const Plan& plan, const GuestReport& guest,
                               std::vector<std::string>& differences) {
  std::vector<std::string> checked;
  std::map<int, Bdf> planned = planned_nodes(plan);
  if (!planned.empty() && guest.srat) {
    SMMU_TRY(srat, check_srat(planned, *guest.srat, differences));
    if (!srat.empty()) checked.push_back(srat);
  }
  if (!planned.empty() && guest.numa) checked.push_back(check_kernel_nodes(planned, *guest.numa, differences));
  if (guest.bridge_windows) {
    std::string windows = check_windows(plan, *guest.bridge_windows, differences);
    if (!windows.empty()) checked.push_back(windows);
  }
  std::string out;
  for (const auto& c : checked) out += (out.empty() ? "" : ", ") + c;
  return out;
}

}  // namespace smmu
