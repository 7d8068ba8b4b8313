// `hotplug --connect` and `unplug --connect`: one device attached to (or
// detached from) a libvirt domain through the C API, live when the domain
// runs and in its persistent definition always
// (virDomainAttachDeviceFlags/virDomainDetachDeviceFlags with
// VIR_DOMAIN_AFFECT_CONFIG, plus VIR_DOMAIN_AFFECT_LIVE when it runs), with
// the element libvirt/hotplug_xml.h writes; then what libvirt holds is
// checked against the plan.
#pragma once

#include <string>

#include "common/result.h"
#include "emit/guest_model.h"
#include "libvirt/hotplug_xml.h"

namespace smmu {

struct ApiHotplugRequest {
  std::string uri;       // "qemu:///system", "qemu:///embed?root=…"
  std::string domain;
  bool dry_run = false;  // print the element, change nothing (read-only connection)
};

struct ApiHotplugResult {
  std::string xml;      // the element attached or detached
  bool live = false;    // the domain runs: the guest got (or lost) it too
  bool done = false;    // false for a dry run
};

// ErrorKind::Libvirt when libvirt cannot be reached or refuses the change;
// ErrorKind::DomainXml when the domain lacks the plan's root port, or
// libvirt put the device elsewhere. A live detach completes when the guest
// lets the device go (docs/libvirt.md, Hotplug): only the definition is checked.
Result<ApiHotplugResult> hotplug_through_libvirt(const ModelItem& endpoint, PortUse use,
                                                 const ApiHotplugRequest& request);

}  // namespace smmu
