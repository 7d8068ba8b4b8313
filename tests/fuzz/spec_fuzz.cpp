// What the command line parses from an operator's words: a BDF, a
// --select spec, a --numa-map spec, an SMMU reference, a node list. The
// first byte picks the parser. A BDF that parses prints as it reads back.
#include "common/bdf.h"
#include "common/node_list.h"
#include "planner/device_selector.h"
#include "planner/numa_map.h"
#include "tests/fuzz/fuzz_support.h"

using namespace smmu;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view spec = fuzz::text(data + 1, size - 1);
  switch (data[0] % 6) {
    case 0: {
      auto bdf = parse_bdf(spec);
      if (bdf) {
        auto again = parse_bdf(bdf->str());
        FUZZ_CHECK(again.ok() && *again == *bdf, "a BDF reads back as it prints");
      }
      break;
    }
    case 1: (void)parse_selector_spec(spec); break;
    case 2: {
      NumaMap map;
      (void)parse_numa_map_spec(spec, map);
      break;
    }
    case 3: (void)parse_smmu_ref(spec); break;
    case 4: (void)parse_node_list(spec); break;
    case 5: (void)parse_class_pattern(spec); break;
  }
  return 0;
}
