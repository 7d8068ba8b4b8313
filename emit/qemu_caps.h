// QEMU's own property lists, as a QEMU release answers them over QMP
// (`device-list-properties`, `qom-list-properties`; recorded per release in
// qemu-caps/qemu-X.Y.json by `smmu-plan qemu-caps`, hostprobe/qemu_query.h), and the check of one
// command-line option against them: its driver exists, every property it
// sets exists on that driver, and every value parses for the property's type
// (docs/qemu.md, Property types).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/result.h"
#include "emit/guest_model.h"

namespace smmu {

struct QemuCaps {
  using Props = std::map<std::string, std::string>;  // property -> QOM type name
  std::string release;                                // "11.1"
  std::string source;  // how a derived list was made (qemu-caps/README.md); "" when recorded
  std::map<std::string, Props> devices, objects, machines;
};

// The JSON `smmu-plan qemu-caps` writes; an ErrorKind::Usage error when malformed.
Result<QemuCaps> parse_qemu_caps(std::string_view json);

// Whether `value` parses as QEMU parses property `prop` of QOM type `type`
// (a PCI device's `addr` as a devfn); else `takes` says what would.
struct ValueCheck {
  bool ok;
  std::string takes;  // "on, off or auto"
};
ValueCheck check_value(const std::string& prop, const std::string& type, const std::string& value,
                       bool pci_device);

// A PCI device: one with a `multifunction` property (every PCIDevice has it).
bool is_pci_device(const QemuCaps::Props& props);

// The property list of `driver` as an option of `kind` (any -machine option
// is the virt machine's); nullptr when this QEMU has no such driver.
const QemuCaps::Props* driver_props(const QemuCaps& caps, OptionKind kind, const std::string& driver);

// What follows -device, -object or -machine (OptionKind::Numa is not
// checked: -numa is QEMU's own option, not a QOM type).
// ErrorKind::NoFit naming the driver, property and value QEMU would refuse.
Status check_qemu_option(const QemuCaps& caps, OptionKind kind, std::string_view option);

}  // namespace smmu
