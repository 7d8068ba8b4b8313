#include "libvirt/topology_kept.h"

#include <pugixml.hpp>

#include <vector>

#include "libvirt/assigned_device.h"
#include "libvirt/domain_xml.h"
#include "libvirt/xml_bounds.h"

namespace smmu {
namespace {

Error kept_error(const std::string& what) { return make_error(ErrorKind::DomainXml, "domain XML: " + what); }

// Every attribute, text and child element of `want` is in `have`.
bool holds(const pugi::xml_node& have, const pugi::xml_node& want) {
  for (auto a : want.attributes()) {
    if (std::string(have.attribute(a.name()).value()) != a.value()) return false;
  }
  // Text we wrote must be there; an operator's stray text beside what we
  // check (kept in a taken-over element) is not ours to check.
  if (*want.text().get() && std::string(want.text().get()) != have.text().get()) return false;
  for (auto child : want.children()) {
    if (child.type() != pugi::node_element) continue;
    bool found = false;
    for (auto candidate : have.children(child.name())) found = found || holds(candidate, child);
    if (!found) return false;
  }
  return true;
}

// What of a written element libvirt must keep: all of what we create; of a
// device assignment, which may carry the operator's settings that libvirt
// normalizes (managed='no' is its default for an <interface>), the topology:
// host source, guest address and iommufd.
pugi::xml_node topology_of(pugi::xml_document& scratch, const pugi::xml_node& element) {
  auto copy = scratch.append_copy(element);
  if (!assigned_pci_device(element)) return copy;
  copy.remove_attributes();
  std::vector<pugi::xml_node> other;
  for (auto child : copy.children()) {
    std::string name = child.name();
    if (name == "driver") {
      std::string iommufd = child.attribute("iommufd").value();
      child.remove_attributes();
      if (!iommufd.empty()) child.append_attribute("iommufd") = iommufd.c_str();
    } else if (name != "source" && name != "address" && name != "alias") {
      other.push_back(child);
    }
  }
  for (auto child : other) copy.remove_child(child);
  return copy;
}

}  // namespace

Status check_topology_kept(const std::string& written, const std::string& stored) {
  pugi::xml_document ours, theirs;
  if (!ours.load_string(written.c_str()) || !theirs.load_string(stored.c_str())) {
    return kept_error("cannot read the definition back");
  }
  SMMU_CHECK(check_xml_bounds(theirs));
  auto their_devices = theirs.document_element().child("devices");
  for (auto element : ours.document_element().child("devices").children()) {
    if (!has_our_alias(element)) continue;
    std::string alias = element.child("alias").attribute("name").value();
    pugi::xml_document scratch;
    auto want = topology_of(scratch, element);
    bool kept = false;
    for (auto candidate : their_devices.children(element.name())) {
      kept = kept || (std::string(candidate.child("alias").attribute("name").value()) == alias &&
                      holds(candidate, want));
    }
    if (!kept) {
      return kept_error("libvirt did not keep <" + std::string(element.name()) + "> " + alias +
                      " as written; is it new enough for this plan?");
    }
  }
  return Ok{};
}

}  // namespace smmu
