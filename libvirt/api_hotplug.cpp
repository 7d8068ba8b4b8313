#include "libvirt/api_hotplug.h"

#include "libvirt/api_session.h"

namespace smmu {

Result<ApiHotplugResult> hotplug_through_libvirt(const ModelItem& endpoint, PortUse use,
                                                 const ApiHotplugRequest& request) {
  SMMU_TRY(client, load_libvirt_client());
  LibvirtSession lv(*client);
  SMMU_CHECK(lv.open(request.uri, request.dry_run));
  virDomainPtr dom = lv.lookup(request.domain);
  if (!dom) return lv.error("no domain " + request.domain + " at " + request.uri);
  SMMU_TRY(live, lv.is_active(dom, request.domain));
  // A running domain's own XML: its controller indexes are those of the guest.
  SMMU_TRY(current, live ? lv.live_xml(dom, request.domain) : lv.inactive_xml(dom, request.domain));
  SMMU_TRY(xml, hotplug_device_xml(endpoint, current, use));
  if (request.dry_run) return ApiHotplugResult{xml, live, false};

  const unsigned flags = VIR_DOMAIN_AFFECT_CONFIG | (live ? unsigned{VIR_DOMAIN_AFFECT_LIVE} : 0u);
  const std::string what = std::string("libvirt refused to ") + (use == PortUse::Attach ? "attach " : "detach ") +
                           endpoint.value("id") + (use == PortUse::Attach ? " to " : " from ") + request.domain;
  SMMU_CHECK(use == PortUse::Attach ? lv.attach(dom, xml, flags, what) : lv.detach(dom, xml, flags, what));
  SMMU_TRY(stored, lv.inactive_xml(dom, request.domain));
  SMMU_CHECK(check_device_placed(endpoint, stored, use));
  if (live && use == PortUse::Attach) {
    SMMU_TRY(running, lv.live_xml(dom, request.domain));
    SMMU_CHECK(check_device_placed(endpoint, running, use));
  }
  return ApiHotplugResult{xml, live, true};
}

}  // namespace smmu
