#include "common/digits.h"

namespace smmu {

std::string trim(std::string_view text) {
  const char* ws = " \t\n\r";
  auto b = text.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  auto e = text.find_last_not_of(ws);
  return std::string(text.substr(b, e - b + 1));
}

std::optional<uint64_t> parse_u64_hex(std::string_view text) {
  std::string t = trim(text);
  std::string_view v = t;
  if (has_hex_prefix(v)) v.remove_prefix(2);
  if (v.size() > 16) return std::nullopt;
  return parse_digits<uint64_t>(v, 16);
}

std::optional<int> parse_int(std::string_view text) {
  return parse_digits<int>(trim(text));
}

}  // namespace smmu
