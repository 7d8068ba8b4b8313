// build_iort(): the IORT QEMU 11.1's virt machine writes for user-created
// arm-smmuv3 devices (hw/arm/virt-acpi-build.c, build_iort()).
//
// Layouts: acpi/iort_layout.h (ARM DEN 0049E.d).
#include "emit/iort.h"
#include "acpi/iort_layout.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <type_traits>

namespace smmu {
namespace {

using namespace iort_layout;

constexpr uint32_t kItsGroupOffset = sizeof(IortHeader);  // the first node
constexpr uint32_t kSmmuv3NodeLength = sizeof(Smmuv3Node) + sizeof(IdMapping);
constexpr uint32_t kRmrNodeLength = sizeof(RmrNode) + sizeof(IdMapping) + sizeof(RmrMemoryRange);
// The host SMMUv3 driver's MSI doorbell IOVA window (MSI_IOVA_BASE/LENGTH).
constexpr uint64_t kMsiIovaBase = 0x08000000, kMsiIovaLength = 0x100000;

// The struct's bytes as they are (packed, little-endian: see iort_layout.h).
template <typename T>
void append(std::vector<uint8_t>& out, const T& value) {
  static_assert(std::is_trivially_copyable_v<T>);
  const auto* bytes = reinterpret_cast<const uint8_t*>(&value);
  out.insert(out.end(), bytes, bytes + sizeof(T));
}

NodeHeader node_header(uint8_t type, uint32_t length, uint8_t revision, uint32_t identifier,
                       uint32_t mapping_count, uint32_t mapping_array_offset) {
  return NodeHeader{type, uint16_t(length), revision, identifier, mapping_count,
                    mapping_count ? mapping_array_offset : 0};
}

// An identity mapping of `count` IDs from `first` to the node at `output_ref`.
IdMapping identity_mapping(uint32_t first, uint32_t count, uint32_t output_ref, uint32_t flags) {
  return IdMapping{first, count - 1, first, output_ref, flags};
}

uint32_t first_rid(const BusRange& r) { return uint32_t(r.first) << 8; }
uint32_t rid_count(const BusRange& r) { return r.count() << 8; }

// The SMMUs as QEMU lays them out: ordered by their first bus.
std::vector<const IortSmmu*> in_bus_order(const IortModel& model) {
  std::vector<const IortSmmu*> out;
  for (const auto& s : model.smmus) out.push_back(&s);
  std::stable_sort(out.begin(), out.end(), [](const IortSmmu* a, const IortSmmu* b) {
    return a->buses.first < b->buses.first;
  });
  return out;
}

// The root complex's mappings: each SMMU's RIDs to that SMMU, then every
// gap of the RID space to the ITS group. Ranges must not overlap.
std::vector<IdMapping> root_complex_mappings(const std::vector<const IortSmmu*>& smmus,
                                             const std::vector<uint32_t>& smmu_offsets) {
  std::vector<IdMapping> out;
  for (size_t i = 0; i < smmus.size(); ++i)
    out.push_back(identity_mapping(first_rid(smmus[i]->buses), rid_count(smmus[i]->buses),
                                   smmu_offsets[i], 0));
  uint32_t next = 0;  // first RID not yet routed
  for (const IortSmmu* s : smmus) {
    if (first_rid(s->buses) > next)
      out.push_back(identity_mapping(next, first_rid(s->buses) - next, kItsGroupOffset, 0));
    next = std::max(next, first_rid(s->buses) + rid_count(s->buses));
  }
  if (next < 0x10000) out.push_back(identity_mapping(next, 0x10000 - next, kItsGroupOffset, 0));
  return out;
}

void append_its_group(std::vector<uint8_t>& out) {
  append(out, ItsGroupNode{node_header(kTypeItsGroup, sizeof(ItsGroupNode), 1, 0, 0, 0), 1, 0});
}

void append_smmuv3(std::vector<uint8_t>& out, const IortSmmu& s) {
  Smmuv3Node node{};
  node.header = node_header(kTypeSmmuv3, kSmmuv3NodeLength, 4, s.identifier, 1, sizeof(Smmuv3Node));
  node.base = s.base;
  node.flags = kSmmuFlagCohaccOverride;
  node.gsiv_event = s.gsiv_base;
  node.gsiv_pri = s.gsiv_base + 1;
  node.gsiv_gerr = s.gsiv_base + 3;
  node.gsiv_sync = s.gsiv_base + 2;
  append(out, node);
  // Every StreamID the SMMU emits goes to the ITS unchanged (MSIs).
  append(out, identity_mapping(0, 0x10000, kItsGroupOffset, 0));
}

void append_root_complex(std::vector<uint8_t>& out, uint32_t identifier, bool ats,
                         const std::vector<IdMapping>& mappings) {
  RootComplexNode node{};
  const uint32_t length = sizeof(RootComplexNode) + sizeof(IdMapping) * mappings.size();
  node.header = node_header(kTypeRootComplex, length, 3, identifier, uint32_t(mappings.size()),
                            sizeof(RootComplexNode));
  node.cache_coherent = 1;
  node.memory_access_flags = 3;  // CPM | DACS
  node.ats_attribute = ats ? 1 : 0;
  node.memory_address_limit = 64;
  append(out, node);
  for (const auto& m : mappings) append(out, m);
}

void append_rmr(std::vector<uint8_t>& out, uint32_t identifier, const IortSmmu& s,
                uint32_t smmu_offset) {
  RmrNode node{};
  node.header = node_header(kTypeRmr, kRmrNodeLength, 3, identifier, 1, sizeof(RmrNode));
  node.range_count = 1;
  node.range_array_offset = sizeof(RmrNode) + sizeof(IdMapping);
  append(out, node);
  append(out, identity_mapping(first_rid(s.buses), rid_count(s.buses), smmu_offset,
                               kIdMappingSingle));
  append(out, RmrMemoryRange{kMsiIovaBase, kMsiIovaLength, 0});
}

void finish_header(std::vector<uint8_t>& out, uint32_t node_count) {
  IortHeader h{};
  std::memcpy(h.signature, "IORT", 4);
  h.length = uint32_t(out.size());
  h.revision = 5;
  std::memcpy(h.oem_id, "BOCHS ", 6);
  std::memcpy(h.oem_table_id, "BXPC    ", 8);
  h.oem_revision = 1;
  std::memcpy(h.creator_id, "BXPC", 4);
  h.creator_revision = 1;
  h.node_count = node_count;
  h.node_array_offset = kItsGroupOffset;
  std::memcpy(out.data(), &h, sizeof h);
  const unsigned sum = std::accumulate(out.begin(), out.end(), 0u);
  out[offsetof(IortHeader, checksum)] = uint8_t(-sum);
}

}  // namespace

std::vector<uint8_t> build_iort(const IortModel& model) {
  const auto smmus = in_bus_order(model);
  std::vector<uint8_t> out(sizeof(IortHeader));

  append_its_group(out);
  std::vector<uint32_t> smmu_offsets;
  for (const IortSmmu* s : smmus) {
    smmu_offsets.push_back(uint32_t(out.size()));
    append_smmuv3(out, *s);
  }

  // Identifiers after the SMMUs': the root complex, then the RMR nodes.
  uint32_t next_identifier = uint32_t(smmus.size()) + 1;
  const bool ats = std::any_of(smmus.begin(), smmus.end(), [](auto* s) { return s->ats; });
  append_root_complex(out, next_identifier++, ats, root_complex_mappings(smmus, smmu_offsets));

  uint32_t rmr_count = 0;
  for (size_t i = 0; i < smmus.size(); ++i) {
    if (!smmus[i]->accel) continue;
    append_rmr(out, next_identifier++, *smmus[i], smmu_offsets[i]);
    ++rmr_count;
  }

  finish_header(out, uint32_t(2 + smmus.size() + rmr_count));
  return out;
}

}  // namespace smmu
