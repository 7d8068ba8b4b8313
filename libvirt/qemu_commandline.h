// QEMU options libvirt has no XML for, passed through libvirt's QEMU
// namespace, which libvirt appends to its own command line:
//
//   <qemu:commandline>
//     <qemu:arg value='-machine'/><qemu:arg value='highmem-mmio-size=1T'/>
//
// An argument carries no alias, so ours are known by what they say: an
// acpi-generic-initiator whose id starts with our prefix, the -numa node it
// names, and a -machine highmem-mmio-size= (replaced only when we give one,
// so an operator's own stays unless the plan needs another). Everything
// else in <qemu:commandline> (and its <qemu:env>) is kept, in its order.
#pragma once

#include <pugixml.hpp>

#include <string>
#include <vector>

#include "common/result.h"

namespace smmu {

// Replaces our earlier arguments by `args` (argv elements, appended); drops
// a <qemu:commandline> left empty. ErrorKind::DomainXml when an argument of
// the operator's gives a NUMA node `args` gives too, or when what would stay
// of theirs still holds something of ours (a value naming our ids, a pair
// of ours that removing ours made adjacent): a second apply must find
// exactly what this one wrote.
Status set_qemu_commandline(pugi::xml_node domain, const std::string& our_prefix,
                            const std::vector<std::string>& args);

}  // namespace smmu
