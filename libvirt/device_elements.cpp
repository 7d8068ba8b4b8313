#include "libvirt/device_elements.h"

#include "common/bdf.h"
#include "common/hex.h"
#include "libvirt/domain_xml.h"

namespace smmu {

pugi::xml_node add_address(pugi::xml_node parent, unsigned bus, unsigned slot, unsigned function) {
  auto a = parent.append_child("address");
  a.append_attribute("type") = "pci";
  a.append_attribute("domain") = "0x0000";
  a.append_attribute("bus") = hex(bus, 2).c_str();
  a.append_attribute("slot") = hex(slot, 2).c_str();
  a.append_attribute("function") = hex(function, 1).c_str();
  return a;
}

void add_alias(pugi::xml_node parent, const std::string& id) {
  parent.append_child("alias").append_attribute("name") = libvirt_alias(id).c_str();
}

pugi::xml_node add_endpoint(pugi::xml_node devices, const ModelItem& item, unsigned bus_index,
                            const TakenOver& taken) {
  pugi::xml_node n;
  if (item.driver == "vfio-pci") {
    // The model holds what make_plan checked: host= always parses.
    n = taken.place(devices, *parse_bdf(item.value("host")));
  } else {
    n = devices.append_child("rng");
    n.append_attribute("model") = "virtio";
    auto backend = n.append_child("backend");
    backend.append_attribute("model") = "random";
    backend.text() = "/dev/urandom";
  }
  add_alias(n, item.value("id"));
  unsigned devfn = static_cast<unsigned>(item.number("addr"));
  add_address(n, bus_index, devfn >> 3, devfn & 7);
  return n;
}

}  // namespace smmu
