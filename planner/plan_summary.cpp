#include "planner/plan_summary.h"

#include "common/byte_size.h"
#include "common/hex.h"
#include "common/node_list.h"
#include "common/text_format.h"
#include "planner/limits.h"

namespace smmu {

std::string plan_summary(const Plan& plan) {
  unsigned pxb_buses = 0;
  for (const auto& v : plan.vsmmus) pxb_buses += v.buses().count();
  unsigned free_buses = limits::kLastBus - plan.pcie0_buses - pxb_buses;
  std::string out = text_format(
      "%zu vSMMU%s, %zu device%s; buses: 0x00-0x%02x kept for pcie.0, %u for pxbs, %u free\n",
      plan.vsmmus.size(), plan.vsmmus.size() == 1 ? "" : "s", plan.devices.size(),
      plan.devices.size() == 1 ? "" : "s", plan.pcie0_buses, pxb_buses, free_buses);
  for (const auto& v : plan.vsmmus) {
    BusRange b = v.buses();
    std::string guest_node = v.pxb.numa_node ? text_format(", guest numa %d", *v.pxb.numa_node) : "";
    out += text_format("\n%s  host %s (numa %d)  %s bus_nr 0x%02x, buses 0x%02x-0x%02x, pcie.0 slot 0x%02x%s\n",
                  v.id.c_str(), v.host_smmu.c_str(), v.host_numa_node, v.pxb.id.c_str(),
                  v.pxb.bus_nr, b.first, b.last, v.pxb.addr, guest_node.c_str());
    for (const auto& rp : v.root_ports) {
      std::string what = "(spare, for hotplug)";
      if (const DevicePlan* d = plan.device_on(rp)) {
        what = d->host_bdf.str() + " -> " + rp.guest_bdf().str() +
               text_format("  %04x:%04x class %06x", d->vendor, d->device, d->class_code);
        if (!d->gpu_numa_nodes.empty()) {
          what += "  gpu numa " + node_list_text({d->gpu_numa_nodes.begin(), d->gpu_numa_nodes.end()});
        }
      }
      if (rp.pref64_reserve) what += "  pref64-reserve " + human_size(rp.pref64_reserve);
      out += text_format("  %-12s %02x.%x  bus 0x%02x  %s\n", rp.id.c_str(), rp.slot, rp.function,
                    rp.bus, what.c_str());
    }
  }
  if (plan.highmem_mmio_size) {
    out += "\nhigh PCI MMIO window: highmem-mmio-size=" + qemu_size(plan.highmem_mmio_size) + "\n";
  }
  return out;
}

}  // namespace smmu
