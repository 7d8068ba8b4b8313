#include "planner/plan_check.h"

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/byte_size.h"
#include "common/digits.h"
#include "common/hex.h"
#include "planner/limits.h"
#include "planner/request.h"

namespace smmu {
namespace {

Error bad(const std::string& what) { return make_error(ErrorKind::PlanFile, "plan: " + what); }

// `id` is `prefix` and a decimal number, as make_plan spells its ids.
bool is_numbered(std::string_view id, std::string_view prefix) {
  return id.starts_with(prefix) && is_decimal(id.substr(prefix.size()));
}

// Ids as make_plan writes them (vsmmuN, pxbN, pxbN.rpM, devN): the domain
// merge knows its own elements by these shapes (libvirt/domain_xml.h), so a
// plan with others would not be replaced by the next apply.
Status check_id_shapes(const Plan& plan) {
  auto shape = [](const std::string& id, const std::string& prefix, const char* form) -> Status {
    if (is_numbered(id, prefix)) return Ok{};
    return bad("id '" + id + "' is not one smmu-plan makes (" + form + "); plan again");
  };
  for (const auto& v : plan.vsmmus) {
    SMMU_CHECK(shape(v.id, "vsmmu", "vsmmuN"));
    SMMU_CHECK(shape(v.pxb.id, "pxb", "pxbN"));
    for (const auto& rp : v.root_ports) SMMU_CHECK(shape(rp.id, v.pxb.id + ".rp", "<its pxb>.rpN"));
  }
  for (const auto& d : plan.devices) SMMU_CHECK(shape(d.id, "dev", "devN"));
  return Ok{};
}

// Every id has its shape (so it is a QEMU id, shadows no pcie.N bus and
// gives a libvirt alias of its own: shapes hold no '-') and is used once.
Status check_ids(const Plan& plan) {
  SMMU_CHECK(check_id_shapes(plan));
  std::set<std::string> ids;
  auto add = [&](const std::string& id) -> Status {
    if (!ids.insert(id).second) return bad("id '" + id + "' is used twice");
    return Ok{};
  };
  for (const auto& v : plan.vsmmus) {
    SMMU_CHECK(add(v.id));
    SMMU_CHECK(add(v.pxb.id));
    for (const auto& rp : v.root_ports) SMMU_CHECK(add(rp.id));
  }
  for (const auto& d : plan.devices) SMMU_CHECK(add(d.id));
  return Ok{};
}

// Root ports in (slot, function) order get consecutive buses from bus_nr + 1.
Status check_root_ports(const VsmmuPlan& v) {
  if (v.root_ports.empty()) return bad(v.id + " has no root port");
  std::set<std::pair<unsigned, unsigned>> addrs;
  std::set<unsigned> slots_with_function0;
  unsigned prev_key = 0;
  for (size_t j = 0; j < v.root_ports.size(); ++j) {
    const auto& rp = v.root_ports[j];
    if (rp.slot >= limits::kSlotsPerBus || rp.function >= limits::kFunctionsPerSlot) {
      return bad(rp.id + ": address " + std::to_string(rp.slot) + "." +
                 std::to_string(rp.function) + " is not a PCI slot.function");
    }
    unsigned key = rp.slot * 8u + rp.function;
    if (j > 0 && key <= prev_key) {
      return bad(v.id + ": root ports must be listed in slot.function order");
    }
    prev_key = key;
    if (rp.function == 0) slots_with_function0.insert(rp.slot);
    unsigned want = v.pxb.bus_nr + 1u + j;
    if (rp.bus != want) {
      return bad(rp.id + ": firmware numbers it bus " + hex(want, 2) + ", not " + hex(rp.bus, 2));
    }
  }
  for (const auto& rp : v.root_ports) {
    if (!slots_with_function0.count(rp.slot)) {
      return bad(rp.id + ": slot " + std::to_string(rp.slot) + " has no function 0");
    }
  }
  return Ok{};
}

Status check_buses(const Plan& plan) {
  if (plan.vsmmus.empty()) return bad("no vSMMU");
  if (plan.vsmmus.size() > limits::kMaxVsmmus) {
    return bad(std::to_string(plan.vsmmus.size()) + " vSMMUs; QEMU's virt machine takes at most " +
               std::to_string(limits::kMaxVsmmus));
  }
  if (plan.pcie0_buses >= limits::kLastBus) return bad("pcie0_buses must be below 255");
  std::set<unsigned> pxb_slots;
  std::vector<std::pair<BusRange, std::string>> ranges;
  for (const auto& v : plan.vsmmus) {
    unsigned last = v.pxb.bus_nr + unsigned(v.root_ports.size());
    if (last > limits::kLastBus) {
      return bad(v.pxb.id + ": buses " + hex(v.pxb.bus_nr, 2) + "+" +
                 std::to_string(v.root_ports.size()) + " run past bus 0xff");
    }
    if (v.pxb.bus_nr <= plan.pcie0_buses) {
      return bad(v.pxb.id + ": bus_nr " + hex(v.pxb.bus_nr, 2) + " is inside pcie.0's buses 0x00-" +
                 hex(plan.pcie0_buses, 2));
    }
    ranges.emplace_back(v.buses(), v.pxb.id);
    if (v.pxb.addr == 0 || v.pxb.addr >= limits::kSlotsPerBus ||
        !pxb_slots.insert(v.pxb.addr).second) {
      return bad(v.pxb.id + ": pcie.0 slot " + std::to_string(v.pxb.addr) +
                 " is the host bridge's, out of range or used twice");
    }
    if (v.host_smmu.empty()) return bad(v.id + " names no host SMMU");
    SMMU_CHECK(check_root_ports(v));
  }
  std::sort(ranges.begin(), ranges.end());
  for (size_t i = 1; i < ranges.size(); ++i) {
    if (ranges[i].first.overlaps(ranges[i - 1].first)) {
      return bad(ranges[i].second + "'s buses " + hex(ranges[i].first.first, 2) + "-" +
                 hex(ranges[i].first.last, 2) + " overlap " + ranges[i - 1].second + "'s " +
                 hex(ranges[i - 1].first.first, 2) + "-" + hex(ranges[i - 1].first.last, 2));
    }
  }
  std::set<std::string> host_smmus;
  for (const auto& v : plan.vsmmus) {
    if (!host_smmus.insert(v.host_smmu).second) {
      return bad(v.host_smmu + " has two vSMMUs; each host SMMU gets exactly one");
    }
  }
  return Ok{};
}

// Each host device is planned once, on a root port of the plan that holds
// nothing else: its vSMMU and guest BDF follow from that port (planner/plan.h).
Status check_devices(const Plan& plan) {
  std::set<std::string> ports;
  for (const auto& v : plan.vsmmus) {
    for (const auto& rp : v.root_ports) ports.insert(rp.id);
  }
  std::set<Bdf> hosts;
  std::set<std::string> used_ports;
  for (const auto& d : plan.devices) {
    if (!hosts.insert(d.host_bdf).second) return bad(d.host_bdf.str() + " is planned twice");
    if (!ports.count(d.root_port)) {
      return bad(d.id + " (" + d.host_bdf.str() + "): no root port '" + d.root_port + "'");
    }
    if (!used_ports.insert(d.root_port).second) return bad(d.root_port + " holds two devices");
  }
  return Ok{};
}

}  // namespace

// Values QEMU's arm-smmuv3 accepts (docs/qemu.md, arm-smmuv3).
Status check_caps(const Plan& plan) {
  for (const auto& v : plan.vsmmus) {
    if (!v.caps) continue;
    if (v.caps->oas != 44 && v.caps->oas != 48) {
      return bad(v.id + ": oas " + std::to_string(v.caps->oas) + " is not one QEMU offers (44 or 48)");
    }
    if (v.caps->ssidsize > 20) {
      return bad(v.id + ": ssidsize " + std::to_string(v.caps->ssidsize) + " is above QEMU's 20");
    }
  }
  return Ok{};
}

namespace {

// What the GPU options must be for QEMU (docs/qemu.md, GPU options): a power-of-two
// highmem-mmio-size above the default; power-of-two reserves; GPU nodes
// within QEMU's 0..127, each once, above every pxb's (the guest's own) node.
Status check_gpus(const Plan& plan) {
  if (plan.highmem_mmio_size != 0 &&
      (!is_pow2(plan.highmem_mmio_size) || plan.highmem_mmio_size <= limits::kDefaultHighmemMmioSize ||
       plan.highmem_mmio_size > limits::kMaxHighmemMmioSize)) {
    return bad("highmem_mmio_size " + std::to_string(plan.highmem_mmio_size) +
               " is not a power of two above QEMU's default 512 GiB and at most 64 TiB");
  }
  int highest_own = 0;
  for (const auto& v : plan.vsmmus) {
    if (v.pxb.numa_node) highest_own = std::max(highest_own, *v.pxb.numa_node);
    for (const auto& rp : v.root_ports) {
      if (rp.pref64_reserve != 0 && !is_pow2(rp.pref64_reserve)) {
        return bad(rp.id + ": pref64_reserve " + std::to_string(rp.pref64_reserve) +
                   " is not a power of two");
      }
    }
  }
  std::set<int> nodes;
  for (const auto& d : plan.devices) {
    for (int n : d.gpu_numa_nodes) {
      if (n <= highest_own || n > kMaxGuestNumaNode) {
        return bad(d.id + ": GPU NUMA node " + std::to_string(n) + " is not in " +
                   std::to_string(highest_own + 1) + ".." + std::to_string(kMaxGuestNumaNode) +
                   " (above the guest's own nodes, within QEMU's)");
      }
      if (!nodes.insert(n).second) return bad("GPU NUMA node " + std::to_string(n) + " is used twice");
    }
  }
  return Ok{};
}

}  // namespace

bool is_plan_id(std::string_view id) {
  if (auto port = id.find(".rp"); port != std::string_view::npos) {
    return is_numbered(id.substr(0, port), "pxb") && is_decimal(id.substr(port + 3));
  }
  return is_numbered(id, "vsmmu") || is_numbered(id, "pxb") || is_numbered(id, "dev");
}

Status check_plan(const Plan& plan) {
  SMMU_CHECK(check_ids(plan));
  SMMU_CHECK(check_gpus(plan));
  SMMU_CHECK(check_caps(plan));
  SMMU_CHECK(check_buses(plan));
  SMMU_CHECK(check_devices(plan));
  return Ok{};
}

}  // namespace smmu
