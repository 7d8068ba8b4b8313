// What the libvirt hook checks before a domain starts: that its vSMMUs
// mirror the host's SMMUs.
//  - every hostdev behind a vSMMU shares it only with hostdevs of the same
//    host SMMU (the kernel refuses devices of two SMMUs under one vIOMMU),
//    and a host SMMU backs at most one vSMMU;
//  - the pxb bus ranges overlap neither each other nor pcie.0's buses
//    (libvirt does not check; QEMU or firmware would mis-number them).
// Domains without an smmuv3 <iommu> pass untouched.
#pragma once

#include <string>

#include "common/result.h"
#include "hostprobe/host_tree.h"

namespace smmu {

// Ok, or an ErrorKind::DomainXml naming the devices and what to change; an
// ErrorKind::Request for a hostdev this host does not have, HostTree when
// the host cannot be read.
Status check_domain_routing(const std::string& domain_xml, const HostTree& host);

}  // namespace smmu
