// A plan's GPU parts (emit/guest_model.h, GPU options) in a libvirt domain. libvirt 12.8
// has no element for generic initiators, highmem-mmio-size or
// pref64-reserve, so they go through its QEMU namespace:
//  - <qemu:commandline> (libvirt/qemu_commandline.h): -machine
//    highmem-mmio-size=, and per GPU node a memory-less -numa node and an
//    acpi-generic-initiator whose pci-dev is the hostdev's alias (QEMU knows
//    a libvirt device by its alias);
//  - the GPU root port's pref64-reserve: a <qemu:override> (domain_xml.cpp).
// The GPU nodes need the guest's own nodes 0..first-1 as <cpu><numa> cells
// (QEMU refuses gaps, and libvirt's cells carry the guest's memory). A
// domain without cells gets cell 0 with every vCPU and all memory when the
// GPU nodes start at 1, as QEMU would lay such a guest out anyway; cells
// that are not exactly 0..first-1 are an ErrorKind::DomainXml saying which
// first node would fit.
#pragma once

#include <pugixml.hpp>

#include "common/result.h"
#include "emit/guest_model.h"

namespace smmu {

// The model's -machine, -numa and acpi-generic-initiator items, with our
// alias prefix on the ids they give and the aliases of the devices they name.
Status set_gpu_options(const GuestModel& model, pugi::xml_node domain);

}  // namespace smmu
