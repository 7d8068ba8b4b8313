#include "emit/gpu_options.h"

#include <gtest/gtest.h>

#include "common/byte_size.h"

namespace smmu {
namespace {

TEST(GpuOptions, HighmemOnlyWhenThePlanSetsIt) {
  Plan plan;
  EXPECT_FALSE(highmem_machine_option(plan));
  plan.highmem_mmio_size = 8 * kTiB;
  EXPECT_EQ(highmem_machine_option(plan), "highmem-mmio-size=8T");
}

TEST(GpuOptions, AMemoryLessNodeAndAGenericInitiatorPerGpuNode) {
  DevicePlan d;
  d.gpu_numa_nodes = {2, 3};
  EXPECT_EQ(gpu_numa_args(d, "dev1", ""),
            (std::vector<std::string>{
                "-numa", "node,nodeid=2", "-object", "acpi-generic-initiator,id=gi2,pci-dev=dev1,node=2",
                "-numa", "node,nodeid=3", "-object", "acpi-generic-initiator,id=gi3,pci-dev=dev1,node=3"}));
  EXPECT_EQ(gpu_numa_args(d, "ua-smmuplan-dev1", "ua-smmuplan-")[3],
            "acpi-generic-initiator,id=ua-smmuplan-gi2,pci-dev=ua-smmuplan-dev1,node=2");
  EXPECT_TRUE(gpu_numa_args(DevicePlan{}, "dev0", "").empty());
}

}  // namespace
}  // namespace smmu
