#include "libvirt/hotplug_xml.h"

#include <pugixml.hpp>

#include <sstream>

#include "libvirt/assigned_device.h"
#include "libvirt/device_elements.h"
#include "libvirt/domain_xml.h"
#include "libvirt/xml_bounds.h"

namespace smmu {
namespace {

// The element already on PCI bus `index` of the guest, if any.
pugi::xml_node device_on_bus(pugi::xml_node devices, unsigned index) {
  for (auto address : devices.select_nodes(kGuestPciAddresses)) {
    pugi::xml_node owner = address.node().parent();
    if (address.node().attribute("bus").as_uint() == index && std::string(owner.name()) != "controller") {
      return owner;
    }
  }
  return {};
}

// The index of our root port `bus` (a plan id) among the domain's controllers.
Result<unsigned> port_index(pugi::xml_node devices, const std::string& bus) {
  const std::string alias = libvirt_alias(bus);
  pugi::xml_node port = devices.find_child([&](const pugi::xml_node& n) {
    return std::string(n.name()) == "controller" && std::string(n.attribute("model").value()) == "pcie-root-port" &&
           alias == n.child("alias").attribute("name").value();
  });
  if (!port || !port.attribute("index")) {
    return domain_xml_conflict("no pcie-root-port with alias '" + alias +
                               "' and an index: give the domain this plan's topology first (smmu-plan apply), "
                               "or pass the domain's XML as libvirt has it (virsh dumpxml)");
  }
  return port.attribute("index").as_uint();
}

}  // namespace

Result<std::string> hotplug_device_xml(const ModelItem& endpoint, const std::string& domain_xml, PortUse use) {
  pugi::xml_document domain;
  SMMU_CHECK(load_domain(domain, domain_xml));
  pugi::xml_node devices = domain.document_element().child("devices");
  SMMU_TRY(index, port_index(devices, endpoint.value("bus")));
  if (use == PortUse::Attach) {
    if (auto taken = device_on_bus(devices, index)) {
      return domain_xml_conflict("root port '" + libvirt_alias(endpoint.value("bus")) + "' (controller index " +
                                 std::to_string(index) + ") already holds a <" + taken.name() +
                                 ">: the domain and the plan disagree; plan from the domain's devices again");
    }
  }
  pugi::xml_document out;
  add_endpoint(out, endpoint, index, TakenOver{});
  std::ostringstream text;
  out.save(text, "  ", pugi::format_indent | pugi::format_no_declaration);
  return text.str();
}

Status check_device_placed(const ModelItem& endpoint, const std::string& domain_xml, PortUse use) {
  pugi::xml_document domain;
  SMMU_CHECK(load_domain(domain, domain_xml));
  pugi::xml_node devices = domain.document_element().child("devices");
  const std::string alias = libvirt_alias(endpoint.value("id"));
  pugi::xml_node placed = devices.find_child(
      [&](const pugi::xml_node& n) { return alias == n.child("alias").attribute("name").value(); });
  if (use == PortUse::Detach) {
    if (!placed) return Ok{};
    return domain_xml_conflict("libvirt still has '" + alias + "' after detaching it");
  }
  if (!placed) return domain_xml_conflict("libvirt has no '" + alias + "' after attaching it");
  SMMU_TRY(index, port_index(devices, endpoint.value("bus")));
  auto address = placed.find_child([](const pugi::xml_node& n) {
    return std::string(n.name()) == "address" && std::string(n.attribute("type").value()) == "pci";
  });
  const unsigned devfn = static_cast<unsigned>(endpoint.number("addr"));
  if (address.attribute("bus").as_uint() != index || address.attribute("slot").as_uint() != (devfn >> 3) ||
      address.attribute("function").as_uint() != (devfn & 7)) {
    return domain_xml_conflict("libvirt put '" + alias + "' at bus " + address.attribute("bus").as_string("?") +
                               " slot " + address.attribute("slot").as_string("?") + ", not on root port '" +
                               libvirt_alias(endpoint.value("bus")) + "' (controller index " +
                               std::to_string(index) + ")");
  }
  return Ok{};
}

}  // namespace smmu
