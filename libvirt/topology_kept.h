// What libvirt kept of a merged definition (smmu-plan apply --connect
// reads the definition back after defining it).
#pragma once

#include <string>

#include "common/result.h"

namespace smmu {

// Whether `stored` (libvirt's text of a domain defined from `written`)
// still holds every element we wrote, each attribute, child and text as
// written (libvirt may add to them). ErrorKind::DomainXml naming the first
// element it lost or changed.
Status check_topology_kept(const std::string& written, const std::string& stored);

}  // namespace smmu
