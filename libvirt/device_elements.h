// The elements of one guest-model item in a domain's <devices>, as the merge
// (libvirt/domain_xml.h) and the hotplug XML (libvirt/hotplug_xml.h) both
// write them: one writer, so what `virsh attach-device` gets is what apply
// would have put there.
#pragma once

#include <pugixml.hpp>

#include <string>

#include "emit/guest_model.h"
#include "libvirt/assigned_device.h"

namespace smmu {

// XPath, from a domain's <devices>: every guest PCI address an element
// sits at. A <source><address type='pci'> names a host device
// (<interface type='hostdev'>, an NVMe <disk>), whose bus is the host's.
inline constexpr const char* kGuestPciAddresses = ".//address[@type='pci'][not(parent::source)]";

// <address type='pci' domain='0x0000' bus= slot= function=/> under `parent`.
pugi::xml_node add_address(pugi::xml_node parent, unsigned bus, unsigned slot, unsigned function);

// <alias name='ua-smmuplan-…'/> for plan id `id` (libvirt_alias).
void add_alias(pugi::xml_node parent, const std::string& id);

// An endpoint of the model (a vfio-pci device, through `taken` so an
// operator's element keeps its settings, or the stand-in's <rng>) with our
// alias, at its addr on the controller of index `bus_index`.
pugi::xml_node add_endpoint(pugi::xml_node devices, const ModelItem& item, unsigned bus_index,
                            const TakenOver& taken);

}  // namespace smmu
