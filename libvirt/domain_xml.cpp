#include "libvirt/domain_xml.h"

#include <pugixml.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>
#include <string_view>
#include <vector>

#include "common/digits.h"
#include "common/hex.h"
#include "libvirt/assigned_device.h"
#include "libvirt/device_elements.h"
#include "libvirt/gpu_xml.h"
#include "libvirt/qemu_override.h"
#include "libvirt/xml_bounds.h"
#include "planner/plan_check.h"

namespace smmu {
namespace {

// The alias of one of make_plan's ids (libvirt_alias: "pxb0.rp1" is
// "ua-smmuplan-pxb0-rp1").
bool is_our_alias(std::string_view alias) {
  if (!alias.starts_with(kOurAliasPrefix)) return false;
  std::string id(alias.substr(std::string_view(kOurAliasPrefix).size()));
  if (auto port = id.find("-rp"); port != std::string::npos) id[port] = '.';
  return is_plan_id(id);
}

// Whether an element with our prefix is one smmu-plan writes: its kind and
// an alias of one of make_plan's ids.
bool written_by_us(const pugi::xml_node& n) {
  if (!is_our_alias(n.child("alias").attribute("name").value())) return false;
  std::string name = n.name(), model = n.attribute("model").value();
  if (name == "controller") {
    return std::string(n.attribute("type").value()) == "pci" &&
           (model == "pcie-expander-bus" || model == "pcie-root-port");
  }
  return name == "hostdev" || name == "rng" || (name == "iommu" && model == "smmuv3") ||
         (name == "interface" && std::string(n.attribute("type").value()) == "hostdev");
}

// Everything with our prefix is removed on apply: an element of the
// operator's that carries it would go too, so it is refused instead.
Status check_prefix_owners(pugi::xml_node devices) {
  for (auto n : devices.children()) {
    // Whose an element is goes by its alias: libvirt's schema has at most
    // one (docs/libvirt.md), and a second would make it ours and theirs.
    auto aliases = n.children("alias");
    if (std::distance(aliases.begin(), aliases.end()) > 1) {
      return domain_xml_conflict("<" + std::string(n.name()) +
                                 "> has more than one <alias>; libvirt's schema allows one");
    }
    if (has_our_alias(n) && !written_by_us(n)) {
      return domain_xml_conflict("<" + std::string(n.name()) + "> has alias '" +
                                 n.child("alias").attribute("name").value() + "', which starts with smmu-plan's '" +
                                 kOurAliasPrefix + "': smmu-plan replaces whatever carries it; give it another alias");
    }
  }
  return Ok{};
}

bool is_pci_controller(const pugi::xml_node& n) {
  return std::string(n.name()) == "controller" && std::string(n.attribute("type").value()) == "pci";
}

// Removes our earlier topology and the elements assigning a device the plan
// takes over, which `taken` keeps for the plan to place again; returns the
// indexes of the PCI controllers removed. smmu-plan never writes an
// <interface>: one of ours whose VF the plan leaves out is the operator's
// NIC, so it stays, without our alias and address (libvirt places it).
std::set<unsigned> remove_ours(pugi::xml_node devices, const std::set<Bdf>& planned, TakenOver& taken) {
  std::vector<pugi::xml_node> doomed;
  std::set<unsigned> indexes;
  for (auto n : devices.children()) {
    auto source = assigned_pci_device(n);
    if (source && planned.count(*source)) {
      taken.keep(*source, n);
      doomed.push_back(n);
    } else if (has_our_alias(n) && std::string(n.name()) == "interface") {
      n.remove_child("alias");
      n.remove_child("address");
    } else if (has_our_alias(n)) {
      doomed.push_back(n);
      if (is_pci_controller(n)) indexes.insert(n.attribute("index").as_uint());
    }
  }
  for (auto n : doomed) devices.remove_child(n);
  return indexes;
}

Status check_what_remains(const Plan& plan, pugi::xml_node devices,
                          const std::set<unsigned>& removed_indexes, unsigned& next_index) {
  if (auto iommu = devices.child("iommu")) {
    return domain_xml_conflict(std::string("the domain has its own <iommu model='") +
                               iommu.attribute("model").value() +
                               "'>; remove it: smmu-plan gives the guest one smmuv3 per host SMMU");
  }
  unsigned lowest_bus_nr = 255;
  for (const auto& v : plan.vsmmus) lowest_bus_nr = std::min<unsigned>(lowest_bus_nr, v.pxb.bus_nr);
  unsigned max_index = 0;
  for (auto n : devices.children("controller")) {
    if (!is_pci_controller(n)) continue;
    std::string model = n.attribute("model").value();
    if (model == "pcie-expander-bus" || model == "pci-expander-bus") {
      return domain_xml_conflict("the domain has its own " + model + " (index " +
                                 n.attribute("index").as_string("none") +
                                 "); remove it or assign its devices through smmu-plan");
    }
    // Without an index libvirt numbers the controller itself, after ours.
    if (!n.attribute("index")) continue;
    unsigned index = n.attribute("index").as_uint();
    if (index == 0 && model != "pcie-root") {
      return domain_xml_conflict("PCI controller 0 is '" + model + "', not pcie-root (aarch64 virt)");
    }
    if (index >= lowest_bus_nr) {
      return domain_xml_conflict("PCI controller index " + std::to_string(index) +
                                 " reaches the pxb buses from " + std::to_string(lowest_bus_nr) +
                                 "; plan with a larger --pcie0-buses");
    }
    max_index = std::max(max_index, index);
  }
  // No controller 0 at all is fine: libvirt adds pcie-root to every virt machine.
  // Guest addresses only (kGuestPciAddresses): a host device's bus is the host's.
  for (auto address : devices.select_nodes(kGuestPciAddresses)) {
    unsigned bus = address.node().attribute("bus").as_uint();
    if (removed_indexes.count(bus)) {
      return domain_xml_conflict(std::string("a <") + address.node().parent().name() +
                                 "> sits on PCI bus " + std::to_string(bus) +
                                 ", a controller smmu-plan manages; move it to pcie.0 first");
    }
  }
  next_index = max_index + 1;
  // A device on a bus no controller of the domain has would land on one of
  // the controllers smmu-plan adds (indexes from next_index): refused now,
  // not on the next apply.
  for (auto address : devices.select_nodes(kGuestPciAddresses)) {
    unsigned bus = address.node().attribute("bus").as_uint();
    if (bus >= next_index && !removed_indexes.count(bus)) {
      return domain_xml_conflict(std::string("a <") + address.node().parent().name() + "> sits on PCI bus " +
                                 std::to_string(bus) + ", which no controller of the domain has (its last is " +
                                 std::to_string(max_index) + "); smmu-plan numbers its own controllers from " +
                                 std::to_string(next_index) + ": move it to pcie.0 or add its controller");
    }
  }
  return Ok{};
}

pugi::xml_node add_controller(pugi::xml_node devices, unsigned index, const char* model,
                              const char* model_name) {
  auto c = devices.append_child("controller");
  c.append_attribute("type") = "pci";
  c.append_attribute("index") = index;
  c.append_attribute("model") = model;
  c.append_child("model").append_attribute("name") = model_name;
  return c;
}

// Where the items of the guest model sit: controller index by QEMU id.
using ControllerIndex = std::map<std::string, unsigned>;

// The arm-smmuv3 properties libvirt writes from <iommu><driver> (libvirt
// 12.7, docs/libvirt.md); any other (identifier) goes to a QEMU property
// override. `auto` is left out: libvirt has no such value, so QEMU's
// default applies.
bool is_driver_attribute(const std::string& name) {
  static const std::set<std::string> attributes = {"accel", "ats", "ril", "ssidsize", "oas", "cmdqv"};
  return attributes.count(name) > 0;
}

void add_iommu(pugi::xml_node devices, const ModelItem& item, const ControllerIndex& index,
               std::vector<QemuPropertyOverride>& overrides) {
  const std::string id = item.value("id");
  auto iommu = devices.append_child("iommu");
  iommu.append_attribute("model") = "smmuv3";
  auto driver = iommu.append_child("driver");
  driver.append_attribute("pciBus") = index.at(item.value("primary-bus"));
  for (const auto& p : item.props) {
    if (p.name == "id" || p.name == "primary-bus" || p.value == "auto") continue;
    if (is_driver_attribute(p.name)) {
      driver.append_attribute(p.name.c_str()) = p.value.c_str();
    } else {
      overrides.push_back({libvirt_alias(id), p.name, p.value});
    }
  }
  add_alias(iommu, id);
}

// Controllers first, then the endpoints on them, then the SMMUs in model
// order: libvirt creates the SMMUs in the order of these elements, and the
// guest's IORT depends on that order.
void add_topology(const GuestModel& model, pugi::xml_node devices, unsigned next_index, const TakenOver& taken) {
  ControllerIndex index;
  std::vector<QemuPropertyOverride> overrides;
  for (const auto& item : model.items) {
    if (item.kind != OptionKind::Device) continue;
    const std::string id = item.value("id");
    unsigned devfn = item.number("addr");
    if (item.driver == "pxb-pcie") {
      index[id] = next_index;
      auto c = add_controller(devices, next_index++, "pcie-expander-bus", "pxb-pcie");
      auto target = c.append_child("target");
      target.append_attribute("busNr") = static_cast<unsigned>(item.number("bus_nr"));
      if (item.find("numa_node")) target.append_child("node").text() = item.value("numa_node").c_str();
      add_alias(c, id);
      add_address(c, 0, devfn >> 3, devfn & 7);
    } else if (item.driver == "pcie-root-port") {
      index[id] = next_index;
      auto p = add_controller(devices, next_index++, "pcie-root-port", "pcie-root-port");
      auto t = p.append_child("target");
      t.append_attribute("chassis") = static_cast<unsigned>(item.number("chassis"));
      t.append_attribute("port") = hex(devfn, 1).c_str();
      add_alias(p, id);
      auto a = add_address(p, index.at(item.value("bus")), devfn >> 3, devfn & 7);
      if (item.value("multifunction") == "on") a.append_attribute("multifunction") = "on";
      if (const ModelProp* reserve = item.find("pref64-reserve")) {
        overrides.push_back({libvirt_alias(id), reserve->name, std::to_string(*reserve->number)});
      }
    }
  }
  for (const auto& item : model.items) {
    if (item.kind == OptionKind::Device && (item.driver == "vfio-pci" || item.driver == kStandInDevice)) {
      add_endpoint(devices, item, index.at(item.value("bus")), taken);
    }
  }
  for (const auto& item : model.items) {
    if (item.kind == OptionKind::Device && item.driver == "arm-smmuv3") add_iommu(devices, item, index, overrides);
  }
  set_qemu_overrides(devices.parent(), kOurAliasPrefix, overrides);
}

// QEMU's aarch64 virt machine: "virt" or a versioned "virt-X.Y".
bool is_virt_machine(std::string_view machine) {
  if (machine == "virt") return true;
  if (!machine.starts_with("virt-")) return false;
  std::string_view version = machine.substr(5);
  auto dot = version.find('.');
  return dot != std::string_view::npos && is_decimal(version.substr(0, dot)) &&
         is_decimal(version.substr(dot + 1));
}

Status check_machine(pugi::xml_node domain) {
  auto type = domain.child("os").child("type");
  if (!type) {
    return domain_xml_conflict("no <os><type arch='aarch64' machine='virt'>: vSMMUs need an aarch64 virt guest");
  }
  std::string arch = type.attribute("arch").value();
  std::string machine = type.attribute("machine").value();
  if (!arch.empty() && arch != "aarch64") {
    return domain_xml_conflict("the domain is " + arch + "; vSMMUs need an aarch64 guest");
  }
  if (!machine.empty() && !is_virt_machine(machine)) {
    return domain_xml_conflict("machine '" + machine + "' is not the aarch64 virt machine (virt or virt-X.Y)");
  }
  return Ok{};
}

}  // namespace

Error domain_xml_conflict(const std::string& what) {
  return make_error(ErrorKind::DomainXml, "domain XML: " + what);
}

bool has_our_alias(const pugi::xml_node& device) {
  std::string alias = device.child("alias").attribute("name").value();
  return alias.rfind(kOurAliasPrefix, 0) == 0;
}

std::string libvirt_alias(std::string id) {
  std::replace(id.begin(), id.end(), '.', '-');
  return kOurAliasPrefix + id;
}

std::string default_domain_xml(EmitForm form) {
  // Stand-ins rehearse under TCG; the real form runs on KVM.
  const bool real = form == EmitForm::Real;
  std::ostringstream xml;
  xml << "<domain type='" << (real ? "kvm" : "qemu") << "'>\n"
      << "  <name>smmu-plan-guest</name>\n"
      << "  <memory unit='GiB'>4</memory>\n"
      << "  <vcpu>4</vcpu>\n"
      << "  <os firmware='efi'>\n"
      << "    <type arch='aarch64' machine='virt'>hvm</type>\n"
      << "  </os>\n"
      << "  <features>\n    <acpi/>\n    <gic version='3'/>\n  </features>\n"
      << (real ? "  <cpu mode='host-passthrough'/>\n"
               : "  <cpu mode='custom' match='exact'>\n    <model>max</model>\n  </cpu>\n")
      << "  <devices>\n    <controller type='pci' index='0' model='pcie-root'/>\n  </devices>\n"
      << "</domain>\n";
  return xml.str();
}

Result<std::string> merge_topology(const Plan& plan, EmitForm form, const std::string& base_xml) {
  return merge_topology(plan, guest_model(plan, form), base_xml);
}

namespace {

// libvirt's schema has at most one of each element the merge reads or edits
// (docs/libvirt.md, How libvirt reads domain XML); the merge takes the
// first, so a second would keep what it replaces.
Status check_single_elements(pugi::xml_node domain) {
  const std::string q = qemu_namespace_prefix(domain, false);
  for (const std::string& name : {std::string("os"), std::string("cpu"), std::string("devices"), q + "commandline",
                                  q + "override"}) {
    auto all = domain.children(name.c_str());
    auto n = std::distance(all.begin(), all.end());
    if (n > 1) {
      return domain_xml_conflict("<domain> has " + std::to_string(n) + " <" + name +
                                 "> elements; libvirt's schema allows one: merge them");
    }
  }
  return Ok{};
}

}  // namespace

Result<std::string> merge_topology(const Plan& plan, const GuestModel& model, const std::string& base_xml) {
  pugi::xml_document doc;
  SMMU_CHECK(load_domain(doc, base_xml));
  auto domain = doc.document_element();
  SMMU_CHECK(check_single_elements(domain));
  SMMU_CHECK(check_machine(domain));
  auto devices = domain.child("devices");
  if (!devices) devices = domain.append_child("devices");

  std::set<Bdf> planned;
  for (const auto& d : plan.devices) planned.insert(d.host_bdf);
  SMMU_CHECK(check_prefix_owners(devices));
  TakenOver taken;
  auto removed = remove_ours(devices, planned, taken);
  unsigned next_index = 0;
  SMMU_CHECK(check_what_remains(plan, devices, removed, next_index));
  SMMU_CHECK(set_gpu_options(model, domain));
  add_topology(model, devices, next_index, taken);

  std::ostringstream out;
  doc.save(out, "  ", pugi::format_indent | pugi::format_no_declaration);
  return out.str();
}

}  // namespace smmu
