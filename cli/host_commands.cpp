// `probe` and `plan`: the commands that read a host.
#include <memory>

#include "cli/commands.h"
#include "cli/files.h"
#include "hostprobe/inventory_report.h"
#include "hostprobe/probe.h"
#include "planner/plan_json.h"
#include "planner/plan_summary.h"
#include "planner/planner.h"

namespace smmu::cli {
namespace {

struct HostOptions {
  std::string root = "/";
  void add(CLI::App* sub) {
    sub->add_option("--root", root, "Host root holding sys/ and dev/ (a saved tree)")
        ->capture_default_str();
  }
  Result<Inventory> probe() const {
    SMMU_TRY(tree, open_disk_tree(root));
    return probe_host(*tree);
  }
};

std::string json_text(const nlohmann::json& j) { return j.dump(2) + "\n"; }

}  // namespace

Command add_probe_command(CLI::App& app) {
  struct Options {
    HostOptions host;
    bool json = false;
  };
  auto opts = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand("probe", "List the host's SMMUv3s and PCI devices");
  opts->host.add(sub);
  sub->add_flag("--json", opts->json, "Print the inventory as JSON");
  return {sub, [opts]() -> Status {
            SMMU_TRY(inv, opts->host.probe());
            return write_output("", opts->json ? json_text(inventory_to_json(inv))
                                               : inventory_to_table(inv));
          }};
}

Command add_plan_command(CLI::App& app) {
  struct Options {
    HostOptions host;
    std::vector<std::string> devices;
    bool all_assignable = false;
    unsigned hotplug_ports = 0;
    unsigned pcie0_buses = PlanRequest::kDefaultPcie0Buses;
    std::string output;
    bool json = false;
    bool no_host_caps = false;
  };
  auto opts = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand("plan", "Plan vSMMUs, pxbs, buses and root ports");
  opts->host.add(sub);
  auto* dev = sub->add_option("--device", opts->devices, "Host PCI device to assign (repeatable)");
  auto* all = sub->add_flag("--all-assignable", opts->all_assignable,
                            "Assign every assignable device of the host");
  dev->excludes(all);
  sub->add_option("--hotplug-ports", opts->hotplug_ports, "Spare root ports per vSMMU")
      ->check(CLI::Range(0, 255))
      ->capture_default_str();
  sub->add_option("--pcie0-buses", opts->pcie0_buses,
                  "Buses kept for pcie.0's own root ports (1..N)")
      ->check(CLI::Range(0, 254))
      ->capture_default_str();
  sub->add_option("-o,--output", opts->output, "Write the plan JSON to this file");
  sub->add_flag("--json", opts->json, "Print the plan JSON instead of a summary");
  sub->add_flag("--no-host-caps", opts->no_host_caps,
                "Plan vSMMUs whose host SMMU caps are unavailable with `auto` values");
  return {sub, [opts]() -> Status {
            PlanRequest request;
            request.no_host_caps = opts->no_host_caps;
            for (const auto& text : opts->devices) {
              SMMU_TRY(bdf, parse_bdf(text));
              request.devices.push_back(bdf);
            }
            request.all_assignable = opts->all_assignable;
            request.hotplug_ports = opts->hotplug_ports;
            request.pcie0_buses = opts->pcie0_buses;
            SMMU_TRY(inv, opts->host.probe());
            SMMU_TRY(plan, make_plan(inv, request));
            std::string json = json_text(plan_to_json(plan));
            if (!opts->output.empty()) return write_output(opts->output, json);
            return write_output("", opts->json ? json : plan_summary(plan));
          }};
}

}  // namespace smmu::cli
