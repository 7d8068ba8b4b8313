#include "planner/hotplug.h"

#include <algorithm>
#include <map>

#include "common/byte_size.h"
#include "common/digits.h"
#include "planner/gpu_plan.h"
#include "planner/limits.h"
#include "planner/plan_check.h"
#include "planner/vsmmu_caps.h"

namespace smmu {
namespace {

// "ats=on ril=on ssidsize=16 oas=48 cmdqv=off", as QEMU's options spell them.
std::string caps_text(const VsmmuCaps& c) {
  std::string out;
  for (const auto& p : caps_props(c)) out += (out.empty() ? "" : " ") + std::string(p.name) + "=" + p.value;
  return out;
}

// "devN" one above the highest N the plan uses: an id QEMU may still hold
// for a device being unplugged is never handed out again.
std::string next_device_id(const Plan& plan) {
  unsigned next = 0;
  for (const auto& d : plan.devices) {
    auto n = parse_digits<unsigned>(std::string_view(d.id).substr(3));
    if (n) next = std::max(next, *n + 1);
  }
  return "dev" + std::to_string(next);
}

// Devices in vSMMU order, then port order (planner/plan.h), as make_plan
// lists them: the emitters create them in this order.
void sort_devices(Plan& plan) {
  std::map<std::string, size_t> rank;
  for (const auto& v : plan.vsmmus) {
    for (const auto& rp : v.root_ports) rank.emplace(rp.id, rank.size());
  }
  std::stable_sort(plan.devices.begin(), plan.devices.end(),
                   [&](const DevicePlan& a, const DevicePlan& b) { return rank[a.root_port] < rank[b.root_port]; });
}

// QEMU fixed the vSMMU's properties when the guest started; a host SMMU that
// reports other caps now (a firmware or kernel change) would have the device
// refused at device_add. Unknown caps on either side are left to QEMU.
Status check_caps_unchanged(const VsmmuPlan& v, const HostSmmu& host) {
  if (!v.caps || !host.caps) return Ok{};
  auto now = vsmmu_caps(host, false);
  if (now && *now && **now == *v.caps) return Ok{};
  const std::string what = now && *now ? "would now get " + caps_text(**now) : now ? "" : now.error().message;
  return make_error(ErrorKind::NoFit, v.id + " was started with " + caps_text(*v.caps) + " but " + host.name + " " +
                                          what + ": QEMU keeps a vSMMU's properties for the life of the guest, "
                                          "so plan again and restart the guest");
}

// The device's 64-bit prefetchable BARs must fit the window firmware gave
// the port at boot (docs/qemu.md, Hotplug): its pref64-reserve, or without
// one what firmware gives an empty hotplug port.
Status check_window(const RootPortPlan& port, const PciDevice& d) {
  const uint64_t bars = prefetchable64_bytes(d);
  const uint64_t window = port.pref64_reserve ? port.pref64_reserve : limits::kUnreservedPortPref64;
  if (bars <= window) return Ok{};
  const uint64_t want = pow2_ceil(bars).value_or(bars);
  return make_error(ErrorKind::NoFit,
                    d.bdf.str() + "'s 64-bit prefetchable BARs take " + human_size(bars) + " but firmware gave " +
                        port.id + " a window of " + human_size(window) +
                        (port.pref64_reserve ? "" : " (no pref64-reserve)") +
                        ": plan again with --hotplug-pref64-reserve " + qemu_size(want) +
                        " and restart the guest");
}

}  // namespace

const DevicePlan* planned_device(const Plan& plan, const Bdf& host) {
  for (const auto& d : plan.devices) {
    if (d.host_bdf == host) return &d;
  }
  return nullptr;
}

Result<Hotplug> plan_hotplug(const Plan& plan, const Inventory& inv, const Bdf& device) {
  if (const DevicePlan* d = planned_device(plan, device)) {
    return make_error(ErrorKind::Request, device.str() + " is already in the plan as " + d->id + " (guest " +
                                              plan.guest_bdf(*d).str() + " behind " + plan.vsmmu_of(*d).id +
                                              "); unplug it first");
  }
  const PciDevice* d = inv.find(device);
  if (!d) return make_error(ErrorKind::Request, device.str() + ": no such PCI device on this host");
  if (!d->assignable) return make_error(ErrorKind::Request, device.str() + " cannot be assigned: " + d->reason);
  // Assignable implies behind an SMMUv3 (hostprobe/inventory.h).
  const HostSmmu& host = inv.smmus.at(*d->smmu);

  Hotplug out{plan, {}, {}};
  auto v = std::find_if(out.plan.vsmmus.begin(), out.plan.vsmmus.end(),
                        [&](const VsmmuPlan& p) { return p.host_smmu == host.name; });
  if (v == out.plan.vsmmus.end()) {
    return make_error(ErrorKind::NoFit,
                      device.str() + " sits behind " + host.name + ", which has no vSMMU in this plan, and a vSMMU "
                      "cannot be added to a running guest: plan again with --hotplug-smmu " + host.name +
                      " --hotplug-ports N and restart the guest");
  }
  SMMU_CHECK(check_caps_unchanged(*v, host));
  auto port = std::find_if(v->root_ports.begin(), v->root_ports.end(),
                           [&](const RootPortPlan& rp) { return !out.plan.device_on(rp); });
  if (port == v->root_ports.end()) {
    return make_error(ErrorKind::NoFit,
                      v->id + " (" + host.name + ") has no free root port: all " +
                          std::to_string(v->root_ports.size()) +
                          " hold devices; unplug one, or plan again with more --hotplug-ports and restart "
                          "the guest");
  }
  SMMU_CHECK(check_window(*port, *d));

  DevicePlan& placed = out.device;
  placed.id = next_device_id(plan);
  placed.host_bdf = device;
  placed.root_port = port->id;
  placed.vendor = d->vendor;
  placed.device = d->device;
  placed.class_code = d->class_code;
  out.plan.devices.push_back(placed);
  sort_devices(out.plan);
  if (is_gpu(d->vendor, d->class_code)) {
    out.note = device.str() + " is a GPU: hotplugged, it gets no guest NUMA nodes (QEMU takes -numa and "
               "acpi-generic-initiator at start only); cold-plug it for them";
  }
  // Phase invariant: the plan after is one make_plan could have made.
  SMMU_CHECK(check_plan(out.plan));
  return out;
}

Result<Plan> plan_unplug(const Plan& plan, const Bdf& host) {
  const DevicePlan* d = planned_device(plan, host);
  if (!d) return make_error(ErrorKind::Request, host.str() + " is not in the plan: nothing to unplug");
  if (!d->gpu_numa_nodes.empty()) {
    return make_error(ErrorKind::Request,
                      host.str() + " (" + d->id + ") is a GPU with guest NUMA nodes, whose generic initiators name "
                      "it for as long as the guest runs: shut the guest down and plan without it");
  }
  Plan out = plan;
  const std::string id = d->id;
  // Its root port is spare again: no device names it.
  out.devices.erase(std::remove_if(out.devices.begin(), out.devices.end(),
                                   [&](const DevicePlan& x) { return x.id == id; }),
                    out.devices.end());
  SMMU_CHECK(check_plan(out));
  return out;
}

}  // namespace smmu
