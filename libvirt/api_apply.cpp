#include "libvirt/api_apply.h"

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include <cstdlib>
#include <memory>

#include "libvirt/domain_xml.h"
#include "libvirt/features.h"

namespace smmu {
namespace {

Error libvirt_error(const std::string& what) {
  const char* detail = virGetLastErrorMessage();
  return make_error(ErrorKind::Libvirt, what + ": " + (detail ? detail : "unknown error"));
}

// libvirt prints every error on stderr by default; we report our own line.
void quiet(void*, virErrorPtr) {}

struct ConnectClose {
  void operator()(virConnectPtr c) const { virConnectClose(c); }
};
struct DomainFree {
  void operator()(virDomainPtr d) const { virDomainFree(d); }
};

Result<std::string> inactive_xml(virDomainPtr dom, const std::string& name) {
  std::unique_ptr<char, decltype(&std::free)> xml(virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE),
                                                  &std::free);
  if (!xml) return libvirt_error("cannot read the definition of " + name);
  return std::string(xml.get());
}

}  // namespace

Result<ApiApplyResult> apply_through_libvirt(const Plan& plan, EmitForm form, const GuestModel& model,
                                             const ApiApplyRequest& request) {
  virSetErrorFunc(nullptr, quiet);
  // Drivers that run in-process (qemu:///embed) need an event loop registered.
  if (virEventRegisterDefaultImpl() < 0) return libvirt_error("cannot start libvirt's event loop");
  std::unique_ptr<virConnect, ConnectClose> conn(
      request.dry_run ? virConnectOpenReadOnly(request.uri.c_str()) : virConnectOpen(request.uri.c_str()));
  if (!conn) return libvirt_error("cannot connect to " + request.uri);
  unsigned long version = 0;
  if (virConnectGetLibVersion(conn.get(), &version) < 0) {
    return libvirt_error("cannot ask " + request.uri + " for its version");
  }
  const auto& needed = libvirt_features::newest(form);
  if (version < needed.since) {
    return make_error(ErrorKind::DomainXml, "libvirt " + libvirt_features::release(version) + " at " +
                                                request.uri + " is too old for this plan: it needs libvirt >= " +
                                                libvirt_features::release(needed.since) + " (" +
                                                needed.what + ")");
  }
  std::unique_ptr<virDomain, DomainFree> dom(virDomainLookupByName(conn.get(), request.domain.c_str()));
  if (!dom) return libvirt_error("no domain " + request.domain + " at " + request.uri);
  SMMU_TRY(current, inactive_xml(dom.get(), request.domain));
  SMMU_TRY(merged, merge_topology(plan, model, current));

  if (request.dry_run) return ApiApplyResult{merged, false};
  std::unique_ptr<virDomain, DomainFree> defined(
      virDomainDefineXMLFlags(conn.get(), merged.c_str(), VIR_DOMAIN_DEFINE_VALIDATE));
  if (!defined) return libvirt_error("libvirt refused the new definition of " + request.domain);
  // What libvirt now holds must still carry everything we wrote.
  SMMU_TRY(stored, inactive_xml(defined.get(), request.domain));
  SMMU_CHECK(check_topology_kept(merged, stored));
  return ApiApplyResult{merged, true};
}

}  // namespace smmu
