// A request file, then planned on the grace-gh200 example host as `plan
// --request` does: a plan made from any request passes check_plan, and
// explain agrees with plan on whether it fits.
#include <nlohmann/json.hpp>

#include "planner/plan_check.h"
#include "planner/plan_explain.h"
#include "planner/planner.h"
#include "planner/request_file.h"
#include "tests/fuzz/fuzz_support.h"

using namespace smmu;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxRequestFileBytes) return 0;  // refused by its size before it is parsed
  auto request = parse_request_file(fuzz::text(data, size), "fuzz.yaml");
  if (!request) {
    FUZZ_CHECK(request.error().kind == ErrorKind::Request, "a bad request file is a request error");
    return 0;
  }
  const auto& inv = fuzz::example_inventory();
  auto plan = make_plan(inv, *request);
  if (plan) FUZZ_CHECK(check_plan(*plan).ok(), "make_plan's plan passes check_plan");
  auto explained = explain_plan(inv, *request);
  FUZZ_CHECK(explained.ok() == plan.ok(), "explain fits where plan fits");
  if (!plan) {
    FUZZ_CHECK(explained.error().kind == plan.error().kind, "explain fails as plan does");
    return 0;
  }
  (void)explanation_text(*explained);
  (void)explanation_to_json(*explained).dump();
  return 0;
}
