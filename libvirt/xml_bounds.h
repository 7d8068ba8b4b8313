// Bounds on a domain XML, checked right after pugixml parsed it (which is
// linear) and before anything walks, merges or saves it: pugixml's indented
// save costs depth x size, and libvirt's RelaxNG validation grows fast with
// the element count. A libvirt domain nests about eight levels and has a few
// thousand elements with hundreds of devices; these bounds are far above
// that and far below what costs seconds.
#pragma once

#include <pugixml.hpp>

#include <cstddef>
#include <string>

#include "common/result.h"

namespace smmu {

inline constexpr size_t kMaxDomainXmlBytes = 4u << 20;
inline constexpr size_t kMaxDomainXmlDepth = 64;
inline constexpr size_t kMaxDomainXmlNodes = 20000;

// ErrorKind::DomainXml naming the bound; the walk stops at the first node past it.
Status check_xml_bounds(const pugi::xml_document& doc);

// libvirt reads a domain with libxml2 (docs/libvirt.md, How libvirt reads
// domain XML), which refuses what pugixml lets through (a '<' in an
// attribute value, an attribute given twice): a document libvirt would
// refuse is an ErrorKind::DomainXml with libxml2's reason and line before
// anything acts on it. So is a namespace error, which libxml2 reads on
// past but not as the operator meant (same section). No network, no external entity, no entity
// substitution. Called after the bounds, so libxml2's own limits never apply.
Status check_well_formed(const std::string& xml);

// `xml` into `doc` (comments kept) as the merge and the hotplug XML read a
// domain: at most kMaxDomainXmlBytes, parsed, within the bounds above,
// well-formed for libxml2, and a <domain>; else an ErrorKind::DomainXml
// saying which. pugixml never loads external entities or DTDs: hostile XML
// stays inert.
Status load_domain(pugi::xml_document& doc, const std::string& xml);

}  // namespace smmu
