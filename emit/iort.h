// The ACPI IORT that QEMU's virt machine (11.1) builds for a guest with
// user-created arm-smmuv3 devices, as a pure function of a small model.
//
// Spec: "IO Remapping Table, Platform Design Document", ARM DEN 0049E.d
// (table revision 5, as QEMU 11.1 writes it).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/bus_range.h"
#include "common/result.h"

namespace smmu {

// One vSMMU as the guest's firmware sees it.
struct IortSmmu {
  uint64_t base = 0;        // MMIO base of the SMMUv3 register frame
  uint32_t gsiv_base = 0;   // Event GSIV; PRI = +1, Sync = +2, GERR = +3
  uint32_t identifier = 0;  // IORT node Identifier
  BusRange buses;           // the pxb's bus range routed to this SMMU
  bool accel = false;       // accel=on: QEMU adds an RMR node for the MSI window
  bool ats = false;         // sets the root complex ATS attribute
};

// The vSMMUs in creation order (the order of their -device options).
struct IortModel {
  std::vector<IortSmmu> smmus;
};

// The whole table, header included (OEM "BOCHS ", table "BXPC    ",
// creator "BXPC", revisions 1, valid checksum), byte for byte what the guest
// reads from /sys/firmware/acpi/tables/IORT.
std::vector<uint8_t> build_iort(const IortModel& model);

// ---- Decoding: the same table read back, for dumps, JSON and diffs. ----

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
  std::string oem_id, oem_table_id;
  std::vector<IortNode> nodes;
};

// A truncated or inconsistent table is an Error of `kind_on_error` (the
// caller knows whether the bytes came from a user's file or a host) whose
// message names the byte offset.
Result<IortTable> decode_iort(const std::vector<uint8_t>& bytes, ErrorKind kind_on_error);

// A readable dump, one field per line, stable for golden files.
std::string iort_to_text(const IortTable& table);
// The same fields as JSON (numbers as numbers, node types by name).
nlohmann::json iort_to_json(const IortTable& table);
// Every difference between two tables from byte 36 on, one line each,
// named by node and field ("SMMUv3 node @0x48: base 0x0c000000 != 0x0c020000").
// Empty when they are equal.
std::vector<std::string> diff_iort(const IortTable& expected, const IortTable& actual);

}  // namespace smmu
