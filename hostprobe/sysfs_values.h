// Parsing of the small text values sysfs attributes hold.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hostprobe/inventory.h"

namespace smmu {

// Without surrounding white space (sysfs values end in "\n").
std::string trim(std::string_view text);
// "0x10de\n" or "10de": a hex number; nullopt for anything else.
std::optional<uint64_t> parse_u64_hex(std::string_view text);
// "-1\n", "12": a decimal int; nullopt for anything else.
std::optional<int> parse_int(std::string_view text);
// The `resource` file: one "start end flags" line per resource; the first six
// are BARs 0..5. Returns the BARs in use; nullopt when a line is malformed
// or spans more than 2^63 bytes.
std::optional<std::vector<PciBar>> parse_resource_bars(std::string_view text);

}  // namespace smmu
