// A PCI address: domain (segment), bus, device, function.
#pragma once

#include <cstdint>
#include <compare>
#include <string>
#include <string_view>

#include "common/result.h"

namespace smmu {

struct Bdf {
  uint32_t domain = 0;  // 16 bits in practice; Linux prints 4 hex digits
  uint8_t bus = 0;
  uint8_t device = 0;   // 0..31
  uint8_t function = 0; // 0..7

  auto operator<=>(const Bdf&) const = default;
  bool operator==(const Bdf&) const = default;

  // "dddd:bb:dd.f", lower case, as sysfs names devices.
  std::string str() const;
  // Requester ID within the domain: bus << 8 | devfn.
  uint16_t rid() const { return static_cast<uint16_t>(bus << 8 | device << 3 | function); }
};

// Accepts "dddd:bb:dd.f" and the lspci short form "bb:dd.f" (domain 0000),
// in either case. Anything else is a Usage error naming the text.
Result<Bdf> parse_bdf(std::string_view text);

}  // namespace smmu
