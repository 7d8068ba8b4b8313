// `verify`: compare what a guest reports with the plan.
#include <memory>

#include "cli/commands.h"
#include "cli/plan_options.h"
#include "verify/verify.h"

namespace smmu::cli {

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

}  // namespace smmu::cli
