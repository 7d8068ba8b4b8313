#include "emit/guest_model.h"

#include <set>

#include "common/byte_size.h"
#include "common/hex.h"
#include "emit/accel_props.h"

namespace smmu {
namespace {

ModelProp text(const char* name, std::string value) { return {name, std::move(value), std::nullopt}; }
ModelProp num(const char* name, uint64_t n) { return {name, std::to_string(n), n}; }
ModelProp hex_num(const char* name, uint64_t n, int width = 1) { return {name, hex(n, width), n}; }

// A PCI address on its bus: "0x1f", or "0x3.0x5" for a non-zero function;
// its number is the devfn, slot * 8 + function.
ModelProp pci_addr(unsigned slot, unsigned function) {
  std::string a = hex(slot);
  if (function != 0) a += "." + hex(function);
  return {"addr", a, slot * 8u + function};
}

// GPU options (docs/qemu.md, GPU options):
//  - `-machine highmem-mmio-size=<size>`: repeated -machine options merge
//    into the machine the operator gives;
//  - per GPU NUMA node K, `-numa node,nodeid=K` (memory-less) and
//    `-object acpi-generic-initiator,id=gi<K>,pci-dev=<GPU>,node=K`. QEMU
//    looks pci-dev up only when it builds the SRAT, so the object may follow
//    the -device; nodes 0..K-1 must exist too ("numa: Node ID missing").
void add_gpu_nodes(const DevicePlan& d, std::vector<ModelItem>& items) {
  for (int node : d.gpu_numa_nodes) {
    const auto k = static_cast<uint64_t>(node);
    items.push_back({OptionKind::Numa, "node", {num("nodeid", k)}});
    items.push_back({OptionKind::Object, "acpi-generic-initiator",
                     {text("id", "gi" + std::to_string(k)), text("pci-dev", d.id), num("node", k)}});
  }
}

void add_vsmmu(const Plan& plan, size_t k, EmitForm form, std::vector<ModelItem>& items) {
  const VsmmuPlan& v = plan.vsmmus[k];
  ModelItem pxb{OptionKind::Device, "pxb-pcie",
                {text("id", v.pxb.id), hex_num("bus_nr", v.pxb.bus_nr, 2), text("bus", "pcie.0"),
                 pci_addr(v.pxb.addr, 0)}};
  if (v.pxb.numa_node) pxb.props.push_back(num("numa_node", static_cast<uint64_t>(*v.pxb.numa_node)));
  items.push_back(std::move(pxb));

  ModelItem smmu{OptionKind::Device, "arm-smmuv3", {text("primary-bus", v.pxb.id), text("id", v.id)}};
  if (form == EmitForm::Real) {
    for (auto& p : accel_props(plan, k)) {
      bool numeric = !p.value.empty() && p.value.find_first_not_of("0123456789") == std::string::npos;
      smmu.props.push_back(numeric ? num(p.name, std::stoull(p.value)) : text(p.name, p.value));
    }
  }
  items.push_back(std::move(smmu));

  // Function 0 of a slot whose other functions are used says so.
  std::set<unsigned> multifunction_slots;
  for (const auto& rp : v.root_ports) {
    if (rp.function != 0) multifunction_slots.insert(rp.slot);
  }
  for (const auto& rp : v.root_ports) {
    ModelItem port{OptionKind::Device, "pcie-root-port",
                   {text("id", rp.id), text("bus", v.pxb.id), pci_addr(rp.slot, rp.function),
                    num("chassis", rp.chassis())}};
    if (rp.function == 0 && multifunction_slots.count(rp.slot)) port.props.push_back(text("multifunction", "on"));
    if (rp.pref64_reserve) {
      port.props.push_back({"pref64-reserve", qemu_size(rp.pref64_reserve), rp.pref64_reserve});
    }
    items.push_back(std::move(port));
  }

  for (const auto& d : plan.devices) {
    if (!v.holds(d)) continue;
    std::vector<ModelProp> placement = {text("id", d.id), text("bus", d.root_port), pci_addr(0, 0)};
    if (form == EmitForm::Real) {
      ModelItem vfio{OptionKind::Device, "vfio-pci", {text("host", d.host_bdf.str())}};
      vfio.props.insert(vfio.props.end(), placement.begin(), placement.end());
      vfio.props.push_back(text("iommufd", kIommufdId));
      items.push_back(std::move(vfio));
    } else {
      items.push_back({OptionKind::Device, kStandInDevice, placement});
    }
    add_gpu_nodes(d, items);
  }
}

}  // namespace

const char* option_flag(OptionKind kind) {
  switch (kind) {
    case OptionKind::Device: return "-device";
    case OptionKind::Object: return "-object";
    case OptionKind::Machine: return "-machine";
    case OptionKind::Numa: return "-numa";
  }
  return "";
}

const ModelProp* ModelItem::find(std::string_view name) const {
  for (const auto& p : props) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::string ModelItem::value(std::string_view name) const {
  const ModelProp* p = find(name);
  return p ? p->value : "";
}

uint64_t ModelItem::number(std::string_view name) const {
  const ModelProp* p = find(name);
  return p && p->number ? *p->number : 0;
}

GuestModel guest_model(const Plan& plan, EmitForm form) {
  GuestModel model;
  if (plan.highmem_mmio_size) {
    model.items.push_back({OptionKind::Machine, "",
                           {{"highmem-mmio-size", qemu_size(plan.highmem_mmio_size), plan.highmem_mmio_size}}});
  }
  if (form == EmitForm::Real) model.items.push_back({OptionKind::Object, "iommufd", {text("id", kIommufdId)}});
  for (size_t k = 0; k < plan.vsmmus.size(); ++k) add_vsmmu(plan, k, form, model.items);
  return model;
}

std::string option_text(const ModelItem& item) {
  std::string out = item.driver;
  for (const auto& p : item.props) {
    if (!out.empty()) out += ',';
    out += p.name + "=";
    for (char c : p.value) out += c == ',' ? std::string(",,") : std::string(1, c);  // QEMU's escape
  }
  return out;
}

}  // namespace smmu
