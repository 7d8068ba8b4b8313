// The IORT decoder (host firmware's table, a guest's, ours) and what reads
// its result: the text and JSON dumps and the diff.
#include <nlohmann/json.hpp>

#include <vector>

#include "acpi/iort_table.h"
#include "emit/iort.h"
#include "emit/iort_from_plan.h"
#include "tests/fuzz/fuzz_support.h"

using namespace smmu;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const IortTable ours = [] {
    auto t = decode_iort(build_iort(iort_model(fuzz::plan_file("tests/golden/grace-gh200/plan.json"),
                                               EmitForm::Real)),
                         ErrorKind::PlanFile);
    FUZZ_CHECK(t.ok(), "our own IORT decodes");
    return t.value();
  }();
  auto table = decode_iort(std::vector<uint8_t>(data, data + size), ErrorKind::GuestReport);
  if (!table) {
    FUZZ_CHECK(table.error().kind == ErrorKind::GuestReport, "a bad table is an error of the kind asked");
    return 0;
  }
  FUZZ_CHECK(table->length <= size, "a decoded table lies within its bytes");
  (void)iort_to_text(*table);
  (void)iort_to_json(*table).dump();
  FUZZ_CHECK(diff_iort(*table, *table).empty(), "a table equals itself");
  FUZZ_CHECK(diff_iort(ours, *table).empty() == diff_iort(*table, ours).empty(),
             "the diff is symmetric in whether tables differ");
  return 0;
}
