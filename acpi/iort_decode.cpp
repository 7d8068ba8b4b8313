// decode_iort(): read an IORT back into IortTable, checking every length and
// offset against the bytes present before copying a part into its struct.
//
// Layouts: acpi/iort_layout.h (ARM DEN 0049E.d).
#include "acpi/iort_table.h"
#include "acpi/iort_layout.h"

#include <cstring>
#include <optional>
#include <set>

#include "common/hex.h"
#include "common/printable.h"

namespace smmu {
namespace {

using namespace iort_layout;

constexpr size_t kItsCountAt = offsetof(ItsGroupNode, its_count);
constexpr size_t kItsIdsAt = offsetof(ItsGroupNode, its_id);  // the ITS identifier array
constexpr size_t kItsIdSize = sizeof(ItsGroupNode::its_id);
// A root complex node is read through its memory address size limit.
constexpr size_t kRootComplexMinSize = offsetof(RootComplexNode, memory_address_limit) +
                                       sizeof(RootComplexNode::memory_address_limit);

class Decoder {
 public:
  Decoder(const std::vector<uint8_t>& bytes, ErrorKind kind) : bytes_(bytes), kind_(kind) {}

  Result<IortTable> run() {
    IortHeader h;
    if (auto e = header(h)) return *e;
    size_t at = h.node_array_offset;
    if (h.node_count > 0 && (at < sizeof(IortHeader) || at >= table_.length))
      return fail(offsetof(IortHeader, node_array_offset),
                  "node array offset " + hex(at) + " is outside the table (length " +
                      hex(table_.length) + ")");
    for (uint32_t i = 0; i < h.node_count; ++i) {
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

  // A copy of the T at byte `at`, whose bytes the caller has bounds-checked.
  // Only the first `size` bytes are copied; the rest stay zero.
  template <typename T>
  T read(size_t at, size_t size = sizeof(T)) const {
    T value{};
    std::memcpy(&value, bytes_.data() + at, size);
    return value;
  }

  std::optional<Error> header(IortHeader& h) {
    if (bytes_.size() < sizeof(IortHeader))
      return fail(bytes_.size(), "truncated: the IORT header needs " +
                                     std::to_string(sizeof(IortHeader)) + " bytes, got " +
                                     std::to_string(bytes_.size()));
    h = read<IortHeader>(0);
    if (std::string(h.signature, sizeof h.signature) != "IORT")
      return fail(offsetof(IortHeader, signature), "signature is not \"IORT\"");
    table_.length = h.length;
    if (table_.length > bytes_.size())
      return fail(offsetof(IortHeader, length),
                  "length field says " + std::to_string(table_.length) + " bytes but only " +
                      std::to_string(bytes_.size()) + " are present");
    if (table_.length < sizeof(IortHeader))
      return fail(offsetof(IortHeader, length), "length field " +
                                                    std::to_string(table_.length) +
                                                    " is shorter than the IORT header");
    table_.revision = h.revision;
    // ACPI IDs are ASCII padded with spaces; anything else is kept as \xNN
    // so every dump of a foreign table stays text (and valid JSON).
    table_.oem_id = printable({h.oem_id, sizeof h.oem_id}, Space::Keep);
    table_.oem_table_id = printable({h.oem_table_id, sizeof h.oem_table_id}, Space::Keep);
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
    if (at + sizeof(NodeHeader) > table_.length)
      return fail(at, "node header runs past the end of the table (length " +
                          hex(table_.length) + ")");
    const auto h = read<NodeHeader>(at);
    n.offset = uint32_t(at);
    n.type = h.type;
    n.length = h.length;
    n.revision = h.revision;
    n.identifier = h.identifier;
    const size_t length_at = at + offsetof(NodeHeader, length);
    if (n.length < sizeof(NodeHeader))
      return fail(length_at, "node length " + std::to_string(n.length) +
                                 " is shorter than a node header");
    if (at + n.length > table_.length)
      return fail(length_at, "node length " + std::to_string(n.length) +
                                 " runs past the end of the table (length " +
                                 hex(table_.length) + ")");
    switch (n.type) {
      case kTypeItsGroup: return its_group(n, h);
      case kTypeRootComplex: return root_complex(n, h);
      case kTypeSmmuv3: return smmuv3(n, h);
      case kTypeRmr: return rmr(n, h);
      default: return std::nullopt;  // unknown: header fields only
    }
  }

  std::optional<Error> mappings(IortNode& n, const NodeHeader& h) {
    const uint32_t count = h.mapping_count, ref = h.mapping_array_offset;
    if (count == 0) return std::nullopt;
    if (ref < sizeof(NodeHeader))
      return fail(n.offset + offsetof(NodeHeader, mapping_array_offset),
                  "ID array offset " + hex(ref) + " overlaps the node header");
    if (auto e = need(n, ref, uint64_t(count) * sizeof(IdMapping),
                      std::to_string(count) + " ID mappings at " + hex(ref)))
      return e;
    for (uint32_t i = 0; i < count; ++i) {
      const size_t at = n.offset + ref + i * sizeof(IdMapping);
      const auto m = read<IdMapping>(at);
      n.mappings.push_back(
          IortIdMapping{m.input_base, m.id_count, m.output_base, m.output_ref, m.flags});
      mapping_offsets_.push_back(at);
    }
    return std::nullopt;
  }

  std::optional<Error> its_group(IortNode& n, const NodeHeader& h) {
    if (auto e = need(n, kItsCountAt, sizeof(ItsGroupNode::its_count), "ITS count")) return e;
    const uint32_t count = read<ItsGroupNode>(n.offset, kItsIdsAt).its_count;
    if (auto e = need(n, kItsIdsAt, uint64_t(count) * kItsIdSize,
                      std::to_string(count) + " ITS identifiers"))
      return e;
    for (uint32_t i = 0; i < count; ++i)
      n.its_ids.push_back(read<uint32_t>(n.offset + kItsIdsAt + i * kItsIdSize));
    return mappings(n, h);
  }

  std::optional<Error> smmuv3(IortNode& n, const NodeHeader& h) {
    if (auto e = need(n, 0, sizeof(Smmuv3Node), "SMMUv3 fields")) return e;
    const auto s = read<Smmuv3Node>(n.offset);
    n.base = s.base;
    n.smmu_flags = s.flags;
    n.model = s.model;
    n.gsiv_event = s.gsiv_event;
    n.gsiv_pri = s.gsiv_pri;
    n.gsiv_gerr = s.gsiv_gerr;
    n.gsiv_sync = s.gsiv_sync;
    n.proximity_domain = s.proximity_domain;
    n.device_id_mapping_index = s.device_id_mapping_index;
    return mappings(n, h);
  }

  std::optional<Error> root_complex(IortNode& n, const NodeHeader& h) {
    if (auto e = need(n, 0, kRootComplexMinSize, "root complex fields")) return e;
    const auto r = read<RootComplexNode>(n.offset, kRootComplexMinSize);
    n.cca = r.cache_coherent;
    n.alloc_hints = r.allocation_hints;
    n.mem_access_flags = r.memory_access_flags;
    n.ats_attribute = r.ats_attribute;
    n.pci_segment = r.pci_segment;
    n.memory_address_limit = r.memory_address_limit;
    return mappings(n, h);
  }

  std::optional<Error> rmr(IortNode& n, const NodeHeader& h) {
    if (auto e = need(n, 0, sizeof(RmrNode), "RMR fields")) return e;
    const auto r = read<RmrNode>(n.offset);
    n.rmr_flags = r.flags;
    const uint32_t count = r.range_count, ref = r.range_array_offset;
    if (count == 0) return mappings(n, h);
    if (ref < sizeof(RmrNode))
      return fail(n.offset + offsetof(RmrNode, range_array_offset),
                  "memory range array offset " + hex(ref) + " overlaps the RMR fields");
    if (auto e = need(n, ref, uint64_t(count) * sizeof(RmrMemoryRange),
                      std::to_string(count) + " memory range descriptors at " + hex(ref)))
      return e;
    for (uint32_t i = 0; i < count; ++i) {
      const auto range = read<RmrMemoryRange>(n.offset + ref + i * sizeof(RmrMemoryRange));
      n.rmr_ranges.push_back({range.base, range.length});
    }
    return mappings(n, h);
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
          return fail(at + offsetof(IdMapping, output_ref),
                      "ID mapping output reference " + hex(m.output_ref) +
                          " is not the offset of any node");
      }
    }
    return std::nullopt;
  }

  const std::vector<uint8_t>& bytes_;
  ErrorKind kind_;
  IortTable table_;
  std::vector<size_t> mapping_offsets_;  // byte offset of each decoded mapping, in order
};

}  // namespace

Result<IortTable> decode_iort(const std::vector<uint8_t>& bytes, ErrorKind kind_on_error) {
  return Decoder(bytes, kind_on_error).run();
}

}  // namespace smmu
