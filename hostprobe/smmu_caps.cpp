#include "hostprobe/smmu_caps.h"

namespace smmu {
namespace {

constexpr bool bit(uint32_t reg, unsigned n) { return (reg >> n) & 1u; }
constexpr unsigned field(uint32_t reg, unsigned lsb, unsigned width) {
  return (reg >> lsb) & ((1u << width) - 1u);
}

}  // namespace

unsigned oas_field_bits(unsigned field_value) {
  static constexpr unsigned kBits[8] = {32, 36, 40, 42, 44, 48, 52, 56};
  return kBits[field_value & 7u];
}

SmmuCaps decode_smmu_caps(const IommuHwInfo& info) {
  const auto& idr = info.idr;
  SmmuCaps c;
  c.arch_minor = field(info.aidr, 0, 4);
  c.s2p = bit(idr[0], 0);
  c.s1p = bit(idr[0], 1);
  c.ats = bit(idr[0], 10);
  c.sidsize = field(idr[1], 0, 6);
  c.ssidsize = field(idr[1], 6, 5);
  c.ril = bit(idr[3], 10);
  c.oas_bits = oas_field_bits(field(idr[5], 0, 3));
  c.gran4k = bit(idr[5], 4);
  c.gran16k = bit(idr[5], 5);
  c.gran64k = bit(idr[5], 6);
  c.cmdqv = info.cmdqv;
  return c;
}

}  // namespace smmu
