// The IORT model of the guest a plan builds.
#pragma once

#include "emit/emit_form.h"
#include "emit/iort.h"
#include "planner/plan.h"

namespace smmu {

// vSMMUs in plan order, which is their creation order in qemu_args().
IortModel iort_model(const Plan& plan, EmitForm form);

}  // namespace smmu
