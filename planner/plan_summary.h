// The readable face of a plan (`smmu-plan plan` without -o or --json).
#pragma once

#include <string>

#include "planner/plan.h"

namespace smmu {

std::string plan_summary(const Plan& plan);

}  // namespace smmu
