// Does a booted guest show what the plan promised?
//  - every planned device at its guest BDF, behind the vSMMU of its host SMMU
//    (so two devices share a guest vSMMU exactly when they share a host SMMU);
//  - nothing outside the pxb ranges (pcie.0's emulated devices) behind any SMMU;
//  - the IORT equal, field by field, to the one `smmu-plan iort` predicts;
//  - for GPUs, their NUMA nodes and root port reserves (verify/verify_gpu.h).
#pragma once

#include <string>
#include <vector>

#include "emit/emit_form.h"
#include "planner/plan.h"
#include "verify/guest_report.h"

namespace smmu {

struct Verdict {
  std::vector<std::string> differences;  // one line each; empty when the guest matches
  std::string summary;                   // one line: what was checked
};

// Fails only when the guest's IORT or SRAT cannot be decoded (ErrorKind::GuestReport).
Result<Verdict> verify_guest(const Plan& plan, EmitForm form, const GuestReport& guest);

}  // namespace smmu
