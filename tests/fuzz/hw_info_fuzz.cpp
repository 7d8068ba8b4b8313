// A saved tree's recorded IOMMU_GET_HW_INFO answer, and the SMMU caps
// decoded from it.
#include "hostprobe/hw_info_text.h"
#include "hostprobe/smmu_caps.h"
#include "tests/fuzz/fuzz_support.h"

using namespace smmu;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto answer = parse_hw_info_text(fuzz::text(data, size), "vfio0");
  if (!answer) {
    FUZZ_CHECK(answer.error().kind == ErrorKind::HostTree, "a bad recording is a host tree error");
    return 0;
  }
  if (answer->info) (void)decode_smmu_caps(*answer->info);
  return 0;
}
