// Linux's list format for sets of small numbers (NUMA nodes, CPUs), as
// /sys/devices/system/node/* and libvirt's cpus= write them: "0-3,8,10-11".
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace smmu {

// Ascending, runs of consecutive numbers as "first-last"; "" for none.
std::string node_list_text(const std::set<int>& nodes);

// The numbers of such a list (white space around it ignored); nullopt when
// it is malformed. "" is the empty set.
std::optional<std::set<int>> parse_node_list(std::string_view text);

}  // namespace smmu
