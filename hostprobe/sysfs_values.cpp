#include "hostprobe/sysfs_values.h"

#include "common/digits.h"

namespace smmu {
namespace {

constexpr uint64_t kIoresourceMem = 0x200;
constexpr uint64_t kIoresourcePrefetch = 0x2000;
constexpr uint64_t kIoresourceMem64 = 0x100000;

}  // namespace

std::optional<std::vector<PciBar>> parse_resource_bars(std::string_view text) {
  std::vector<PciBar> bars;
  int index = 0;
  size_t pos = 0;
  while (pos < text.size() && index < 6) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (trim(line).empty()) continue;
    uint64_t fields[3];
    for (auto& f : fields) {
      auto sp = line.find(' ');
      auto v = parse_u64_hex(line.substr(0, sp));
      if (!v) return std::nullopt;
      f = *v;
      line = sp == std::string_view::npos ? std::string_view() : line.substr(sp + 1);
    }
    auto [start, last, flags] = fields;
    // A BAR is at most 2^63 bytes (PCI's largest 64-bit BAR): a larger span
    // is no BAR, and start 0, end 2^64-1 would wrap its size to 0.
    if ((start != 0 || last != 0) && last >= start && last - start >= (1ull << 63)) return std::nullopt;
    if ((start != 0 || last != 0) && last >= start && (flags & kIoresourceMem)) {
      bars.push_back(PciBar{index, last - start + 1, (flags & kIoresourceMem64) != 0,
                            (flags & kIoresourcePrefetch) != 0});
    }
    ++index;
  }
  return bars;
}

}  // namespace smmu
