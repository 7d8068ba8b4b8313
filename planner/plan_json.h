// The plan file: JSON, schema in schemas/plan.schema.json.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/result.h"
#include "planner/plan.h"

namespace smmu {

nlohmann::json plan_to_json(const Plan& plan);

// Larger plan files are refused, and read no further: the largest plan
// (16 vSMMUs, every bus a root port and a device) takes about 200 KiB.
constexpr size_t kMaxPlanFileBytes = 1 << 20;

// Parses and checks (check_plan) a plan file's text. Errors are
// ErrorKind::PlanFile naming the offending element ("vsmmus[1].pxb.bus_nr").
Result<Plan> plan_from_json_text(const std::string& text);

}  // namespace smmu
