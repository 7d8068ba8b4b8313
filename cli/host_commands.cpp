// `probe`, `plan` and `explain`: the commands that read a host.
#include <memory>

#include "cli/commands.h"
#include "cli/files.h"
#include "cli/qemu_target.h"
#include "cli/request_options.h"
#include "hostprobe/inventory_report.h"
#include "planner/plan_explain.h"
#include "planner/plan_json.h"
#include "planner/plan_summary.h"
#include "planner/planner.h"

namespace smmu::cli {
namespace {

std::string json_text(const nlohmann::json& j) { return j.dump(2) + "\n"; }

}  // namespace

Command add_probe_command(CLI::App* sub) {
  struct Options {
    HostOptions host;
    bool json = false;
  };
  auto opts = std::make_shared<Options>();
  opts->host.add(sub);
  sub->add_flag("--json", opts->json, "Print the inventory as JSON");
  return {sub, [opts]() -> Status {
            SMMU_TRY(inv, opts->host.probe());
            if (!opts->json) return write_output("", inventory_to_table(inv));
            // Written as it is made, 64 KiB at a time (docs/performance.md).
            std::string buffer;
            Status written = Ok{};
            write_inventory_json(inv, [&](std::string_view piece) {
              buffer += piece;
              if (buffer.size() >= 64 * 1024) {
                written = write_output("", buffer);
                buffer.clear();
              }
              return static_cast<bool>(written);
            });
            if (!written) return written;
            return write_output("", buffer);
          }};
}

Command add_plan_command(CLI::App* sub) {
  struct Options {
    HostOptions host;
    RequestOptions request;
    QemuTargetOptions qemu;
    std::string output;
    bool json = false;
  };
  auto opts = std::make_shared<Options>();
  opts->host.add(sub);
  opts->request.add(sub);
  opts->qemu.add(sub);
  sub->add_option("-o,--output", opts->output, "Write the plan JSON to this file");
  sub->add_flag("--json", opts->json, "Print the plan JSON instead of a summary");
  return {sub, [opts]() -> Status {
            SMMU_TRY(request, opts->request.request());
            SMMU_TRY(inv, opts->host.probe());
            SMMU_TRY(plan, make_plan(inv, request));
            // The plan is for the real form: refused here when the QEMU cannot run it.
            SMMU_CHECK(fit_for_target(guest_model(plan, EmitForm::Real), opts->qemu));
            std::string json = json_text(plan_to_json(plan));
            if (!opts->output.empty()) return write_output(opts->output, json);
            return write_output("", opts->json ? json : plan_summary(plan));
          }};
}

Command add_explain_command(CLI::App* sub) {
  struct Options {
    HostOptions host;
    RequestOptions request;
    bool json = false;
  };
  auto opts = std::make_shared<Options>();
  opts->host.add(sub);
  opts->request.add(sub);
  sub->add_flag("--json", opts->json, "Print the explanation as JSON");
  return {sub, [opts]() -> Status {
            SMMU_TRY(request, opts->request.request());
            SMMU_TRY(inv, opts->host.probe());
            SMMU_TRY(explanation, explain_plan(inv, request));
            return write_output("", opts->json ? json_text(explanation_to_json(explanation))
                                               : explanation_text(explanation));
          }};
}

}  // namespace smmu::cli
