// The element `virsh attach-device` (or detach-device) takes for one device
// of a plan, at its planned root port in a domain that has the plan's
// topology (written by `smmu-plan apply`).
//
// libvirt names a guest PCI bus by its controller's index, which only the
// domain knows, so the domain is read: our root port is the controller with
// our alias for it. Its index must be one our pxb holds, and for an attach
// the port must be free.
#pragma once

#include <string>

#include "common/result.h"
#include "emit/guest_model.h"

namespace smmu {

enum class PortUse { Attach, Detach };

// `endpoint` is the device's item of the guest model (emit/guest_model.h):
// vfio-pci, or the stand-in. Errors (DomainXml): the domain is unreadable,
// has no root port of ours by that alias, or (attach) something already
// sits on it.
Result<std::string> hotplug_device_xml(const ModelItem& endpoint, const std::string& domain_xml, PortUse use);

// After the attach: `domain_xml` (as libvirt now has it) holds the device,
// by our alias, at the address hotplug_device_xml gave it; after a detach,
// no longer. ErrorKind::DomainXml saying where libvirt put it instead.
Status check_device_placed(const ModelItem& endpoint, const std::string& domain_xml, PortUse use);

}  // namespace smmu
