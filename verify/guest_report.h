// What a booted guest reports about itself: the IORT it read, which PCI
// devices sit behind which SMMU, and its PCI device list.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/bdf.h"
#include "common/result.h"

namespace smmu {

struct SmmuMapEntry {
  std::string smmu;  // guest SMMU name, "smmu3.0x000000000c000000"
  Bdf bdf;
};

struct GuestReport {
  std::vector<uint8_t> iort;                           // /sys/firmware/acpi/tables/IORT
  std::optional<std::vector<SmmuMapEntry>> smmu_map;   // /sys/class/iommu/*/devices/*
  std::optional<std::vector<Bdf>> pci;                 // /sys/bus/pci/devices
};

// "<smmu> <bdf>" lines, as `for s in /sys/class/iommu/*; do ...` prints them.
// Blank lines and "===" marker lines are skipped; anything else malformed is
// an ErrorKind::GuestReport naming the line.
Result<std::vector<SmmuMapEntry>> parse_smmu_map(const std::string& text);
// BDFs separated by any white space (one per line, or `ls` columns).
Result<std::vector<Bdf>> parse_pci_list(const std::string& text);
// A guest console log holding the test bed's marked sections
// (=== SMMU-MAP BEGIN/END, === PCI BEGIN/END, === IORT BEGIN/END with hex).
Result<GuestReport> parse_console_log(const std::string& log);

}  // namespace smmu
