// Parsing of the small text values sysfs attributes hold (the numbers
// among them: common/digits.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/digits.h"  // trim, parse_u64_hex, parse_int
#include "hostprobe/inventory.h"

namespace smmu {

// The `resource` file: one "start end flags" line per resource; the first six
// are BARs 0..5. Returns the BARs in use; nullopt when a line is malformed
// or spans more than 2^63 bytes.
std::optional<std::vector<PciBar>> parse_resource_bars(std::string_view text);

}  // namespace smmu
