#include "acpi/srat.h"

#include <string>

namespace smmu {
namespace {

constexpr size_t kHeaderSize = 36 + 12;  // ACPI table header, then 4 + 8 reserved bytes
constexpr uint8_t kGenericInitiator = 5;
constexpr size_t kGenericInitiatorSize = 32;
constexpr uint8_t kPciHandle = 1;

uint32_t le(const std::vector<uint8_t>& b, size_t at, int bytes) {
  uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | b[at + i];
  return v;
}

}  // namespace

Result<std::vector<SratGenericInitiator>> decode_srat_generic_initiators(
    const std::vector<uint8_t>& bytes, ErrorKind kind_on_error) {
  auto fail = [&](size_t at, const std::string& what) {
    return make_error(kind_on_error, "SRAT byte offset " + std::to_string(at) + ": " + what);
  };
  if (bytes.size() < kHeaderSize || std::string(bytes.begin(), bytes.begin() + 4) != "SRAT") {
    return fail(0, "not an SRAT (no \"SRAT\" header of " + std::to_string(kHeaderSize) + " bytes)");
  }
  size_t length = le(bytes, 4, 4);
  if (length > bytes.size() || length < kHeaderSize) {
    return fail(4, "length field says " + std::to_string(length) + " bytes, " +
                       std::to_string(bytes.size()) + " are present");
  }
  std::vector<SratGenericInitiator> out;
  for (size_t at = kHeaderSize; at < length;) {
    if (at + 2 > length) return fail(at, "a structure header runs past the table");
    uint8_t type = bytes[at], size = bytes[at + 1];
    if (size < 2 || at + size > length) {
      return fail(at + 1, "structure length " + std::to_string(size) + " runs past the table");
    }
    if (type == kGenericInitiator) {
      if (size < kGenericInitiatorSize) return fail(at + 1, "generic initiator structure too short");
      SratGenericInitiator gi;
      gi.pci = bytes[at + 3] == kPciHandle;
      gi.proximity_domain = le(bytes, at + 4, 4);
      if (gi.pci) {  // segment (2 bytes), then the bus byte, then the devfn byte
        uint8_t devfn = bytes[at + 11];
        gi.bdf = Bdf{le(bytes, at + 8, 2), bytes[at + 10], static_cast<uint8_t>(devfn >> 3),
                     static_cast<uint8_t>(devfn & 7)};
      }
      gi.enabled = (le(bytes, at + 24, 4) & 1) != 0;
      out.push_back(gi);
    }
    at += size;
  }
  return out;
}

}  // namespace smmu
