// An ACPI IORT as read back from its bytes: the guest's table (verify), the
// host firmware's (the probe's cross-check), ours (dumps, JSON and diffs).
//
// Spec: "IO Remapping Table, Platform Design Document", ARM DEN 0049E.d;
// fixed-size parts in acpi/iort_layout.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace smmu {

struct IortIdMapping {
  uint32_t input_base = 0;
  uint32_t id_count = 0;     // the field as stored: number of IDs minus one
  uint32_t output_base = 0;
  uint32_t output_ref = 0;   // byte offset of the target node
  uint32_t flags = 0;
};

struct IortNode {
  uint32_t offset = 0;       // byte offset of the node within the table
  uint8_t type = 0;          // 0 ITS group, 2 root complex, 4 SMMUv3, 6 RMR
  uint16_t length = 0;
  uint8_t revision = 0;
  uint32_t identifier = 0;
  std::vector<IortIdMapping> mappings;
  // ITS group
  std::vector<uint32_t> its_ids;
  // SMMUv3
  uint64_t base = 0;
  uint32_t smmu_flags = 0, model = 0;
  uint32_t gsiv_event = 0, gsiv_pri = 0, gsiv_gerr = 0, gsiv_sync = 0;
  uint32_t proximity_domain = 0, device_id_mapping_index = 0;
  // Root complex
  uint32_t cca = 0;
  uint8_t alloc_hints = 0, mem_access_flags = 0;
  uint32_t ats_attribute = 0, pci_segment = 0;
  uint8_t memory_address_limit = 0;
  // RMR
  uint32_t rmr_flags = 0;
  struct MemoryRange { uint64_t base = 0, length = 0; };
  std::vector<MemoryRange> rmr_ranges;
};

struct IortTable {
  uint32_t length = 0;
  uint8_t revision = 0;
  std::string oem_id, oem_table_id;  // as text: other than printable ASCII as \xNN
  std::vector<IortNode> nodes;
};

// A truncated or inconsistent table is an Error of `kind_on_error` (the
// caller knows whether the bytes came from a user's file or a host) whose
// message names the byte offset.
Result<IortTable> decode_iort(const std::vector<uint8_t>& bytes, ErrorKind kind_on_error);

}  // namespace smmu
