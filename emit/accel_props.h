// The properties of an accelerated vSMMU (arm-smmuv3,accel=on) in QEMU's
// spelling, for the guest model (emit/guest_model.h) both emitters
// serialize: qemu_args as options, the libvirt XML as <driver> attributes
// (and `identifier` as a QEMU property override, which libvirt has no
// attribute for).
//
// Known caps give explicit values, never `auto`: QEMU resolves `auto` only
// from a vfio device cold-plugged behind the vSMMU, so a vSMMU for hotplug
// alone would fail. Unknown caps (planned with --no-host-caps) give `auto`.
// With CMDQV (on, or `auto` which may turn it on) QEMU adds an ACPI device
// per vSMMU that the guest pairs with its SMMU by `identifier`, so every vSMMU
// then gets an explicit one: its creation index + 1, the number QEMU 11.1
// gives the IORT SMMUv3 node anyway (docs/qemu.md, The IORT QEMU builds).
#pragma once

#include <string>
#include <vector>

#include "planner/plan.h"

namespace smmu {

struct AccelProp {
  const char* name;
  std::string value;  // "on", "off", "auto" or a number
};

// For plan.vsmmus[k], real form only (the stand-ins have no accel).
std::vector<AccelProp> accel_props(const Plan& plan, size_t k);

}  // namespace smmu
