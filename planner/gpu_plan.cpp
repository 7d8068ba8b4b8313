#include "planner/gpu_plan.h"

#include <algorithm>

#include "common/byte_size.h"
#include "planner/limits.h"

namespace smmu {
namespace {

constexpr uint16_t kNvidia = 0x10de;
constexpr uint32_t kDisplayClass = 0x03;  // base class: VGA 0x0300, 3D 0x0302, ...

uint64_t bars64(const PciDevice& d, bool prefetchable_only) {
  uint64_t sum = 0;
  for (const auto& bar : d.bars) {
    if (bar.is_64bit && (bar.prefetchable || !prefetchable_only)) sum = add_saturating(sum, bar.size);
  }
  return sum;
}

Result<unsigned> first_gpu_node(const PlanRequest& request) {
  int highest = 0;  // guest node 0 is always the guest's own
  for (const auto& [host, guest] : request.numa_map) highest = std::max(highest, guest);
  unsigned first = request.gpu.first_numa_node.value_or(highest + 1u);
  if (first <= static_cast<unsigned>(highest)) {
    return make_error(ErrorKind::Request,
                      "the first GPU NUMA node, " + std::to_string(first) +
                          ", is not above the guest's own nodes 0.." + std::to_string(highest) +
                          " (the NUMA map's); start the GPU nodes at " +
                          std::to_string(highest + 1) + " or above");
  }
  return first;
}

}  // namespace

uint64_t prefetchable64_bytes(const PciDevice& d) { return bars64(d, true); }

bool is_gpu(uint16_t vendor, uint32_t class_code) {
  return vendor == kNvidia && (class_code >> 16) == kDisplayClass;
}

uint64_t mmio64_need(const Inventory& inv, const Plan& plan) {
  uint64_t need = 0;
  for (const auto& d : plan.devices) {
    const PciDevice* host = inv.find(d.host_bdf);
    uint64_t bars = host ? bars64(*host, false) : 0;
    need = add_saturating(need, std::max(bars, plan.port_of(d).pref64_reserve));
  }
  return add_saturating(need, spare_reserves(plan).bytes);
}

SpareReserves spare_reserves(const Plan& plan) {
  SpareReserves r;
  for_each_spare_port(plan, [&](const VsmmuPlan&, const RootPortPlan& rp) {
    if (rp.pref64_reserve == 0) return;
    ++r.ports;
    r.bytes = add_saturating(r.bytes, rp.pref64_reserve);
  });
  return r;
}

std::string spare_reserves_text(const SpareReserves& spare) {
  if (spare.ports == 0) return "";
  return " (" + human_size(spare.bytes) + " of it " +
         (spare.ports == 1 ? std::string("a hotplug reserve on 1 spare root port)")
                           : "hotplug reserves on " + std::to_string(spare.ports) + " spare root ports)");
}

std::optional<uint64_t> highmem_mmio_size_for(uint64_t need) {
  if (need > (1ull << 62)) return std::nullopt;  // 2 * need has no power of two above it
  uint64_t size = *pow2_ceil(2 * need);
  return size <= limits::kDefaultHighmemMmioSize ? 0 : size;
}

Status plan_gpus(const Inventory& inv, const PlanRequest& request, Plan& plan) {
  SMMU_TRY(first, first_gpu_node(request));
  unsigned per_gpu = request.gpu.numa_nodes_per_gpu;
  unsigned next = first, gpus = 0;
  for (auto& d : plan.devices) {
    if (!is_gpu(d.vendor, d.class_code)) continue;
    ++gpus;
    const PciDevice* host = inv.find(d.host_bdf);
    uint64_t pref64 = host ? bars64(*host, true) : 0;
    // A reserve past the largest window cannot be given: plan_high_mmio
    // refuses it, with the numbers (mmio64_need counts the BARs).
    if (pref64 != 0 && pref64 <= limits::kMaxHighmemMmioSize) plan.port_of(d).pref64_reserve = *pow2_ceil(pref64);
    for (unsigned i = 0; i < per_gpu; ++i) d.gpu_numa_nodes.push_back(static_cast<int>(next++));
  }
  if (per_gpu > 0 && gpus > 0 && next - 1 > static_cast<unsigned>(kMaxGuestNumaNode)) {
    return make_error(ErrorKind::NoFit,
                      std::to_string(gpus) + " GPUs x " + std::to_string(per_gpu) +
                          " guest NUMA nodes from node " + std::to_string(first) + " end at node " +
                          std::to_string(next - 1) + ", past QEMU's last node " +
                          std::to_string(kMaxGuestNumaNode) +
                          ": give each GPU fewer (--gpu-numa-nodes) or start lower "
                          "(--gpu-first-numa-node)");
  }
  return Ok{};
}

Status plan_high_mmio(const Inventory& inv, Plan& plan) {
  uint64_t need = mmio64_need(inv, plan);
  auto window = highmem_mmio_size_for(need);
  if (!window || *window > limits::kMaxHighmemMmioSize) {
    const std::string took = need == UINT64_MAX ? "more than 16 EiB" : human_size(need);
    const SpareReserves spare = spare_reserves(plan);
    const std::string headroom = window ? "; with headroom that is a " + human_size(*window) + " high MMIO window" : "";
    const std::string advice = spare.ports == 0 ? "split the devices over several VMs"
                                                : "give a smaller --hotplug-pref64-reserve or fewer "
                                                  "--hotplug-ports, or split the devices over several VMs";
    return make_error(ErrorKind::NoFit,
                      "the devices' 64-bit BARs and reserves take " + took + spare_reserves_text(spare) + headroom +
                          ", more than the " + human_size(limits::kMaxHighmemMmioSize) +
                          " a 48-bit guest address space holds: " + advice);
  }
  plan.highmem_mmio_size = *window;
  return Ok{};
}

}  // namespace smmu
