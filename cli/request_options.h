// The options of the commands that plan for a host (`plan`, `explain`): where
// the host is, and the request, from flags, a request file, or both.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "hostprobe/inventory.h"
#include "planner/request.h"

namespace smmu::cli {

struct HostOptions {
  std::string root = "/";
  void add(CLI::App* sub);
  Result<Inventory> probe() const;
};

// Flags extend or override the file as planner/request.h with_flags says.
struct RequestOptions {
  std::string file;
  std::vector<std::string> devices, selectors, numa_maps, hotplug_smmus;
  std::string hotplug_pref64_reserve;  // a size, "512G"
  bool all_assignable = false;
  bool no_host_caps = false;
  unsigned hotplug_ports = 0;
  unsigned pcie0_buses = PlanRequest::kDefaultPcie0Buses;
  unsigned gpu_numa_nodes = GpuRequest::kDefaultNumaNodes, gpu_first_numa_node = 1;
  CLI::Option* gpu_nodes_option = nullptr;
  CLI::Option* gpu_first_option = nullptr;
  CLI::Option* hotplug_option = nullptr;
  CLI::Option* pcie0_option = nullptr;
  CLI::Option* pref64_option = nullptr;

  void add(CLI::App* sub);
  // Malformed flags are Usage errors; the file's errors are Request errors.
  Result<PlanRequest> request() const;
};

}  // namespace smmu::cli
