#include "common/byte_size.h"

namespace smmu {
namespace {

struct Unit {
  uint64_t bytes;
  const char* qemu;
  const char* human;
};
constexpr Unit kUnits[] = {{kTiB, "T", " TiB"}, {kGiB, "G", " GiB"}, {kMiB, "M", " MiB"},
                           {kKiB, "K", " KiB"}};

std::string in_largest_unit(uint64_t bytes, bool human) {
  for (const auto& u : kUnits) {
    if (bytes != 0 && bytes % u.bytes == 0) {
      return std::to_string(bytes / u.bytes) + (human ? u.human : u.qemu);
    }
  }
  return std::to_string(bytes) + (human ? " bytes" : "");
}

}  // namespace

std::string qemu_size(uint64_t bytes) { return in_largest_unit(bytes, false); }
std::string human_size(uint64_t bytes) { return in_largest_unit(bytes, true); }

uint64_t pow2_ceil(uint64_t n) {
  uint64_t p = 1;
  while (p < n) p <<= 1;
  return p;
}

}  // namespace smmu
