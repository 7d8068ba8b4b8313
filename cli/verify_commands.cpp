// `verify` and `rehearse`: compare what a guest reports with the plan.
#include <cstdlib>
#include <memory>

#include "cli/commands.h"
#include "cli/plan_options.h"
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

}  // namespace

Command add_verify_command(CLI::App& app) {
  struct Options {
    PlanOptions plan;
    std::string iort, smmu_map, pci;
  };
  auto opts = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand("verify", "Compare what a booted guest reports with the plan");
  opts->plan.add(sub);
  sub->add_option("--guest-iort", opts->iort, "The guest's /sys/firmware/acpi/tables/IORT")
      ->required();
  sub->add_option("--guest-smmu-map", opts->smmu_map,
                  "'<smmu> <bdf>' lines from the guest's /sys/class/iommu/*/devices/*");
  sub->add_option("--guest-pci", opts->pci, "The guest's /sys/bus/pci/devices names");
  return {sub, [opts]() -> Status {
            SMMU_TRY(plan, opts->plan.load());
            GuestReport guest;
            SMMU_TRY(iort, read_input(opts->iort, ErrorKind::GuestReport));
            guest.iort.assign(iort.begin(), iort.end());
            if (!opts->smmu_map.empty()) {
              SMMU_TRY(text, read_input(opts->smmu_map, ErrorKind::GuestReport));
              SMMU_TRY(map, parse_smmu_map(text));
              guest.smmu_map = std::move(map);
            }
            if (!opts->pci.empty()) {
              SMMU_TRY(text, read_input(opts->pci, ErrorKind::GuestReport));
              SMMU_TRY(list, parse_pci_list(text));
              guest.pci = std::move(list);
            }
            SMMU_TRY(verdict, verify_guest(plan, opts->plan.form(), guest));
            return report_verdict(verdict);
          }};
}


Command add_rehearse_command(CLI::App& app) {
  struct Options {
    PlanOptions plan;
    std::string testbed;
  };
  auto opts = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand(
      "rehearse", "Boot the plan's stand-in topology in the test bed and verify the guest");
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
            SMMU_TRY(rehearsal, rehearse(plan, testbed));
            Status verdict = report_verdict(rehearsal.verdict);
            if (!verdict) {
              return make_error(ErrorKind::Mismatch, verdict.error().message + "; guest log kept in " +
                                                         rehearsal.work_dir + "/console.log");
            }
            return verdict;
          }};
}

}  // namespace smmu::cli
