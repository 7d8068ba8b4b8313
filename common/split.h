// Splitting a comma list of the command line ("0:0,1:1", "class=0x03,numa_node=1").
#pragma once

#include <string_view>
#include <vector>

namespace smmu {

// Every piece between separators, empty ones included: "a,,b," gives
// {"a", "", "b", ""} and "" gives {""}, so callers refuse empty items.
inline std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> out;
  for (;;) {
    size_t at = text.find(separator);
    out.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return out;
    text.remove_prefix(at + 1);
  }
}

}  // namespace smmu
