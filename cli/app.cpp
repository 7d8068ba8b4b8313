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

// Every subcommand: name, description (what `--help` lists) and the function
// that adds its options, in `--help`'s order.
struct Entry {
  const char* name;
  Command (*add)(CLI::App* sub);
  const char* description;
};
constexpr Entry kCommands[] = {
    {"probe", add_probe_command,
     "List the host's SMMUv3s and PCI devices"},
    {"plan", add_plan_command,
     "Plan vSMMUs, pxbs, buses and root ports"},
    {"explain", add_explain_command,
     "Say why each device is chosen or left out, where it goes, and the bus budget"},
    {"qemu-args", add_qemu_args_command,
     "Print the plan's QEMU options, one per line"},
    {"iort", add_iort_command,
     "The IORT the guest will read, as text, JSON or binary"},
    {"qemu-caps", add_qemu_caps_command,
     "Print (or write) the property lists of a QEMU, as --qemu-caps reads them"},
    {"verify", add_verify_command,
     "Compare what a booted guest reports with the plan"},
    {"guest-report", add_guest_report_command,
     "Print one section of a guest console log's report, as verify --guest-* reads it"},
    {"rehearse", add_rehearse_command,
     "Boot the plan's stand-in topology in the test bed and verify the guest"},
    {"libvirt-xml", add_libvirt_xml_command,
     "Print a complete libvirt domain XML for the plan"},
    {"apply", add_apply_command,
     "Merge the plan into an existing domain definition (replacing an earlier one of ours)"},
    {"libvirt-hook", add_hook_command,
     "libvirt qemu hook: refuse mis-routed guests"},
    {"hotplug", add_hotplug_command,
     "Put a host device on a free spare root port of its host SMMU's vSMMU in a running guest"},
    {"unplug", add_unplug_command,
     "Take a hotplugged (or cold-plugged) device off a running guest"},
};

// The subcommand the command line names: its first word that is no option
// (the app's own options, --help and --version, take no value); null if none.
const char* invoked(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (argv[i][0] != '-') return argv[i];
  }
  return nullptr;
}

}  // namespace

int run(int argc, char** argv) {
  CLI::App app{"smmu-plan: plan one virtual SMMUv3 per physical SMMUv3 for ARM64 guests"};
  app.set_version_flag("--version", std::string("smmu-plan ") + SMMU_PLAN_VERSION);
  app.require_subcommand(1);
  // Only the invoked subcommand gets its options: building all of them cost
  // every run, the hook's and `--version`'s too (docs/performance.md). The
  // others are there by name and description, for `--help` and for CLI11 to
  // say which it expected.
  const char* name = invoked(argc, argv);
  std::vector<Command> commands;
  for (const auto& e : kCommands) {
    CLI::App* sub = app.add_subcommand(e.name, e.description);
    if (name && std::string(name) == e.name) commands.push_back(e.add(sub));
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    if (what.empty()) what = "bad command line";
    if (name && commands.empty()) what = std::string("no subcommand ") + name;
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
