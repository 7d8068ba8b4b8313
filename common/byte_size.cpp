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

Result<uint64_t> parse_size(std::string_view text) {
  static constexpr std::string_view kSuffixes = "KMGTPE";  // 2^10, 2^20, ... 2^60
  const std::string quoted = "size '" + std::string(text) + "'";
  std::string_view digits = text;
  unsigned shift = 0;
  if (!text.empty()) {
    char last = text.back();
    size_t unit = kSuffixes.find(last >= 'a' && last <= 'z' ? static_cast<char>(last - 'a' + 'A') : last);
    if (unit != std::string_view::npos) {
      shift = 10 * static_cast<unsigned>(unit + 1);
      digits.remove_suffix(1);
    }
  }
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) {
    return make_error(ErrorKind::Usage, quoted + ": expected a number of bytes with an optional K, M, G, "
                                                 "T, P or E suffix (binary: 512G is 512 GiB)");
  }
  uint64_t n = 0;
  for (char c : digits) {
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (n > (UINT64_MAX - d) / 10) return make_error(ErrorKind::Usage, quoted + ": 16 EiB or more");
    n = n * 10 + d;
  }
  if (shift != 0 && n > (UINT64_MAX >> shift)) return make_error(ErrorKind::Usage, quoted + ": 16 EiB or more");
  return n << shift;
}

std::optional<uint64_t> pow2_ceil(uint64_t n) {
  if (n > (1ull << 63)) return std::nullopt;
  uint64_t p = 1;
  while (p < n) p <<= 1;
  return p;
}

}  // namespace smmu
