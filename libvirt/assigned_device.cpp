#include "libvirt/assigned_device.h"

#include <string>

#include "common/hex.h"

namespace smmu {
namespace {

bool is(const pugi::xml_node& n, const char* name, const char* type) {
  return std::string(n.name()) == name && std::string(n.attribute("type").value()) == type;
}

}  // namespace

std::optional<Bdf> assigned_pci_device(const pugi::xml_node& element) {
  if (!is(element, "hostdev", "pci") && !is(element, "interface", "hostdev")) return std::nullopt;
  auto a = element.child("source").child("address");
  if (!a) return std::nullopt;
  // An interface's source address says type='pci'; a hostdev's may omit it.
  if (auto type = a.attribute("type"); type && std::string(type.value()) != "pci") return std::nullopt;
  return Bdf{a.attribute("domain").as_uint(0), static_cast<uint8_t>(a.attribute("bus").as_uint()),
             static_cast<uint8_t>(a.attribute("slot").as_uint()),
             static_cast<uint8_t>(a.attribute("function").as_uint())};
}

void TakenOver::keep(const Bdf& host, const pugi::xml_node& element) {
  by_host_[host] = kept_.append_copy(element);
}

pugi::xml_node TakenOver::place(pugi::xml_node devices, const Bdf& host) const {
  pugi::xml_node n;
  if (auto it = by_host_.find(host); it != by_host_.end()) {
    n = devices.append_copy(it->second);
    while (n.remove_child("alias")) {
    }
    while (n.remove_child("address")) {
    }
  } else {
    n = devices.append_child("hostdev");
    n.append_attribute("mode") = "subsystem";
    n.append_attribute("type") = "pci";
    n.append_attribute("managed") = "yes";
    n.append_child("source").append_child("address");
  }
  // The source as libvirt writes it back (hex), the same device.
  auto src = n.child("source").child("address");
  for (auto [name, value] : {std::pair{"domain", hex(host.domain, 4)}, std::pair{"bus", hex(host.bus, 2)},
                             std::pair{"slot", hex(host.device, 2)}, std::pair{"function", hex(host.function, 1)}}) {
    auto a = src.attribute(name);
    (a ? a : src.append_attribute(name)) = value.c_str();
  }
  // vfio over iommufd whatever driver settings the operator made; <driver>
  // first, where libvirt writes it.
  auto driver = n.child("driver");
  if (!driver) driver = n.prepend_child("driver");
  if (auto iommufd = driver.attribute("iommufd")) {
    iommufd = "yes";
  } else {
    driver.append_attribute("iommufd") = "yes";
  }
  return n;
}

}  // namespace smmu
