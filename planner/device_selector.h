// Choosing devices without naming them. A selector entry is the AND of the
// fields it gives; a request's entries are ORed; only assignable devices are
// chosen by a selector (planner/device_selection.h).
//
// The same field names serve the request file (`select:`) and the command
// line (`--select vendor_device=10de:*,numa_node=1`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "hostprobe/inventory.h"

namespace smmu {

// Linux numbers at most 1024 NUMA nodes (CONFIG_NODES_SHIFT <= 10).
constexpr int kMaxHostNumaNode = 1023;

// A PCI class given as 2, 4 or 6 hex digits: base class, base class and
// subclass, or all 24 bits (with the programming interface).
struct ClassPattern {
  uint32_t value = 0;
  int digits = 6;

  bool matches(uint32_t class_code) const {
    return class_code >> (4 * (6 - digits)) == value;
  }
  auto operator<=>(const ClassPattern&) const = default;
};

struct DeviceSelector {
  std::optional<uint16_t> vendor, device;  // vendor_device "10de:2342"; "*" leaves one out
  std::optional<ClassPattern> pci_class;   // class "0x0302"
  std::optional<uint64_t> smmu_base;       // smmu "smmu3.0x0000000016000000" or its base
  std::optional<int> numa_node;            // numa_node: the device's host node
  std::string origin;  // where it was written ("vm.yaml:7"); empty on the command line

  // True when no field is given (such an entry would choose everything).
  bool empty() const { return !vendor && !device && !pci_class && !smmu_base && !numa_node; }
  // The fields AND together. A device's node is its own, or its SMMU's when
  // the device does not know it; the SMMU is the one its `iommu` link names.
  bool matches(const PciDevice& d, const Inventory& inv) const;
};

// Field values, as the request file and --select write them. Errors are
// ErrorKind::Usage messages without a location; callers add where.
Status set_vendor_device(DeviceSelector& s, std::string_view text);  // "10de:2342", "10de:*"
Result<ClassPattern> parse_class_pattern(std::string_view text);      // "0x0302", "030200"
Result<uint64_t> parse_smmu_ref(std::string_view text);  // "smmu3.0x...16000000" or "0x16000000"
Result<int> parse_host_numa_node(std::string_view text);  // decimal, 0..kMaxHostNumaNode

// `--select`: "key=value[,key=value...]" with the keys vendor_device, class,
// smmu and numa_node, each at most once; at least one.
Result<DeviceSelector> parse_selector_spec(std::string_view spec);

// The canonical spelling, in the --select syntax: what messages and explain print.
std::string selector_text(const DeviceSelector& s);

}  // namespace smmu
