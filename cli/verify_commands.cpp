// `verify` and `rehearse`: compare what a guest reports with the plan;
// `guest-report`: a section of its console report as the file verify reads.
#include <cstdlib>
#include <memory>

#include "cli/commands.h"
#include "cli/plan_options.h"
#include "cli/qemu_target.h"
#include "verify/guest_report.h"
#include "verify/rehearse.h"
#include "verify/verify.h"

namespace smmu::cli {
namespace {

// Prints the verdict: each difference on its own line, then the summary.
// A guest that differs is an ErrorKind::Mismatch.
Status report_verdict(const Verdict& verdict) {
  std::string text;
  for (const auto& d : verdict.differences) text += d + "\n";
  if (verdict.differences.empty()) text += verdict.summary + "\n";
  SMMU_CHECK(write_output("", text));
  if (verdict.differences.empty()) return Ok{};
  return make_error(ErrorKind::Mismatch, verdict.summary + " (" +
                                             std::to_string(verdict.differences.size()) +
                                             " differences above)");
}

// An optional guest report file, parsed into `into`; nothing when not given.
template <typename T, typename Parse>
Status read_report(const std::string& file, std::optional<T>& into, Parse parse) {
  if (file.empty()) return Ok{};
  SMMU_TRY(text, read_input(file, ErrorKind::GuestReport, kMaxGuestReportBytes));
  SMMU_TRY(parsed, parse(text));
  into = std::move(parsed);
  return Ok{};
}

}  // namespace

Command add_verify_command(CLI::App* sub) {
  struct Options {
    PlanOptions plan;
    std::string console_log, iort, smmu_map, pci, srat, numa, bridge_windows;
  };
  auto opts = std::make_shared<Options>();
  opts->plan.add(sub);
  auto* log = sub->add_option("--console-log", opts->console_log,
                               "A guest console log with the test bed's marked report sections "
                               "(instead of the --guest-* files)");
  sub->add_option("--guest-iort", opts->iort, "The guest's /sys/firmware/acpi/tables/IORT (needed without --console-log)");
  sub->add_option("--guest-smmu-map", opts->smmu_map,
                  "'<smmu> <bdf>' lines from the guest's /sys/class/iommu/*/devices/*");
  sub->add_option("--guest-pci", opts->pci, "The guest's /sys/bus/pci/devices names");
  sub->add_option("--guest-srat", opts->srat,
                  "The guest's /sys/firmware/acpi/tables/SRAT (an empty file: it has none)");
  sub->add_option("--guest-numa", opts->numa,
                  "'has_generic_initiator <nodes>' (and 'max_nodes <n>') lines from the guest");
  sub->add_option("--guest-bridge-windows", opts->bridge_windows,
                  "'<bdf> <start> <end>' lines: each bridge's 64-bit prefetchable window as "
                  "firmware set it");
  for (auto* file : sub->get_options()) {
    if (file != log && file->get_name().starts_with("--guest-")) log->excludes(file);
  }
  return {sub, [opts]() -> Status {
            SMMU_TRY(plan, opts->plan.load());
            if (!opts->console_log.empty()) {
              // One parser of the console report, the one rehearse uses.
              SMMU_TRY(text, read_input(opts->console_log, ErrorKind::GuestReport, kMaxConsoleLogBytes));
              SMMU_TRY(guest, parse_console_log(text));
              SMMU_TRY(verdict, verify_guest(plan, opts->plan.form(), guest));
              return report_verdict(verdict);
            }
            if (opts->iort.empty()) {
              return make_error(ErrorKind::Usage, "verify needs --console-log FILE or --guest-iort FILE");
            }
            GuestReport guest;
            SMMU_TRY(iort_bytes, read_input(opts->iort, ErrorKind::GuestReport, kMaxGuestReportBytes));
            guest.iort.assign(iort_bytes.begin(), iort_bytes.end());
            SMMU_CHECK(read_report(opts->smmu_map, guest.smmu_map, parse_smmu_map));
            SMMU_CHECK(read_report(opts->pci, guest.pci, parse_pci_list));
            SMMU_CHECK(read_report(opts->srat, guest.srat, [](const std::string& bytes) {
              return Result<std::vector<uint8_t>>(std::vector<uint8_t>(bytes.begin(), bytes.end()));
            }));
            SMMU_CHECK(read_report(opts->numa, guest.numa, parse_guest_numa));
            SMMU_CHECK(read_report(opts->bridge_windows, guest.bridge_windows, parse_bridge_windows));
            SMMU_TRY(verdict, verify_guest(plan, opts->plan.form(), guest));
            return report_verdict(verdict);
          }};
}

Command add_guest_report_command(CLI::App* sub) {
  struct Options {
    std::string console_log, section, output;
  };
  auto opts = std::make_shared<Options>();
  sub->add_option("--console-log", opts->console_log,
                  "A guest console log with the test bed's marked report sections")
      ->required();
  sub->add_option("--section", opts->section, "The section, as its markers name it")
      ->required()
      ->check(CLI::IsMember(console_section_names()));
  sub->add_option("-o,--output", opts->output, "Write it to this file (IORT and SRAT are binary)");
  return {sub, [opts]() -> Status {
            // The parser verify --console-log and rehearse use, so that scripts need none of their own.
            SMMU_TRY(log, read_input(opts->console_log, ErrorKind::GuestReport, kMaxConsoleLogBytes));
            SMMU_TRY(file, console_section_file(log, opts->section));
            return write_output(opts->output, file);
          }};
}

Command add_rehearse_command(CLI::App* sub) {
  struct Options {
    PlanOptions plan;
    QemuTargetOptions qemu;
    std::string testbed;
  };
  auto opts = std::make_shared<Options>();
  opts->qemu.add(sub);
  sub->add_option("--plan", opts->plan.plan_file, "Plan file written by `smmu-plan plan -o`")
      ->required();
  sub->add_option("--testbed", opts->testbed,
                  "Test bed directory (tests/e2e/testbed.sh prepare prints it); "
                  "default $SMMU_TESTBED");
  return {sub, [opts]() -> Status {
            std::string testbed = opts->testbed;
            if (testbed.empty() && std::getenv("SMMU_TESTBED")) testbed = std::getenv("SMMU_TESTBED");
            if (testbed.empty()) {
              return make_error(ErrorKind::Usage, "name the test bed with --testbed DIR or $SMMU_TESTBED");
            }
            SMMU_TRY(plan, opts->plan.load());
            SMMU_TRY(stand_ins, fit_for_target(guest_model(plan, EmitForm::StandIns), opts->qemu));
            SMMU_TRY(rehearsal, rehearse(plan, stand_ins, testbed));
            Status verdict = report_verdict(rehearsal.verdict);
            if (!verdict) {
              return make_error(ErrorKind::Mismatch, verdict.error().message + "; guest log kept in " +
                                                         rehearsal.work_dir + "/console.log");
            }
            return verdict;
          }};
}

}  // namespace smmu::cli
