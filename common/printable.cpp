#include "common/printable.h"

#include <algorithm>
#include <cstdio>

namespace smmu {

bool is_kernel_name(std::string_view name) {
  return !name.empty() &&
         std::all_of(name.begin(), name.end(), [](unsigned char c) { return c > 0x20 && c < 0x7f; });
}

void append_hex_escape(std::string& out, unsigned char c) {
  char buf[5];
  std::snprintf(buf, sizeof buf, "\\x%02x", c);
  out += buf;
}

std::string printable(std::string_view text, Space space) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    bool plain = (c > 0x20 && c < 0x7f && c != '\\') || (c == ' ' && space == Space::Keep);
    if (plain) {
      out += static_cast<char>(c);
    } else {
      append_hex_escape(out, c);
    }
  }
  return out;
}

}  // namespace smmu
