#include "common/bdf.h"

#include <cstdio>

namespace smmu {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Parses exactly `digits` hex digits at text[pos..].
bool take_hex(std::string_view text, size_t pos, size_t digits, uint32_t& out) {
  if (pos + digits > text.size()) return false;
  out = 0;
  for (size_t i = 0; i < digits; ++i) {
    int v = hex_value(text[pos + i]);
    if (v < 0) return false;
    out = out << 4 | static_cast<uint32_t>(v);
  }
  return true;
}

}  // namespace

std::string Bdf::str() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04x:%02x:%02x.%x", domain, bus, device, function);
  return buf;
}

Result<Bdf> parse_bdf(std::string_view text) {
  auto bad = [&] {
    return make_error(ErrorKind::Usage, "malformed PCI address '" + std::string(text) +
                                            "': expected DDDD:BB:DD.F (e.g. 0009:01:00.0)");
  };
  uint32_t domain = 0, bus = 0, dev = 0, fn = 0;
  size_t pos = 0;
  if (text.size() == 12) {
    if (!take_hex(text, 0, 4, domain) || text[4] != ':') return bad();
    pos = 5;
  } else if (text.size() != 7) {
    return bad();
  }
  if (!take_hex(text, pos, 2, bus) || text[pos + 2] != ':' ||
      !take_hex(text, pos + 3, 2, dev) || text[pos + 5] != '.' ||
      !take_hex(text, pos + 6, 1, fn)) {
    return bad();
  }
  if (dev > 31 || fn > 7) return bad();
  return Bdf{domain, static_cast<uint8_t>(bus), static_cast<uint8_t>(dev),
             static_cast<uint8_t>(fn)};
}

}  // namespace smmu
