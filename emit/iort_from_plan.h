// The IORT model of the guest a plan builds.
#pragma once

#include <string>

#include "emit/emit_form.h"
#include "emit/iort.h"
#include "planner/plan.h"

namespace smmu {

// vSMMUs in plan order, which is their creation order in qemu_args().
IortModel iort_model(const Plan& plan, EmitForm form);

// What the model cannot know, said once: in the real form, a vSMMU without
// planned caps (--no-host-caps: ats=auto) gets IDR0.ATS, and so the root
// complex its ATS attribute, from its host SMMU at the first cold-plugged
// device (QEMU 11.1 hw/arm/smmuv3-accel.c; docs/qemu.md, The IORT QEMU
// builds). "" when everything is known.
std::string iort_model_note(const Plan& plan, EmitForm form);

}  // namespace smmu
