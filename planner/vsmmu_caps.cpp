#include "planner/vsmmu_caps.h"

#include <algorithm>

namespace smmu {
namespace {

constexpr unsigned kQemuMaxSsidsize = 20;
constexpr unsigned kQemuOasLow = 44, kQemuOasHigh = 48;

}  // namespace

Result<std::optional<VsmmuCaps>> vsmmu_caps(const HostSmmu& host, bool caps_optional) {
  if (!host.caps) {
    if (caps_optional) return std::optional<VsmmuCaps>();
    return make_error(
        ErrorKind::HostTree,
        host.name + ": capabilities unavailable (" + host.caps_unavailable +
            "); they are read through a vfio device behind that SMMU: run as root with one "
            "bound to vfio-pci, or plan with --no-host-caps (QEMU then needs a cold-plugged "
            "device behind that vSMMU)");
  }
  const SmmuCaps& c = *host.caps;
  if (!c.nesting()) {
    return make_error(ErrorKind::NoFit,
                      host.name + " cannot nest translations (stage 1 " +
                          (c.s1p ? "yes" : "no") + ", stage 2 " + (c.s2p ? "yes" : "no") +
                          "): iommufd builds a vSMMU only on an SMMU with both; assign its "
                          "devices to a guest without a vSMMU");
  }
  if (c.oas_bits < kQemuOasLow) {
    return make_error(ErrorKind::NoFit,
                      host.name + " outputs " + std::to_string(c.oas_bits) +
                          "-bit addresses, fewer than the 44 or 48 QEMU's accelerated "
                          "arm-smmuv3 offers; it cannot carry a vSMMU");
  }
  VsmmuCaps v;
  v.ats = c.ats;
  v.ril = c.ril;
  v.ssidsize = std::min(c.ssidsize, kQemuMaxSsidsize);
  v.oas = c.oas_bits >= kQemuOasHigh ? kQemuOasHigh : kQemuOasLow;
  v.cmdqv = c.cmdqv.has_value();
  return std::optional<VsmmuCaps>(v);
}

std::vector<CapsProp> caps_props(const VsmmuCaps& caps) {
  auto on_off = [](bool b) { return std::string(b ? "on" : "off"); };
  return {{"ats", on_off(caps.ats)},
          {"ril", on_off(caps.ril)},
          {"ssidsize", std::to_string(caps.ssidsize)},
          {"oas", std::to_string(caps.oas)},
          {"cmdqv", on_off(caps.cmdqv)}};
}

}  // namespace smmu
