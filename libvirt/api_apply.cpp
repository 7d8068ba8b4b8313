#include "libvirt/api_apply.h"

#include "libvirt/api_session.h"
#include "libvirt/domain_xml.h"
#include "libvirt/topology_kept.h"
#include "libvirt/features.h"

namespace smmu {

Result<ApiApplyResult> apply_through_libvirt(const Plan& plan, EmitForm form, const GuestModel& model,
                                             const ApiApplyRequest& request) {
  SMMU_TRY(client, load_libvirt_client());
  LibvirtSession lv(*client);
  SMMU_CHECK(lv.open(request.uri, request.dry_run));
  SMMU_TRY(version, lv.lib_version(request.uri));
  const auto& needed = libvirt_features::newest(form);
  if (version < needed.since) {
    return make_error(ErrorKind::DomainXml, "libvirt " + libvirt_features::release(version) + " at " +
                                                request.uri + " is too old for this plan: it needs libvirt >= " +
                                                libvirt_features::release(needed.since) + " (" +
                                                needed.what + ")");
  }
  virDomainPtr dom = lv.lookup(request.domain);
  if (!dom) return lv.error("no domain " + request.domain + " at " + request.uri);
  SMMU_TRY(current, lv.inactive_xml(dom, request.domain));
  SMMU_TRY(merged, merge_topology(plan, model, current));

  if (request.dry_run) return ApiApplyResult{merged, false};
  virDomainPtr defined = lv.define(merged);
  if (!defined) return lv.error("libvirt refused the new definition of " + request.domain);
  // What libvirt now holds must still carry everything we wrote.
  SMMU_TRY(stored, lv.inactive_xml(defined, request.domain));
  SMMU_CHECK(check_topology_kept(merged, stored));
  return ApiApplyResult{merged, true};
}

}  // namespace smmu
