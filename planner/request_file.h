// A request file (`smmu-plan plan --request vm.yaml`): the request the
// command-line flags make, written down in YAML. schemas/request.schema.json
// describes it; examples/requests/ holds one per example host.
//
//   devices: [0009:01:00.0]          # explicit host devices
//   select:                          # and every assignable device one entry matches
//     - vendor_device: "10de:*"      #   an entry ANDs its fields
//       numa_node: 1
//     - class: "0x0200"
//   all_assignable: false            # or every assignable device (excludes the two above)
//   hotplug_ports: 1
//   hotplug_pref64_reserve: 512G     # 64-bit prefetchable window on each spare port
//   pcie0_buses: 16
//   numa_map: {0: 0, 1: 1}           # host NUMA node: guest NUMA node
//   gpu:                             # NVIDIA GPUs (planner/gpu_plan.h)
//     numa_nodes_per_gpu: 8          #   memory-less guest nodes each; 0: none
//     first_numa_node: 2             #   default: 1 + the map's highest guest node, or 1
//
// Plain scalars follow the YAML 1.2 core schema (common/yaml_tree.h): a
// class or a value starting with '*' must be quoted. Anything else (unknown
// keys, wrong types, malformed or out-of-range values) is an
// ErrorKind::Request "file:line: message".
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "planner/request.h"

namespace smmu {

// Larger files are refused before they are parsed.
constexpr size_t kMaxRequestFileBytes = 1 << 20;

Result<PlanRequest> parse_request_file(std::string_view text, const std::string& name);

}  // namespace smmu
