// An inclusive range of PCI bus numbers in the guest's single domain.
#pragma once

#include <cstdint>
#include <compare>

namespace smmu {

struct BusRange {
  uint8_t first = 0;
  uint8_t last = 0;  // inclusive; first <= last

  unsigned count() const { return unsigned(last) - first + 1; }
  bool overlaps(const BusRange& o) const { return first <= o.last && o.first <= last; }
  bool contains(unsigned bus) const { return bus >= first && bus <= last; }
  auto operator<=>(const BusRange&) const = default;
  bool operator==(const BusRange&) const = default;
};

}  // namespace smmu
