// Rehearsal: boot the plan's stand-in topology in the test bed and verify
// what the guest reports.
//
// The test bed (tests/e2e/testbed.sh prepare) is a directory with an
// executable `boot ARGS_FILE OUT_DIR` that boots a TCG guest with the given
// topology options (one per line) added to its base machine, and leaves the
// guest's serial console in OUT_DIR/console.log. All knowledge of how to
// boot lives there; smmu-plan only knows what the guest must show.
#pragma once

#include <string>

#include "emit/guest_model.h"
#include "planner/plan.h"
#include "verify/verify.h"

namespace smmu {

struct Rehearsal {
  Verdict verdict;
  std::string work_dir;  // args, console log and guest files; kept when it failed
};

// `stand_ins` is the plan's guest model in the stand-in form (fitted to the
// test bed's QEMU, emit/qemu_fit.h). Fails with ErrorKind::Testbed when there
// is no usable test bed or the guest did not report (the message names the
// kept console log).
Result<Rehearsal> rehearse(const Plan& plan, const GuestModel& stand_ins, const std::string& testbed_dir);

}  // namespace smmu
