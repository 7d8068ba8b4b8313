#include "hostprobe/iort_check.h"

#include "acpi/iort_table.h"
#include "common/hex.h"

namespace smmu {
namespace {

constexpr uint8_t kItsGroup = 0, kRootComplex = 2, kSmmuv3 = 4;
constexpr uint32_t kSingleMapping = 1;

const IortNode* node_at(const IortTable& t, uint32_t offset) {
  for (const auto& n : t.nodes) {
    if (n.offset == offset) return &n;
  }
  return nullptr;  // decode_iort checked every reference; not reached
}

// Where the IORT sends requester ID `rid` of PCI segment `segment`: the
// SMMUv3 node, or a phrase saying why none.
struct Route {
  const IortNode* smmu = nullptr;
  std::string elsewhere;
};

Route route(const IortTable& t, uint32_t segment, uint32_t rid) {
  for (const auto& rc : t.nodes) {
    if (rc.type != kRootComplex || rc.pci_segment != segment) continue;
    for (const auto& m : rc.mappings) {
      if ((m.flags & kSingleMapping) || rid < m.input_base || rid - m.input_base > m.id_count) continue;
      const IortNode* target = node_at(t, m.output_ref);
      if (target && target->type == kSmmuv3) return {target, {}};
      if (target && target->type == kItsGroup) return {nullptr, "to the ITS, behind no SMMU"};
      return {nullptr, "to the node at " + hex(m.output_ref) + ", not an SMMUv3"};
    }
    return {nullptr, "nowhere (no ID mapping of its root complex holds it)"};
  }
  return {nullptr, "nowhere (no root complex node for segment " + hex(segment) + ")"};
}

}  // namespace

Result<std::string> check_host_iort(const HostTree& tree, const Inventory& inv) {
  auto text = tree.read_file(kHostIortPath);
  if (!text) return "IORT: not cross-checked (" + text.error().message + "; it is root-only)";
  if (!*text) return std::string("IORT: none (a device-tree host?), not cross-checked");
  const std::string& raw = **text;
  auto table = decode_iort(std::vector<uint8_t>(raw.begin(), raw.end()), ErrorKind::HostTree);
  if (!table) {
    return make_error(ErrorKind::HostTree, tree.describe(kHostIortPath) + ": " + table.error().message);
  }
  size_t checked = 0;
  for (const auto& d : inv.devices) {
    if (!d.smmu) continue;
    const HostSmmu& sysfs = inv.smmus[*d.smmu];
    const uint32_t rid = uint32_t(d.bdf.bus) << 8 | uint32_t(d.bdf.device) << 3 | d.bdf.function;
    Route r = route(*table, d.bdf.domain, rid);
    if (r.smmu && r.smmu->base == sysfs.base) {
      ++checked;
      continue;
    }
    std::string iort = r.smmu ? "to the SMMUv3 at " + hex(r.smmu->base) : r.elsewhere;
    return make_error(ErrorKind::HostTree,
                      "the host IORT and sysfs disagree on " + d.bdf.str() + ": the IORT routes RID " +
                          hex(rid, 4) + " of segment " + hex(d.bdf.domain) + " " + iort +
                          ", sysfs puts it behind " + sysfs.name + "; fix the firmware or the tree");
  }
  return "IORT: agrees with sysfs on all " + std::to_string(checked) + " devices behind an SMMUv3";
}

}  // namespace smmu
