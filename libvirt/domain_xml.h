// A plan as libvirt domain XML, merged into an existing (or a minimal)
// definition. Built with pugixml, never by string concatenation.
//
// What is ours: every device whose <alias name='ua-smmuplan-…'/> we wrote,
// plus the topology of any <hostdev> or <interface type='hostdev'> of a host
// device the plan assigns: it moves to its planned address, keeping its own
// settings (libvirt/assigned_device.h). Everything else is kept as it was;
// applying twice gives the same text as applying once.
#pragma once

#include <string>

#include "common/result.h"
#include "emit/emit_form.h"
#include "emit/guest_model.h"
#include "planner/plan.h"

namespace pugi {
class xml_node;
}

namespace smmu {

inline constexpr const char* kOurAliasPrefix = "ua-smmuplan-";

// A domain the merge cannot take: ErrorKind::DomainXml, "domain XML: <what>".
Error domain_xml_conflict(const std::string& what);

// Whether a device element carries an alias with our prefix.
bool has_our_alias(const pugi::xml_node& device);

// The alias we give the element of plan id `id` ("pxb0.rp1" ->
// "ua-smmuplan-pxb0-rp1"): libvirt keeps user aliases of letters, digits,
// '_' and '-' only. QEMU knows the device by it.
std::string libvirt_alias(std::string id);

// A minimal aarch64 virt domain booting UEFI with ACPI (an SMMU on a pxb
// needs ACPI), with a pcie-root and nothing else.
std::string default_domain_xml(EmitForm form);

// `base_xml` with the plan's topology in place of any earlier one of ours.
// A domain we cannot understand or that conflicts with the plan (not aarch64
// virt, a vIOMMU of its own, PCI controllers reaching into the pxb buses, a
// device of its own on one of our controllers) is an ErrorKind::DomainXml
// saying what to change; nothing is produced.
// The topology is the guest model's (emit/guest_model.h), as the plan in
// `form` gives it or as fitted to a QEMU (emit/qemu_fit.h).
Result<std::string> merge_topology(const Plan& plan, const GuestModel& model, const std::string& base_xml);
Result<std::string> merge_topology(const Plan& plan, EmitForm form, const std::string& base_xml);

}  // namespace smmu
