#include "libvirt/qemu_override.h"

#include <cstring>

namespace smmu {
namespace {

constexpr const char* kQemuNamespace = "http://libvirt.org/schemas/domain/qemu/1.0";

}  // namespace

std::string qemu_namespace_prefix(pugi::xml_node domain, bool declare) {
  for (auto a : domain.attributes()) {
    if (std::strncmp(a.name(), "xmlns:", 6) == 0 && std::strcmp(a.value(), kQemuNamespace) == 0) {
      return std::string(a.name() + 6) + ":";
    }
  }
  // Undeclared: "qemu", unless the domain binds that prefix to another
  // namespace (a second xmlns:qemu would make the document ill-formed).
  std::string prefix = "qemu";
  for (int n = 2; domain.attribute(("xmlns:" + prefix).c_str()); ++n) prefix = "qemu" + std::to_string(n);
  if (declare) domain.append_attribute(("xmlns:" + prefix).c_str()) = kQemuNamespace;
  return prefix + ":";
}

void set_qemu_overrides(pugi::xml_node domain, const std::string& our_prefix,
                        const std::vector<QemuPropertyOverride>& overrides) {
  const std::string q = qemu_namespace_prefix(domain, !overrides.empty());
  const std::string override_name = q + "override", device_name = q + "device";
  pugi::xml_node override_node = domain.child(override_name.c_str());
  if (override_node) {
    std::vector<pugi::xml_node> ours;
    for (auto device : override_node.children(device_name.c_str())) {
      if (std::string(device.attribute("alias").value()).rfind(our_prefix, 0) == 0) ours.push_back(device);
    }
    for (auto device : ours) override_node.remove_child(device);
  }
  if (overrides.empty()) {
    if (override_node && !override_node.first_child()) domain.remove_child(override_node);
    return;
  }
  if (!override_node) override_node = domain.append_child(override_name.c_str());
  for (const auto& o : overrides) {
    auto device = override_node.append_child(device_name.c_str());
    device.append_attribute("alias") = o.alias.c_str();
    auto property = device.append_child((q + "frontend").c_str()).append_child((q + "property").c_str());
    property.append_attribute("name") = o.name.c_str();
    property.append_attribute("type") = "unsigned";
    property.append_attribute("value") = o.value.c_str();
  }
}

}  // namespace smmu
