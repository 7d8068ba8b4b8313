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

}  // namespace

std::string qemu_size(uint64_t bytes) {
  for (const auto& u : kUnits) {
    if (bytes != 0 && bytes % u.bytes == 0) return std::to_string(bytes / u.bytes) + u.qemu;
  }
  return std::to_string(bytes);
}

std::string human_size(uint64_t bytes) {
  std::string out;
  for (const auto& u : kUnits) {
    if (bytes < u.bytes) continue;
    out += (out.empty() ? "" : " + ") + std::to_string(bytes / u.bytes) + u.human;
    bytes %= u.bytes;
  }
  if (bytes != 0 || out.empty()) out += (out.empty() ? "" : " + ") + std::to_string(bytes) + " bytes";
  return out;
}

std::optional<uint64_t> pow2_ceil(uint64_t n) {
  if (n > (1ull << 63)) return std::nullopt;
  uint64_t p = 1;
  while (p < n) p <<= 1;
  return p;
}

}  // namespace smmu
