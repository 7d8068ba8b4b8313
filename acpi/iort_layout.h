// The IORT's fixed-size parts as packed structs, shared by build_iort() in
// emit/ (which copies them out) and decode_iort() (which copies bytes into
// them), so every field offset is written once, here.
//
// Layouts: "IO Remapping Table, Platform Design Document", ARM DEN 0049E.d.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

namespace smmu::iort_layout {

// The structs are copied to and from the table as raw bytes; ACPI is little-endian.
static_assert(std::endian::native == std::endian::little,
              "IORT structs are copied as native bytes");

#pragma pack(push, 1)

// ACPI 6.x "System Description Table Header" followed by the IORT fields
// (DEN 0049E.d, Table 2 "IORT").
struct IortHeader {
  char signature[4];
  uint32_t length;
  uint8_t revision;
  uint8_t checksum;
  char oem_id[6];
  char oem_table_id[8];
  uint32_t oem_revision;
  char creator_id[4];
  uint32_t creator_revision;
  uint32_t node_count;
  uint32_t node_array_offset;
  uint32_t reserved;
};
static_assert(sizeof(IortHeader) == 48);

// DEN 0049E.d, Table 3 "IORT node header".
struct NodeHeader {
  uint8_t type;
  uint16_t length;
  uint8_t revision;
  uint32_t identifier;
  uint32_t mapping_count;
  uint32_t mapping_array_offset;  // from the start of the node
};
static_assert(sizeof(NodeHeader) == 16);

// DEN 0049E.d, Table 4 "ID mapping format".
struct IdMapping {
  uint32_t input_base;
  uint32_t id_count;  // number of IDs minus one
  uint32_t output_base;
  uint32_t output_ref;
  uint32_t flags;
};
static_assert(sizeof(IdMapping) == 20);

// DEN 0049E.d, Table 12 "ITS Group node", with exactly one ITS.
struct ItsGroupNode {
  NodeHeader header;
  uint32_t its_count;
  uint32_t its_id;  // the first entry of the ITS identifier array
};
static_assert(sizeof(ItsGroupNode) == 24);

// DEN 0049E.d, Table 15 "SMMUv3 node", up to (not including) its ID array.
struct Smmuv3Node {
  NodeHeader header;
  uint64_t base;
  uint32_t flags;
  uint32_t reserved;
  uint64_t vatos_address;
  uint32_t model;
  uint32_t gsiv_event;
  uint32_t gsiv_pri;
  uint32_t gsiv_gerr;
  uint32_t gsiv_sync;
  uint32_t proximity_domain;
  uint32_t device_id_mapping_index;
};
static_assert(sizeof(Smmuv3Node) == 68);

// DEN 0049E.d, Table 17 "Root Complex node" (revision 3), up to its ID array.
struct RootComplexNode {
  NodeHeader header;
  uint32_t cache_coherent;        // memory access properties: CCA
  uint8_t allocation_hints;       //   AH
  uint16_t mem_access_reserved;
  uint8_t memory_access_flags;    //   MAF
  uint32_t ats_attribute;
  uint32_t pci_segment;
  uint8_t memory_address_limit;
  uint16_t pasid_capabilities;
  uint8_t reserved;
};
static_assert(sizeof(RootComplexNode) == 36);

// DEN 0049E.d, Table 18 "Reserved Memory Range node", up to its ID array.
struct RmrNode {
  NodeHeader header;
  uint32_t flags;
  uint32_t range_count;
  uint32_t range_array_offset;  // from the start of the node
};
static_assert(sizeof(RmrNode) == 28);

// DEN 0049E.d, Table 19 "Memory Range Descriptor".
struct RmrMemoryRange {
  uint64_t base;
  uint64_t length;
  uint32_t reserved;
};
static_assert(sizeof(RmrMemoryRange) == 20);

#pragma pack(pop)

// NodeHeader::type values.
constexpr uint8_t kTypeItsGroup = 0, kTypeRootComplex = 2, kTypeSmmuv3 = 4, kTypeRmr = 6;
// Smmuv3Node::flags bit 0: COHACC override.
constexpr uint32_t kSmmuFlagCohaccOverride = 1;
// IdMapping::flags bit 0: single mapping.
constexpr uint32_t kIdMappingSingle = 1;

}  // namespace smmu::iort_layout
