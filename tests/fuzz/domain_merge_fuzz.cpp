// An operator's domain XML with a plan merged into it (libvirt-xml
// --domain-xml, apply). Whatever the base, a merge that succeeds holds the
// plan's parts exactly once (beside the operator's own) and applying it
// again changes nothing; a refusal is a domain XML error. The input's length
// picks the plan: the GH200 one (GPU NUMA nodes, commandline and overrides)
// or the two-socket Grace one. The hotplug element of the plan's first
// device, read from the same base, is refused as a domain XML error or is one
// element; from the merged domain it is found where the merge put it.
#include <pugixml.hpp>

#include <iterator>
#include <string>

#include "emit/hotplug_command.h"
#include "libvirt/domain_xml.h"
#include "libvirt/hotplug_xml.h"
#include "libvirt/topology_kept.h"
#include "tests/fuzz/fuzz_support.h"

using namespace smmu;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Plan plans[] = {fuzz::plan_file("tests/data/guest-samples/gpu-gh200.plan.json"),
                               fuzz::plan_file("tests/golden/grace-2socket/plan.json")};
  const Plan& plan = plans[size % 2];
  const std::string base(fuzz::text(data, size));
  const ModelItem dev0 = *endpoint_item(guest_model(plan, EmitForm::Real), plan.devices.at(0).id);
  if (auto element = hotplug_device_xml(dev0, base, PortUse::Detach)) {
    pugi::xml_document one;
    FUZZ_CHECK(one.load_string(element->c_str()) && std::distance(one.begin(), one.end()) == 1,
               "a hotplug element is one element");
  } else {
    FUZZ_CHECK(element.error().kind == ErrorKind::DomainXml, "a bad domain for hotplug is a domain XML error");
  }
  auto merged = merge_topology(plan, EmitForm::Real, base);
  if (!merged) {
    FUZZ_CHECK(merged.error().kind == ErrorKind::DomainXml, "a bad domain is a domain XML error");
    return 0;
  }
  pugi::xml_document doc;
  FUZZ_CHECK(doc.load_string(merged->c_str()), "the merged domain parses");
  // The operator may keep expanders of their own; a vIOMMU of their own is refused.
  FUZZ_CHECK(doc.select_nodes("/domain/devices/iommu[@model='smmuv3']").size() == plan.vsmmus.size(),
             "one <iommu> per vSMMU");
  FUZZ_CHECK(doc.select_nodes("/domain/devices/controller[@model='pcie-expander-bus']"
                              "[starts-with(alias/@name, 'ua-smmuplan-')]")
                     .size() == plan.vsmmus.size(),
             "one pxb of ours per vSMMU");
  auto again = merge_topology(plan, EmitForm::Real, *merged);
  FUZZ_CHECK(again.ok(), "a merged domain merges again");
  FUZZ_CHECK(*again == *merged, "applying twice changes nothing");
  FUZZ_CHECK(check_topology_kept(*merged, *merged).ok(), "a domain keeps its own topology");
  FUZZ_CHECK(hotplug_device_xml(dev0, *merged, PortUse::Detach).ok() &&
                 check_device_placed(dev0, *merged, PortUse::Attach).ok(),
             "a merged device is found on its root port");
  return 0;
}
