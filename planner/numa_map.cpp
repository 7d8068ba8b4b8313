#include "planner/numa_map.h"

#include "common/digits.h"
#include "common/split.h"

namespace smmu {
namespace {

std::optional<int> node_number(std::string_view text, int max) {
  auto n = parse_int(text);
  if (!n || *n < 0 || *n > max) return std::nullopt;
  return n;
}

}  // namespace

Status parse_numa_map_spec(std::string_view spec, NumaMap& map) {
  auto fail = [&](const std::string& why) {
    return make_error(ErrorKind::Usage, "--numa-map '" + std::string(spec) + "': " + why);
  };
  for (std::string_view pair : split(spec, ',')) {
    size_t colon = pair.find(':');
    auto host = node_number(pair.substr(0, colon), kMaxHostNumaNode);
    auto guest = colon == std::string_view::npos ? std::nullopt
                                                 : node_number(pair.substr(colon + 1), kMaxGuestNumaNode);
    if (!host || !guest) {
      return fail("expected HOST:GUEST with a host node 0.." + std::to_string(kMaxHostNumaNode) +
                  " and a guest node 0.." + std::to_string(kMaxGuestNumaNode) + ", got '" +
                  std::string(pair) + "'");
    }
    if (!map.emplace(*host, *guest).second) {
      return fail("host node " + std::to_string(*host) + " is mapped twice");
    }
  }
  return Ok{};
}

int host_numa_node(const HostSmmu& smmu, const std::vector<const PciDevice*>& devices) {
  if (smmu.numa_node >= 0) return smmu.numa_node;
  int common = -1;
  for (const PciDevice* d : devices) {
    if (d->numa_node < 0 || (common >= 0 && d->numa_node != common)) return -1;
    common = d->numa_node;
  }
  return common;
}

Result<std::optional<int>> guest_numa_node(const NumaMap& map, const HostSmmu& smmu,
                                           const std::vector<const PciDevice*>& devices) {
  if (map.empty()) return std::optional<int>();
  int host = host_numa_node(smmu, devices);
  if (host < 0) {
    return make_error(ErrorKind::Request,
                      "the NUMA map cannot place the pxb of " + smmu.name +
                          ": neither the SMMU nor its devices report one host NUMA node; "
                          "drop the NUMA map or request devices of another SMMU");
  }
  auto it = map.find(host);
  if (it == map.end()) {
    return make_error(ErrorKind::Request,
                      "host NUMA node " + std::to_string(host) + " (of " + smmu.name +
                          ") has no guest node in the NUMA map: add " + std::to_string(host) +
                          ":GUEST");
  }
  return std::optional<int>(it->second);
}

}  // namespace smmu
