#include "cli/app.h"

#include <cstdio>
#include <exception>
#include <vector>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/notes.h"
#include "cli/one_line.h"

namespace smmu::cli {
namespace {

void print_line(const char* prefix, const std::string& message) {
  std::fprintf(stderr, "smmu-plan: %s: %s\n", prefix, one_line(message).c_str());
}

void print_error(const std::string& message) { print_line("error", message); }

}  // namespace

int run(int argc, char** argv) {
  CLI::App app{"smmu-plan: plan one virtual SMMUv3 per physical SMMUv3 for ARM64 guests"};
  app.set_version_flag("--version", std::string("smmu-plan ") + SMMU_PLAN_VERSION);
  app.require_subcommand(1);
  const std::vector<Command> commands = {add_probe_command(app), add_plan_command(app),
                                         add_explain_command(app), add_qemu_args_command(app),
                                         add_iort_command(app), add_qemu_caps_command(app),
                                         add_verify_command(app), add_guest_report_command(app),
                                         add_rehearse_command(app),
                                         add_libvirt_xml_command(app), add_apply_command(app),
                                         add_hook_command(app),
                                         add_hotplug_command(app), add_unplug_command(app)};

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    if (what.empty()) what = "bad command line";
    print_error(what + " (see smmu-plan --help)");
    return kExitUsage;
  }

  try {
    for (const auto& command : commands) {
      if (!command.app->parsed()) continue;
      Status status = command.action();
      auto notes = take_notes();
      if (status) {
        for (const auto& n : notes) print_line("note", n);
        return kExitOk;
      }
      print_error(status.error().message);
      return exit_code(status.error().kind);
    }
  } catch (const std::exception& e) {
    print_error(std::string("internal error: ") + e.what() + " (please report)");
    return kExitInternal;
  }
  return kExitInternal;
}

}  // namespace smmu::cli
