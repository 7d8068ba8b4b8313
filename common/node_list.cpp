#include "common/node_list.h"

#include <cctype>

#include "common/digits.h"
#include "common/split.h"

namespace smmu {
namespace {

// Far above any node or CPU number Linux has (arm64: at most 1024 nodes
// and 4096 CPUs), and the most numbers one list may hold in all: a list
// repeating a wide range must not cost time by its repeats.
constexpr int kMaxNumber = 1 << 16;

std::optional<int> number(std::string_view text) {
  auto v = parse_digits<int>(text);
  if (!v || *v < 0 || *v > kMaxNumber) return std::nullopt;
  return v;
}

}  // namespace

std::string node_list_text(const std::set<int>& nodes) {
  std::string out;
  for (auto it = nodes.begin(); it != nodes.end();) {
    int first = *it, last = *it;
    while (++it != nodes.end() && *it == last + 1) last = *it;
    if (!out.empty()) out += ",";
    out += std::to_string(first);
    if (last != first) out += "-" + std::to_string(last);
  }
  return out;
}

std::optional<std::set<int>> parse_node_list(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  std::set<int> out;
  if (text.empty()) return out;
  long listed = 0;
  for (std::string_view item : split(text, ',')) {
    size_t dash = item.find('-');
    auto first = number(item.substr(0, dash));
    auto last = dash == std::string_view::npos ? first : number(item.substr(dash + 1));
    if (!first || !last || *last < *first) return std::nullopt;
    listed += *last - *first + 1;
    if (listed > kMaxNumber + 1) return std::nullopt;
    for (int n = *first; n <= *last; ++n) out.insert(n);
  }
  return out;
}

}  // namespace smmu
