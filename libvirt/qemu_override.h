// QEMU device properties libvirt has no XML for, set through libvirt's QEMU
// namespace (<qemu:override>, since libvirt 8.2):
//
//   <domain xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
//     <qemu:override>
//       <qemu:device alias='ua-smmuplan-vsmmu0'>
//         <qemu:frontend><qemu:property name='identifier' type='unsigned' value='1'/>
//
// libvirt 12.8 writes arm-smmuv3's accel, ats, ril, ssidsize, oas and cmdqv
// from <iommu><driver>, but not `identifier`, which CMDQV guests need, nor
// pcie-root-port's pref64-reserve, which GPU root ports get.
#pragma once

#include <pugixml.hpp>

#include <string>
#include <vector>

namespace smmu {

struct QemuPropertyOverride {
  std::string alias;  // the device's alias in the domain XML, "ua-smmuplan-vsmmu0"
  std::string name;   // QEMU property, "identifier"
  std::string value;  // unsigned
};

// The prefix the domain gives libvirt's QEMU namespace, else "qemu:" (or
// "qemu2:", ... when the domain binds "qemu" to another namespace); with
// `declare`, a missing declaration is added to <domain>.
std::string qemu_namespace_prefix(pugi::xml_node domain, bool declare);

// Replaces every override of a device whose alias starts with `our_prefix`
// by `overrides`; drops an <override> left empty. The QEMU namespace is
// declared on <domain> when missing (an existing prefix for it is reused).
void set_qemu_overrides(pugi::xml_node domain, const std::string& our_prefix,
                        const std::vector<QemuPropertyOverride>& overrides);

}  // namespace smmu
