// QEMU's own property lists, as a QEMU release answers them over QMP
// (`device-list-properties`, `qom-list-properties`; recorded per release in
// qemu-caps/qemu-X.Y.json by tests/e2e/qemu_caps.py), and the check of one
// command-line option against them: its driver exists, every property it
// sets exists on that driver, and every value parses for the property's type
// (docs/qemu.md, Property types).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/result.h"

namespace smmu {

struct QemuCaps {
  using Props = std::map<std::string, std::string>;  // property -> QOM type name
  std::string release;                                // "11.1"
  std::map<std::string, Props> devices, objects, machines;
};

// The JSON qemu_caps.py writes; an ErrorKind::Usage error when malformed.
Result<QemuCaps> parse_qemu_caps(std::string_view json);

// What follows -device, -object or -machine.
enum class OptionKind { Device, Object, Machine };

// ErrorKind::NoFit naming the driver, property and value QEMU would refuse.
Status check_qemu_option(const QemuCaps& caps, OptionKind kind, std::string_view option);

}  // namespace smmu
