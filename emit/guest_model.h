// What the guest gets from a plan in a form, as one ordered list of QEMU
// options: the machine options, objects, NUMA nodes and devices, each with
// its driver and its properties in QEMU's spelling and order. Every emitter
// serializes this model and derives nothing itself: qemu_args writes each
// item as an option, the libvirt XML (libvirt/domain_xml.h) turns items into
// elements and passes the rest through libvirt's QEMU namespace. Slots,
// functions, chassis, vSMMU properties and GPU options are worked out here
// only.
//
// Order (each rule where QEMU needs it, docs/qemu.md):
//  - a -machine highmem-mmio-size first, then the iommufd object (real form);
//  - per vSMMU in plan order: its pxb-pcie, then its arm-smmuv3 (which names
//    the pxb as primary bus, so the pxb must exist first), its root ports,
//    then each device behind them followed by its GPU NUMA nodes and
//    generic initiators.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emit/emit_form.h"
#include "planner/plan.h"

namespace smmu {

// What follows -device, -object, -machine or -numa.
enum class OptionKind { Device, Object, Machine, Numa };

const char* option_flag(OptionKind kind);  // "-device", ...

struct ModelProp {
  std::string name;
  std::string value;              // QEMU's spelling: "on", "0xe5", "64G", "pxb0"
  std::optional<uint64_t> number; // the number a numeric value stands for (a size in bytes)
};

struct ModelItem {
  OptionKind kind = OptionKind::Device;
  std::string driver;             // "pxb-pcie", "iommufd", "node"; "" for a -machine property
  std::vector<ModelProp> props;   // id, bus and addr included, in QEMU's order

  const ModelProp* find(std::string_view name) const;
  // The value of `name`, "" when the item has none.
  std::string value(std::string_view name) const;
  // The number of `name`; 0 when it has none.
  uint64_t number(std::string_view name) const;
};

struct GuestModel {
  std::vector<ModelItem> items;
};

// The plan must have passed check_plan() (every plan from make_plan or
// plan_from_json_text has).
GuestModel guest_model(const Plan& plan, EmitForm form);

// The option text of an item: "pxb-pcie,id=pxb0,bus_nr=0xe5,bus=pcie.0,addr=0x1".
std::string option_text(const ModelItem& item);

// The endpoint that stands in for a vfio device in the rehearsal form.
inline constexpr const char* kStandInDevice = "virtio-rng-pci";
// The id of the iommufd object every vfio device of the real form names.
inline constexpr const char* kIommufdId = "iommufd0";

}  // namespace smmu
