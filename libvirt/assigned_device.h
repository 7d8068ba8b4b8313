// The elements of <devices> that assign a host PCI device to the guest, as
// libvirt 12.8 reads them (docs/libvirt.md, Assigned devices):
//   <hostdev mode='subsystem' type='pci'>  any PCI function
//   <interface type='hostdev'>             an SR-IOV VF as a NIC, with its
//                                          MAC, VLAN and port profile
// Both name the host device in <source><address domain= bus= slot=
// function=/> and sit in the guest at their own <address type='pci'>.
// One reader for the merge (domain_xml) and the hook (routing_check).
#pragma once

#include <pugixml.hpp>

#include <map>
#include <optional>

#include "common/bdf.h"

namespace smmu {

// The host device `element` assigns, if it is one of the two above and
// names one.
std::optional<Bdf> assigned_pci_device(const pugi::xml_node& element);

// The elements a merge takes over from the domain, kept whole until the
// plan places them: what is not topology (managed, rom, boot order, driver
// settings, MAC, VLAN, port profile, ...) is the operator's and stays.
class TakenOver {
 public:
  // A copy of `element`, which assigns `host`.
  void keep(const Bdf& host, const pugi::xml_node& element);
  // The element of `host` appended to `devices`, without alias nor guest
  // address (the caller gives the plan's), with vfio over iommufd (a vSMMU
  // needs it). A host device the domain did not assign becomes a new
  // managed <hostdev>.
  pugi::xml_node place(pugi::xml_node devices, const Bdf& host) const;

 private:
  pugi::xml_document kept_;
  std::map<Bdf, pugi::xml_node> by_host_;
};

}  // namespace smmu
