// What a booted guest reports about itself: the IORT it read, which PCI
// devices sit behind which SMMU, and its PCI device list; for GPU plans its
// SRAT, the NUMA nodes its kernel took as generic initiators, and the 64-bit
// prefetchable windows firmware gave its bridges.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/bdf.h"
#include "common/result.h"

namespace smmu {

struct SmmuMapEntry {
  std::string smmu;  // guest SMMU name, "smmu3.0x000000000c000000"
  Bdf bdf;
};

struct GuestNuma {
  std::set<int> generic_initiators;  // /sys/devices/system/node/has_generic_initiator
  std::optional<int> max_nodes;      // the guest kernel's MAX_NUMNODES, when known
};

// A bridge's 64-bit prefetchable window as firmware programmed it: the
// guest kernel's first read of it at enumeration. (Linux then sizes bridge
// windows anew for what sits behind them, as QEMU's pxbs do not ask it to
// keep firmware's, so /sys shows less than the reserve.)
struct BridgeWindow {
  Bdf bdf;
  uint64_t start = 0, end = 0;  // inclusive
};

struct GuestReport {
  std::vector<uint8_t> iort;                           // /sys/firmware/acpi/tables/IORT
  std::optional<std::vector<SmmuMapEntry>> smmu_map;   // /sys/class/iommu/*/devices/*
  std::optional<std::vector<Bdf>> pci;                 // /sys/bus/pci/devices
  std::optional<std::vector<uint8_t>> srat;            // /sys/firmware/acpi/tables/SRAT; empty: none
  std::optional<GuestNuma> numa;
  std::optional<std::vector<BridgeWindow>> bridge_windows;
};

// Larger report files are refused, and read no further: a guest's IORT and
// SRAT take a few KiB, its device lists a few dozen bytes a device.
constexpr size_t kMaxGuestReportBytes = 1 << 20;
// A whole console log holds the kernel's boot messages and firmware's too.
constexpr size_t kMaxConsoleLogBytes = 16 << 20;

// "<smmu> <bdf>" lines, as `for s in /sys/class/iommu/*; do ...` prints them.
// Blank lines and "===" marker lines are skipped; anything else malformed is
// an ErrorKind::GuestReport naming the line.
Result<std::vector<SmmuMapEntry>> parse_smmu_map(const std::string& text);
// BDFs separated by any white space (one per line, or `ls` columns).
Result<std::vector<Bdf>> parse_pci_list(const std::string& text);
// "has_generic_initiator <node list>" and "max_nodes <n>" lines (either may
// be missing; an empty list is no node).
Result<GuestNuma> parse_guest_numa(const std::string& text);
// "<bdf> <start> <end>" lines, addresses in hex.
Result<std::vector<BridgeWindow>> parse_bridge_windows(const std::string& text);
// A guest console log holding the test bed's marked sections
// (=== SMMU-MAP BEGIN/END, === PCI BEGIN/END, === IORT BEGIN/END with hex;
// === SRAT, === NUMA and === BRIDGE-WINDOWS likewise, each optional).
Result<GuestReport> parse_console_log(const std::string& log);

// The names of the report sections a console log holds, as its markers spell them.
const std::vector<std::string>& console_section_names();
// Section `name` of a console log as the file verify's matching --guest-*
// option reads: IORT and SRAT as the table's bytes (its hex dump decoded), the
// others as their lines, without carriage returns, trailing blanks and blank
// lines. Each is checked by the parser parse_console_log uses; a name not in
// console_section_names(), a section the log lacks, or one its parser refuses
// is an ErrorKind::GuestReport.
Result<std::string> console_section_file(const std::string& log, const std::string& name);

}  // namespace smmu
