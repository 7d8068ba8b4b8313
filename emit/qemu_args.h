// The QEMU options that build a plan's topology, one argv element per entry:
// the guest model (emit/guest_model.h) written as options. Only the
// topology: never the machine type, memory, CPUs or firmware. For GPUs that
// takes a `-machine highmem-mmio-size=`, which merges into the operator's
// -machine, and memory-less -numa nodes, which need the operator's own guest
// nodes below them.
#pragma once

#include <string>
#include <vector>

#include "emit/guest_model.h"

namespace smmu {

std::vector<std::string> qemu_args(const GuestModel& model);

// The plan must have passed check_plan() (every plan from make_plan or
// plan_from_json_text has).
inline std::vector<std::string> qemu_args(const Plan& plan, EmitForm form) {
  return qemu_args(guest_model(plan, form));
}

}  // namespace smmu
