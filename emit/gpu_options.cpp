#include "emit/gpu_options.h"

#include "common/byte_size.h"

namespace smmu {

std::optional<std::string> highmem_machine_option(const Plan& plan) {
  if (plan.highmem_mmio_size == 0) return std::nullopt;
  return "highmem-mmio-size=" + qemu_size(plan.highmem_mmio_size);
}

std::vector<std::string> gpu_numa_args(const DevicePlan& d, const std::string& pci_dev,
                                       const std::string& id_prefix) {
  std::vector<std::string> args;
  for (int node : d.gpu_numa_nodes) {
    std::string k = std::to_string(node);
    args.insert(args.end(), {"-numa", "node,nodeid=" + k, "-object",
                             "acpi-generic-initiator,id=" + id_prefix + "gi" + k +
                                 ",pci-dev=" + pci_dev + ",node=" + k});
  }
  return args;
}

}  // namespace smmu
