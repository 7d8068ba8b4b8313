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

#include "acpi/iort_table.h"
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

// A readable dump, one field per line, stable for golden files.
std::string iort_to_text(const IortTable& table);
// The same fields as JSON (numbers as numbers, node types by name).
nlohmann::json iort_to_json(const IortTable& table);
// Every difference between two tables from byte 36 on, one line each,
// named by node and field ("SMMUv3 node @0x48: base 0x0c000000 != 0x0c020000").
// Empty when they are equal.
std::vector<std::string> diff_iort(const IortTable& expected, const IortTable& actual);

}  // namespace smmu
