// decode_iort(): read an IORT back into IortTable, checking every length and
// offset against the bytes present before reading through it.
//
// Layouts: "IO Remapping Table, Platform Design Document", ARM DEN 0049E.d.
#include "emit/iort.h"

#include <cstdio>
#include <optional>
#include <set>

namespace smmu {
namespace {

constexpr size_t kIortHeaderSize = 48;  // ACPI header + node count, offset, reserved
constexpr size_t kNodeHeaderSize = 16;
constexpr size_t kIdMappingSize = 20;
constexpr size_t kSmmuv3FixedSize = 68;
constexpr size_t kRootComplexMinSize = 33;  // through the memory address size limit
constexpr size_t kRmrFixedSize = 28;
constexpr size_t kRmrRangeSize = 20;

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

// Little-endian reads from a span that has already been bounds-checked.
class Bytes {
 public:
  explicit Bytes(const std::vector<uint8_t>& b) : b_(b) {}
  uint64_t le(size_t at, size_t width) const {
    uint64_t v = 0;
    for (size_t i = width; i-- > 0;) v = (v << 8) | b_[at + i];
    return v;
  }
  uint8_t u8(size_t at) const { return b_[at]; }
  uint16_t u16(size_t at) const { return uint16_t(le(at, 2)); }
  uint32_t u32(size_t at) const { return uint32_t(le(at, 4)); }
  uint64_t u64(size_t at) const { return le(at, 8); }
  std::string str(size_t at, size_t n) const {
    return std::string(b_.begin() + long(at), b_.begin() + long(at + n));
  }

 private:
  const std::vector<uint8_t>& b_;
};

class Decoder {
 public:
  Decoder(const std::vector<uint8_t>& bytes, ErrorKind kind)
      : bytes_(bytes), in_(bytes), kind_(kind) {}

  Result<IortTable> run() {
    if (auto e = header()) return *e;
    size_t at = in_.u32(40);
    const uint32_t count = in_.u32(36);
    if (count > 0 && (at < kIortHeaderSize || at >= table_.length))
      return fail(40, "node array offset " + hex(at) + " is outside the table (length " +
                          hex(table_.length) + ")");
    for (uint32_t i = 0; i < count; ++i) {
      IortNode node;
      if (auto e = node_at(at, node)) return *e;
      at += node.length;
      table_.nodes.push_back(std::move(node));
    }
    if (auto e = check_references()) return *e;
    return std::move(table_);
  }

 private:
  Error fail(size_t at, const std::string& what) const {
    return make_error(kind_, "IORT byte offset " + hex(at) + ": " + what);
  }

  std::optional<Error> header() {
    if (bytes_.size() < kIortHeaderSize)
      return fail(bytes_.size(), "truncated: the IORT header needs " +
                                     std::to_string(kIortHeaderSize) + " bytes, got " +
                                     std::to_string(bytes_.size()));
    if (in_.str(0, 4) != "IORT") return fail(0, "signature is not \"IORT\"");
    table_.length = in_.u32(4);
    if (table_.length > bytes_.size())
      return fail(4, "length field says " + std::to_string(table_.length) + " bytes but only " +
                         std::to_string(bytes_.size()) + " are present");
    if (table_.length < kIortHeaderSize)
      return fail(4, "length field " + std::to_string(table_.length) +
                         " is shorter than the IORT header");
    table_.revision = in_.u8(8);
    table_.oem_id = in_.str(10, 6);
    table_.oem_table_id = in_.str(16, 8);
    return std::nullopt;
  }

  // Checks that [node + from, node + from + size) lies within the node.
  std::optional<Error> need(const IortNode& n, uint64_t from, uint64_t size,
                            const std::string& what) const {
    if (from + size > n.length)
      return fail(n.offset + from, what + " runs past the end of the node at " + hex(n.offset) +
                                       " (length " + std::to_string(n.length) + ")");
    return std::nullopt;
  }

  std::optional<Error> node_at(size_t at, IortNode& n) {
    if (at + kNodeHeaderSize > table_.length)
      return fail(at, "node header runs past the end of the table (length " +
                          hex(table_.length) + ")");
    n.offset = uint32_t(at);
    n.type = in_.u8(at);
    n.length = in_.u16(at + 1);
    n.revision = in_.u8(at + 3);
    n.identifier = in_.u32(at + 4);
    if (n.length < kNodeHeaderSize)
      return fail(at + 1, "node length " + std::to_string(n.length) +
                              " is shorter than a node header");
    if (at + n.length > table_.length)
      return fail(at + 1, "node length " + std::to_string(n.length) +
                              " runs past the end of the table (length " + hex(table_.length) +
                              ")");
    switch (n.type) {
      case 0: return its_group(n);
      case 2: return root_complex(n);
      case 4: return smmuv3(n);
      case 6: return rmr(n);
      default: return std::nullopt;  // unknown: header fields only
    }
  }

  std::optional<Error> mappings(IortNode& n) {
    const uint32_t count = in_.u32(n.offset + 8);
    const uint32_t ref = in_.u32(n.offset + 12);
    if (count == 0) return std::nullopt;
    if (ref < kNodeHeaderSize)
      return fail(n.offset + 12, "ID array offset " + hex(ref) + " overlaps the node header");
    if (auto e = need(n, ref, uint64_t(count) * kIdMappingSize,
                      std::to_string(count) + " ID mappings at " + hex(ref)))
      return e;
    for (uint32_t i = 0; i < count; ++i) {
      const size_t at = n.offset + ref + i * kIdMappingSize;
      n.mappings.push_back(IortIdMapping{in_.u32(at), in_.u32(at + 4), in_.u32(at + 8),
                                         in_.u32(at + 12), in_.u32(at + 16)});
      mapping_offsets_.push_back(at);
    }
    return std::nullopt;
  }

  std::optional<Error> its_group(IortNode& n) {
    if (auto e = need(n, 16, 4, "ITS count")) return e;
    const uint32_t count = in_.u32(n.offset + 16);
    if (auto e = need(n, 20, uint64_t(count) * 4, std::to_string(count) + " ITS identifiers"))
      return e;
    for (uint32_t i = 0; i < count; ++i) n.its_ids.push_back(in_.u32(n.offset + 20 + 4 * i));
    return mappings(n);
  }

  std::optional<Error> smmuv3(IortNode& n) {
    if (auto e = need(n, 0, kSmmuv3FixedSize, "SMMUv3 fields")) return e;
    const size_t at = n.offset;
    n.base = in_.u64(at + 16);
    n.smmu_flags = in_.u32(at + 24);
    n.model = in_.u32(at + 40);
    n.gsiv_event = in_.u32(at + 44);
    n.gsiv_pri = in_.u32(at + 48);
    n.gsiv_gerr = in_.u32(at + 52);
    n.gsiv_sync = in_.u32(at + 56);
    n.proximity_domain = in_.u32(at + 60);
    n.device_id_mapping_index = in_.u32(at + 64);
    return mappings(n);
  }

  std::optional<Error> root_complex(IortNode& n) {
    if (auto e = need(n, 0, kRootComplexMinSize, "root complex fields")) return e;
    const size_t at = n.offset;
    n.cca = in_.u32(at + 16);
    n.alloc_hints = in_.u8(at + 20);
    n.mem_access_flags = in_.u8(at + 23);
    n.ats_attribute = in_.u32(at + 24);
    n.pci_segment = in_.u32(at + 28);
    n.memory_address_limit = in_.u8(at + 32);
    return mappings(n);
  }

  std::optional<Error> rmr(IortNode& n) {
    if (auto e = need(n, 0, kRmrFixedSize, "RMR fields")) return e;
    n.rmr_flags = in_.u32(n.offset + 16);
    const uint32_t count = in_.u32(n.offset + 20);
    const uint32_t ref = in_.u32(n.offset + 24);
    if (count == 0) return mappings(n);
    if (ref < kRmrFixedSize)
      return fail(n.offset + 24, "memory range array offset " + hex(ref) + " overlaps the RMR fields");
    if (auto e = need(n, ref, uint64_t(count) * kRmrRangeSize,
                      std::to_string(count) + " memory range descriptors at " + hex(ref)))
      return e;
    for (uint32_t i = 0; i < count; ++i) {
      const size_t at = n.offset + ref + i * kRmrRangeSize;
      n.rmr_ranges.push_back({in_.u64(at), in_.u64(at + 8)});
    }
    return mappings(n);
  }

  // Every ID mapping must point at the start of a node.
  std::optional<Error> check_references() const {
    std::set<uint32_t> starts;
    for (const auto& n : table_.nodes) starts.insert(n.offset);
    size_t k = 0;
    for (const auto& n : table_.nodes) {
      for (const auto& m : n.mappings) {
        const size_t at = mapping_offsets_[k++];
        if (!starts.count(m.output_ref))
          return fail(at + 12, "ID mapping output reference " + hex(m.output_ref) +
                                   " is not the offset of any node");
      }
    }
    return std::nullopt;
  }

  const std::vector<uint8_t>& bytes_;
  Bytes in_;
  ErrorKind kind_;
  IortTable table_;
  std::vector<size_t> mapping_offsets_;  // byte offset of each decoded mapping, in order
};

}  // namespace

Result<IortTable> decode_iort(const std::vector<uint8_t>& bytes, ErrorKind kind_on_error) {
  return Decoder(bytes, kind_on_error).run();
}

}  // namespace smmu
