// One function per subcommand: each registers its options on the subcommand
// cli/app.cpp made for it (its name and description are in app.cpp's table)
// and returns the action to run once parsing succeeded.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "common/result.h"

namespace smmu::cli {

struct Command {
  CLI::App* app = nullptr;         // the subcommand
  std::function<Status()> action;  // runs it with the parsed options
};

Command add_probe_command(CLI::App* sub);
Command add_plan_command(CLI::App* sub);
Command add_explain_command(CLI::App* sub);
Command add_qemu_args_command(CLI::App* sub);
Command add_iort_command(CLI::App* sub);
Command add_qemu_caps_command(CLI::App* sub);
Command add_verify_command(CLI::App* sub);
Command add_guest_report_command(CLI::App* sub);
Command add_rehearse_command(CLI::App* sub);
Command add_libvirt_xml_command(CLI::App* sub);
Command add_apply_command(CLI::App* sub);
Command add_hook_command(CLI::App* sub);
Command add_hotplug_command(CLI::App* sub);
Command add_unplug_command(CLI::App* sub);

}  // namespace smmu::cli
