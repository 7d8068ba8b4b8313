// The QEMU options that build a plan's topology, one argv element per entry.
// Only the topology: never the machine type, memory, CPUs or firmware. For
// GPUs (emit/gpu_options.h) that takes a `-machine highmem-mmio-size=`,
// which merges into the operator's -machine, and memory-less -numa nodes,
// which need the operator's own guest nodes below them.
#pragma once

#include <string>
#include <vector>

#include "emit/emit_form.h"
#include "planner/plan.h"

namespace smmu {

// The plan must have passed check_plan() (every plan from make_plan or
// plan_from_json_text has).
std::vector<std::string> qemu_args(const Plan& plan, EmitForm form);

// The endpoint that stands in for a vfio device in the rehearsal form.
inline constexpr const char* kStandInDevice = "virtio-rng-pci";

}  // namespace smmu
