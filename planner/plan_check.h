// Everything QEMU (and firmware) would refuse or mis-number, checked before
// anything is emitted: on every plan we make and every plan file we read.
#pragma once

#include <string_view>

#include "common/result.h"
#include "planner/plan.h"

namespace smmu {

// The first problem found, as an ErrorKind::PlanFile naming the element.
Status check_plan(const Plan& plan);

// Whether `id` has a shape make_plan gives ids: vsmmuN, pxbN, pxbN.rpM or
// devN (check_plan holds each id to its own kind's).
bool is_plan_id(std::string_view id);

}  // namespace smmu
