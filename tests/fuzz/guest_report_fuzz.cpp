// What a booted guest reports: the test bed's console log with its marked
// sections, each section's parser alone (the first byte picks one), the
// SRAT, and the verdict of verify on the GH200 sample plan in both forms.
#include <vector>

#include "acpi/srat.h"
#include "tests/fuzz/fuzz_support.h"
#include "verify/guest_report.h"
#include "verify/verify.h"

using namespace smmu;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Plan plan = fuzz::plan_file("tests/data/guest-samples/gpu-gh200.plan.json");
  if (size == 0) return 0;
  const std::string rest(fuzz::text(data + 1, size - 1));
  switch (data[0] % 6) {
    case 0: {
      auto report = parse_console_log(rest);
      if (!report) {
        FUZZ_CHECK(report.error().kind == ErrorKind::GuestReport, "a bad log is a guest report error");
        break;
      }
      for (EmitForm form : {EmitForm::Real, EmitForm::StandIns}) {
        auto verdict = verify_guest(plan, form, *report);
        if (!verdict) continue;
        // verify prints each difference as a line of its own on stdout.
        for (const auto& line : verdict->differences)
          for (unsigned char c : line) FUZZ_CHECK(c >= 0x20 && c != 0x7f, "a difference is one line of text");
      }
      break;
    }
    case 1: (void)parse_smmu_map(rest); break;
    case 2: (void)parse_pci_list(rest); break;
    case 3: (void)parse_guest_numa(rest); break;
    case 4: (void)parse_bridge_windows(rest); break;
    case 5:
      (void)decode_srat_generic_initiators(std::vector<uint8_t>(rest.begin(), rest.end()),
                                           ErrorKind::GuestReport);
      break;
  }
  return 0;
}
