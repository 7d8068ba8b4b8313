#include "emit/qemu_releases.h"

#include <iterator>

namespace smmu {
namespace {

// docs/qemu.md, Versions. A value's entry comes before its property's.
constexpr QemuFeature kFeatures[] = {
    {"arm-smmuv3", "", "", "10.2", "a vSMMU per pxb-pcie (user-creatable arm-smmuv3)"},
    {"arm-smmuv3", "primary-bus", "", "10.2", "a vSMMU per pxb-pcie (user-creatable arm-smmuv3)"},
    {"arm-smmuv3", "accel", "", "11.0", "passthrough behind a vSMMU (accel=on over iommufd)"},
    {"arm-smmuv3", "ats", "auto", "11.1", "an `auto` value (a plan made with --no-host-caps)"},
    {"arm-smmuv3", "ril", "auto", "11.1", "an `auto` value (a plan made with --no-host-caps)"},
    {"arm-smmuv3", "ssidsize", "auto", "11.1", "an `auto` value (a plan made with --no-host-caps)"},
    {"arm-smmuv3", "oas", "auto", "11.1", "an `auto` value (a plan made with --no-host-caps)"},
    {"arm-smmuv3", "cmdqv", "auto", "11.1", "an `auto` value (a plan made with --no-host-caps)"},
    {"arm-smmuv3", "ats", "", "11.0", "the host SMMU's ATS in the vSMMU"},
    {"arm-smmuv3", "ril", "", "11.0", "the host SMMU's range invalidation in the vSMMU"},
    {"arm-smmuv3", "ssidsize", "", "11.0", "the host SMMU's SubstreamID size in the vSMMU"},
    {"arm-smmuv3", "oas", "", "11.0", "the host SMMU's output address size in the vSMMU"},
    {"arm-smmuv3", "cmdqv", "", "11.1", "CMDQ-V"},
    {"arm-smmuv3", "identifier", "", "11.1", "CMDQ-V pairing"},
};

}  // namespace

const QemuFeature* qemu_feature(std::string_view driver, std::string_view prop, std::string_view value) {
  for (const auto& f : kFeatures) {
    if (driver == f.driver && prop == f.prop && (f.value[0] == '\0' || value == f.value)) return &f;
  }
  return nullptr;
}

std::string needs_release(std::string_view driver, std::string_view prop, std::string_view value) {
  const QemuFeature* f = qemu_feature(driver, prop, value);
  if (!f) return "";
  return std::string(": ") + f->needs + " needs QEMU >= " + f->since;
}

}  // namespace smmu
