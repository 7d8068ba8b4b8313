// Checks domain XML against the libvirt installed on this machine: its
// RelaxNG schema (libxml2), and first whether that libvirt is new enough for
// what the plan uses, so an old libvirt gets a version, not a schema error.
#pragma once

#include <string>

#include "common/result.h"
#include "emit/emit_form.h"

namespace smmu {

inline constexpr const char* kLibvirtSchemaDir = "/usr/share/libvirt/schemas";

// ErrorKind::DomainXml when the schema is missing, too old (naming the
// libvirt version needed) or the XML does not validate (naming the line).
Status check_domain_xml(const std::string& xml, EmitForm form, const std::string& schema_dir);

}  // namespace smmu
