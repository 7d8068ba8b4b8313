#include "planner/plan_explain.h"

#include "common/byte_size.h"
#include "common/hex.h"
#include "common/node_list.h"
#include "common/text_format.h"
#include "planner/gpu_plan.h"
#include "planner/limits.h"
#include "planner/numa_map.h"
#include "planner/planner.h"

namespace smmu {
namespace {

using nlohmann::json;

Explanation::Device device_of(const PciDevice& d) {
  return {d.bdf, d.vendor, d.device, d.class_code};
}

const char* left_out_phrase(LeftOut why) {
  switch (why) {
    case LeftOut::Bridge: return "bridge";
    case LeftOut::NoSmmuv3: return "no SMMUv3";
    case LeftOut::NotAssignable: return "not assignable";
    case LeftOut::NotRequested: return "not requested";
    case LeftOut::NotSelected: return "not selected";
    case LeftOut::None: break;
  }
  return "chosen";
}

// The buses between pcie.0's range and the first pxb: the pxbs are packed
// against bus 255, so this is every free bus. Empty when none is free.
std::optional<BusRange> free_buses(const Plan& plan) {
  unsigned first = plan.pcie0_buses + 1u;
  unsigned end = plan.vsmmus.empty() ? limits::kLastBus + 1 : plan.vsmmus.front().pxb.bus_nr;
  if (first >= end) return std::nullopt;
  return BusRange{static_cast<uint8_t>(first), static_cast<uint8_t>(end - 1)};
}

unsigned spare_ports(const Plan& plan, const VsmmuPlan& v) {
  unsigned spare = 0;
  for (const auto& rp : v.root_ports) spare += !plan.device_on(rp);
  return spare;
}

std::string describe(const Explanation::Device& d) {
  return text_format("%s  %04x:%04x class %06x", d.bdf.str().c_str(), d.vendor, d.device, d.class_code);
}

// "  gpu: guest numa nodes 1-8 (...); root port keeps 256 GiB ...\n", or "".
std::string gpu_line(const DevicePlan& d, const RootPortPlan& rp) {
  std::string out;
  if (!d.gpu_numa_nodes.empty()) {
    out = "guest numa nodes " +
          node_list_text({d.gpu_numa_nodes.begin(), d.gpu_numa_nodes.end()}) +
          " (memory-less, an acpi-generic-initiator each)";
  }
  if (rp.pref64_reserve) {
    out += (out.empty() ? "" : "; ") + std::string("root port keeps ") +
           human_size(rp.pref64_reserve) + " of 64-bit prefetchable window (pref64-reserve)";
  }
  return out.empty() ? out : "  gpu: " + out + "\n";
}

// "\nspare root ports: ..." per vSMMU, each with the guest address a device
// hotplugged there gets and the 64-bit window firmware keeps for it; "" for none.
std::string spare_ports_text(const Plan& plan) {
  std::string out;
  const VsmmuPlan* last = nullptr;
  unsigned count = 0;
  for_each_spare_port(plan, [&](const VsmmuPlan& v, const RootPortPlan& rp) {
    ++count;
    if (&v != last) {
      out += text_format("  %s (host %s, %s):\n", v.id.c_str(), v.host_smmu.c_str(), v.pxb.id.c_str());
      last = &v;
    }
    std::string reserve = rp.pref64_reserve ? human_size(rp.pref64_reserve) +
                                                  " of 64-bit prefetchable window (pref64-reserve)"
                                            : "no 64-bit reserve: devices with small BARs only";
    out += text_format("    %s (%02x.%x, bus 0x%02x) -> guest %s  %s\n", rp.id.c_str(), rp.slot, rp.function,
                       rp.bus, rp.guest_bdf().str().c_str(), reserve.c_str());
  });
  if (count == 0) return "";
  return text_format("\nspare root ports: %u, for devices hotplugged later\n", count) + out;
}

std::string highmem_text(const Explanation& e) {
  std::string out = "\nhigh PCI MMIO: the devices' 64-bit BARs and reserves take " +
                    human_size(e.mmio64_need) + spare_reserves_text(spare_reserves(e.plan)) + "; ";
  if (e.plan.highmem_mmio_size == 0) {
    return out + "QEMU's default 512 GiB window holds twice that\n";
  }
  return out + "-machine highmem-mmio-size=" + qemu_size(e.plan.highmem_mmio_size) +
         " (twice that, rounded up to a power of two)\n";
}

json device_json(const Explanation::Device& d) {
  return {{"host_bdf", d.bdf.str()}, {"vendor", hex(d.vendor, 4)}, {"device", hex(d.device, 4)},
          {"class", hex(d.class_code, 6)}};
}

}  // namespace

Result<Explanation> explain_plan(const Inventory& inv, const PlanRequest& request) {
  SMMU_TRY(plan, make_plan(inv, request));
  Explanation e;
  e.plan = std::move(plan);
  e.mmio64_need = mmio64_need(inv, e.plan);
  for (size_t k = 0; k < e.plan.vsmmus.size(); ++k) {
    const VsmmuPlan& v = e.plan.vsmmus[k];
    std::vector<const PciDevice*> devices;
    std::vector<size_t> ports;
    for (size_t j = 0; j < v.root_ports.size(); ++j) {
      const DevicePlan* d = e.plan.device_on(v.root_ports[j]);
      if (!d) continue;
      devices.push_back(inv.find(d->host_bdf));
      ports.push_back(j);
    }
    if (devices.empty()) continue;  // reserved for hotplug: the spare ports and bus budget show it
    const HostSmmu& smmu = inv.smmus[*devices.front()->smmu];
    int host_node = host_numa_node(smmu, devices);
    for (size_t i = 0; i < devices.size(); ++i) {
      const RootPortPlan& rp = v.root_ports[ports[i]];
      e.chosen.push_back({device_of(*devices[i]), judge_device(*devices[i], inv, request).chosen_by,
                          smmu.name, host_node, k, ports[i], rp.guest_bdf()});
    }
  }
  for (const auto& d : inv.devices) {
    DeviceChoice c = judge_device(d, inv, request);
    if (c.left_out != LeftOut::None) e.left_out.push_back({device_of(d), c.left_out, c.detail});
  }
  return e;
}

std::string explanation_text(const Explanation& e) {
  const Plan& plan = e.plan;
  size_t reserved = 0;
  for (const auto& v : plan.vsmmus) reserved += spare_ports(plan, v) == v.root_ports.size();
  size_t with_devices = plan.vsmmus.size() - reserved;
  std::string out = text_format("chosen: %zu device%s behind %zu host SMMU%s, one vSMMU each",
                                e.chosen.size(), e.chosen.size() == 1 ? "" : "s", with_devices,
                                with_devices == 1 ? "" : "s");
  if (reserved) out += text_format("; %zu more reserved for hotplug", reserved);
  out += "\n";
  for (const auto& c : e.chosen) {
    const VsmmuPlan& v = plan.vsmmus[c.vsmmu];
    const RootPortPlan& rp = v.root_ports[c.root_port];
    std::string by;
    for (const auto& b : c.chosen_by) by += (by.empty() ? "" : "; ") + b;
    std::string guest_node = v.pxb.numa_node ? text_format(", guest numa %d", *v.pxb.numa_node) : "";
    out += "\n" + describe(c.device) + "\n";
    out += "  chosen by: " + by + "\n";
    out += text_format("  host %s (numa %d) -> %s\n", c.host_smmu.c_str(), c.host_numa_node, v.id.c_str());
    out += text_format("  -> %s (bus_nr 0x%02x, pcie.0 slot 0x%02x%s) -> root port %s (%02x.%x, bus 0x%02x)"
                  " -> guest %s\n",
                  v.pxb.id.c_str(), v.pxb.bus_nr, v.pxb.addr, guest_node.c_str(), rp.id.c_str(),
                  rp.slot, rp.function, rp.bus, c.guest_bdf.str().c_str());
    out += gpu_line(*plan.device_on(rp), rp);  // a chosen device's port holds it
  }
  out += spare_ports_text(plan);

  out += text_format("\nleft out: %zu device%s\n", e.left_out.size(), e.left_out.size() == 1 ? "" : "s");
  for (const auto& s : e.left_out) {
    out += describe(s.device) + "  " + left_out_phrase(s.why) + ": " + s.detail + "\n";
  }

  out += "\nbuses (one PCI domain, 0x00-0xff):\n";
  out += text_format("  pcie.0  0x00-0x%02x  %3u  kept for its own root ports\n", plan.pcie0_buses,
                plan.pcie0_buses + 1);
  auto free = free_buses(plan);
  if (free) out += text_format("  free    0x%02x-0x%02x  %3u\n", free->first, free->last, free->count());
  else out += "  free    none\n";
  for (const auto& v : plan.vsmmus) {
    BusRange b = v.buses();
    unsigned spare = spare_ports(plan, v);
    out += text_format("  %-6s  0x%02x-0x%02x  %3u  %s: the pxb and %zu root port%s (%zu device%s, %u spare)%s\n",
                  v.pxb.id.c_str(), b.first, b.last, b.count(), v.id.c_str(), v.root_ports.size(),
                  v.root_ports.size() == 1 ? "" : "s", v.root_ports.size() - spare,
                  v.root_ports.size() - spare == 1 ? "" : "s", spare,
                  spare == v.root_ports.size() ? (", reserved for hotplug behind " + v.host_smmu).c_str() : "");
  }
  return out + highmem_text(e);
}

json explanation_to_json(const Explanation& e) {
  const Plan& plan = e.plan;
  json chosen = json::array();
  for (const auto& c : e.chosen) {
    const VsmmuPlan& v = plan.vsmmus[c.vsmmu];
    const RootPortPlan& rp = v.root_ports[c.root_port];
    const DevicePlan& d = *plan.device_on(rp);  // a chosen device's port holds it
    json gpu = nullptr;
    if (!d.gpu_numa_nodes.empty() || rp.pref64_reserve) {
      gpu = {{"numa_nodes", d.gpu_numa_nodes}, {"pref64_reserve", rp.pref64_reserve}};
    }
    json j = device_json(c.device);
    j.update({{"chosen_by", c.chosen_by}, {"host_smmu", c.host_smmu},
              {"host_numa_node", c.host_numa_node}, {"vsmmu", v.id}, {"pxb", v.pxb.id},
              {"root_port", v.root_ports[c.root_port].id}, {"guest_bdf", c.guest_bdf.str()},
              {"guest_numa_node", v.pxb.numa_node ? json(*v.pxb.numa_node) : json(nullptr)},
              {"gpu", gpu}});
    chosen.push_back(std::move(j));
  }
  json left_out = json::array();
  for (const auto& s : e.left_out) {
    json j = device_json(s.device);
    j.update({{"reason", left_out_name(s.why)}, {"detail", s.detail}});
    left_out.push_back(std::move(j));
  }
  json spare = json::array();
  for_each_spare_port(plan, [&](const VsmmuPlan& v, const RootPortPlan& rp) {
    spare.push_back({{"vsmmu", v.id}, {"host_smmu", v.host_smmu}, {"pxb", v.pxb.id}, {"root_port", rp.id},
                     {"guest_bdf", rp.guest_bdf().str()},
                     {"pref64_reserve", rp.pref64_reserve ? json(rp.pref64_reserve) : json(nullptr)}});
  });
  json pxbs = json::array();
  for (const auto& v : plan.vsmmus) {
    BusRange b = v.buses();
    pxbs.push_back({{"pxb", v.pxb.id}, {"vsmmu", v.id}, {"first", b.first}, {"last", b.last},
                    {"root_ports", v.root_ports.size()}, {"spare_ports", spare_ports(plan, v)}});
  }
  auto free = free_buses(plan);
  json free_json = {{"count", free ? free->count() : 0u},
                    {"first", free ? json(free->first) : json(nullptr)},
                    {"last", free ? json(free->last) : json(nullptr)}};
  json highmem = {{"needed", e.mmio64_need},
                  {"size", plan.highmem_mmio_size ? json(plan.highmem_mmio_size) : json(nullptr)}};
  return {{"chosen", chosen},
          {"spare_root_ports", spare},
          {"left_out", left_out},
          {"highmem_mmio", highmem},
          {"buses", {{"pcie0", {{"first", 0}, {"last", plan.pcie0_buses}}},
                     {"free", free_json},
                     {"pxbs", pxbs}}}};
}

}  // namespace smmu
