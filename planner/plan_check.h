// Everything QEMU (and firmware) would refuse or mis-number, checked before
// anything is emitted: on every plan we make and every plan file we read.
#pragma once

#include "common/result.h"
#include "planner/plan.h"

namespace smmu {

// The first problem found, as an ErrorKind::PlanFile naming the element.
Status check_plan(const Plan& plan);

}  // namespace smmu
