// The QEMU release that brought each property smmu-plan may emit, and what
// the guest loses without it: the words of a refusal when the target QEMU
// lacks one (docs/qemu.md, Versions, gives each release with its source).
#pragma once

#include <string>
#include <string_view>

namespace smmu {

struct QemuFeature {
  const char* driver;  // "arm-smmuv3"; "virt" for a machine property
  const char* prop;    // "" for the driver itself
  const char* value;   // "" for any value; "auto" when only that value is newer
  const char* since;   // "11.1"
  const char* needs;   // "CMDQ-V", what the plan uses it for
};

// The entry for `driver` / `prop` / `value`, most specific first (a
// value's entry before its property's); nullptr when there is none.
const QemuFeature* qemu_feature(std::string_view driver, std::string_view prop, std::string_view value);

// ": CMDQ-V needs QEMU >= 11.1", or "" when the table has no entry.
std::string needs_release(std::string_view driver, std::string_view prop, std::string_view value);

}  // namespace smmu
