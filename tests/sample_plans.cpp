#include "tests/sample_plans.h"

#include "planner/plan_check.h"

namespace smmu::test {

VsmmuPlan vsmmu_at(unsigned k, uint8_t bus_nr, std::vector<uint8_t> slots, size_t devices,
                   Plan& plan) {
  VsmmuPlan v;
  v.id = "vsmmu" + std::to_string(k);
  v.host_smmu = "smmu3.0x00000000" + std::to_string(10 + k) + "000000";
  v.pxb = {"pxb" + std::to_string(k), bus_nr, static_cast<uint8_t>(0x1f - k), std::nullopt};
  for (size_t j = 0; j < slots.size(); ++j) {
    RootPortPlan rp;
    rp.id = v.pxb.id + ".rp" + std::to_string(j);
    rp.slot = slots[j];
    rp.bus = static_cast<uint8_t>(bus_nr + 1 + j);
    if (j < devices) {
      DevicePlan d;
      d.id = "dev" + std::to_string(plan.devices.size());
      d.host_bdf = Bdf{k, 1, static_cast<uint8_t>(j), 0};
      d.root_port = rp.id;
      plan.devices.push_back(d);
    }
    v.root_ports.push_back(rp);
  }
  return v;
}

Plan two_pxb_plan() {
  Plan p;
  p.pcie0_buses = 16;
  p.vsmmus.push_back(vsmmu_at(0, 0xe5, {0}, 1, p));
  p.vsmmus.push_back(vsmmu_at(1, 0xee, {0}, 1, p));
  return p;
}

Plan three_pxb_plan() {
  Plan p;
  p.pcie0_buses = 16;
  p.vsmmus.push_back(vsmmu_at(0, 0xf0, {0, 1, 2}, 2, p));
  p.vsmmus.push_back(vsmmu_at(1, 0xe0, {0}, 1, p));
  p.vsmmus.push_back(vsmmu_at(2, 0xfa, {3}, 1, p));
  return p;
}

Plan gpu_plan() {
  Plan p = two_pxb_plan();
  p.devices[1].vendor = 0x10de;
  p.devices[1].class_code = 0x030200;
  p.devices[1].gpu_numa_nodes = {1, 2};
  p.vsmmus[1].root_ports[0].pref64_reserve = 256ull << 30;
  p.highmem_mmio_size = 1ull << 40;
  return p;
}

Plan spare_reserve_plan() {
  Plan p = three_pxb_plan();
  p.vsmmus[0].root_ports[2].pref64_reserve = 512ull << 30;
  p.highmem_mmio_size = 1ull << 40;
  return p;
}

Plan multifunction_plan() {
  Plan p;
  p.pcie0_buses = 16;
  p.vsmmus.push_back(vsmmu_at(0, 0xf0, {0, 0, 1}, 1, p));
  p.vsmmus[0].root_ports[1].function = 1;
  p.vsmmus[0].root_ports[2].slot = 1;
  p.vsmmus[0].pxb.numa_node = 1;
  return p;
}

}  // namespace smmu::test
