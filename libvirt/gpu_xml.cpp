#include "libvirt/gpu_xml.h"

#include <algorithm>
#include <set>

#include "common/node_list.h"
#include "libvirt/domain_xml.h"
#include "libvirt/qemu_commandline.h"
#include "planner/request.h"

namespace smmu {
namespace {

// The domain's NUMA cell ids (a cell without one is numbered by its place).
std::set<int> cell_ids(pugi::xml_node domain) {
  std::set<int> ids;
  int place = 0;
  for (auto cell : domain.child("cpu").child("numa").children("cell")) {
    ids.insert(cell.attribute("id") ? cell.attribute("id").as_int() : place);
    ++place;
  }
  return ids;
}

// Cell 0 with every vCPU and all the domain's memory.
void add_cell0(pugi::xml_node domain) {
  auto cpu = domain.child("cpu") ? domain.child("cpu") : domain.append_child("cpu");
  auto numa = cpu.child("numa") ? cpu.child("numa") : cpu.append_child("numa");
  auto memory = domain.child("memory");
  int vcpus = std::max(1, domain.child("vcpu").text().as_int(1));
  auto cell = numa.append_child("cell");
  cell.append_attribute("id") = 0;
  cell.append_attribute("cpus") = (vcpus == 1 ? std::string("0") : "0-" + std::to_string(vcpus - 1)).c_str();
  cell.append_attribute("memory") = memory.text().get();
  cell.append_attribute("unit") = memory.attribute("unit").as_string("KiB");
}

Status check_cells(pugi::xml_node domain, int first_gpu_node) {
  std::set<int> want;
  for (int n = 0; n < first_gpu_node; ++n) want.insert(n);
  std::set<int> have = cell_ids(domain);
  // A hostile or mistyped id must not reach the hint's arithmetic below;
  // QEMU numbers nodes 0..kMaxGuestNumaNode (docs/qemu.md).
  if (!have.empty() && (*have.begin() < 0 || *have.rbegin() > kMaxGuestNumaNode)) {
    int bad = *have.begin() < 0 ? *have.begin() : *have.rbegin();
    return domain_xml_conflict("<cpu><numa> cell id " + std::to_string(bad) + " is outside QEMU's nodes 0-" +
                               std::to_string(kMaxGuestNumaNode));
  }
  if (have.empty() && first_gpu_node == 1) {
    add_cell0(domain);
    return Ok{};
  }
  if (have == want) return Ok{};
  std::string fit = have.empty() ? "" : " (plan with --gpu-first-numa-node " +
                                            std::to_string(*have.rbegin() + 1) + ")";
  return domain_xml_conflict("the plan's GPU NUMA nodes start at guest node " + std::to_string(first_gpu_node) +
                             ", so the guest's own nodes must be <cpu><numa> cells " +
                             node_list_text(want) + "; the domain has " +
                             (have.empty() ? std::string("none") : node_list_text(have)) + fit);
}

}  // namespace

Status set_gpu_options(const GuestModel& model, pugi::xml_node domain) {
  std::vector<std::string> args;
  int first_gpu_node = 0;
  for (ModelItem item : model.items) {
    const bool initiator = item.kind == OptionKind::Object && item.driver == "acpi-generic-initiator";
    if (item.kind != OptionKind::Machine && item.kind != OptionKind::Numa && !initiator) continue;
    if (item.kind == OptionKind::Numa) {
      int n = static_cast<int>(item.number("nodeid"));
      first_gpu_node = first_gpu_node ? std::min(first_gpu_node, n) : n;
    }
    for (auto& p : item.props) {
      if (!initiator) break;
      if (p.name == "id") p.value = kOurAliasPrefix + p.value;
      if (p.name == "pci-dev") p.value = libvirt_alias(p.value);
    }
    args.insert(args.end(), {option_flag(item.kind), option_text(item)});
  }
  if (first_gpu_node) SMMU_CHECK(check_cells(domain, first_gpu_node));
  return set_qemu_commandline(domain, kOurAliasPrefix, args);
}

}  // namespace smmu
