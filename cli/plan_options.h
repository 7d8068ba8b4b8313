// The options every command that reads a plan file shares.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "cli/files.h"
#include "emit/emit_form.h"
#include "planner/plan_json.h"

namespace smmu::cli {

struct PlanOptions {
  std::string plan_file;
  bool stand_ins = false;
  void add(CLI::App* sub) {
    sub->add_option("--plan", plan_file, "Plan file written by `smmu-plan plan -o`")->required();
    sub->add_flag("--stand-ins", stand_ins,
                  "Rehearsal form: emulated endpoints instead of vfio devices, accel off");
  }
  EmitForm form() const { return stand_ins ? EmitForm::StandIns : EmitForm::Real; }
  Result<Plan> load() const {
    SMMU_TRY(text, read_input(plan_file, ErrorKind::PlanFile, kMaxPlanFileBytes));
    auto plan = plan_from_json_text(text);
    if (!plan) return make_error(ErrorKind::PlanFile, plan_file + ": " + plan.error().message);
    return plan;
  }
};

}  // namespace smmu::cli
