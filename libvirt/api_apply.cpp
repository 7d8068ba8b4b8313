#include "libvirt/api_apply.h"

#include <cstdlib>
#include <memory>
#include <vector>

#include "libvirt/client_library.h"
#include "libvirt/domain_xml.h"
#include "libvirt/topology_kept.h"
#include "libvirt/features.h"

namespace smmu {
namespace {

// libvirt prints every error on stderr by default; we report our own line.
void quiet(void*, virErrorPtr) {}

// The calls of one apply, through the loaded client library.
class Session {
 public:
  explicit Session(const LibvirtClient& lv) : lv_(lv) {}
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session() {
    for (auto* d : domains_) lv_.domain_free(d);
    if (conn_) lv_.connect_close(conn_);
  }

  Error error(const std::string& what) const {
    const char* detail = lv_.last_error_message();
    return make_error(ErrorKind::Libvirt, what + ": " + (detail ? detail : "unknown error"));
  }

  Status open(const std::string& uri, bool read_only) {
    lv_.set_error_func(nullptr, quiet);
    // Drivers that run in-process (qemu:///embed) need an event loop registered.
    if (lv_.event_register_default_impl() < 0) return error("cannot start libvirt's event loop");
    conn_ = read_only ? lv_.connect_open_read_only(uri.c_str()) : lv_.connect_open(uri.c_str());
    if (!conn_) return error("cannot connect to " + uri);
    return Ok{};
  }

  Result<unsigned long> lib_version(const std::string& uri) {
    unsigned long version = 0;
    if (lv_.connect_get_lib_version(conn_, &version) < 0) return error("cannot ask " + uri + " for its version");
    return version;
  }

  // nullptr (with libvirt's error to report) when libvirt returns none.
  virDomainPtr keep(virDomainPtr d) {
    if (d) domains_.push_back(d);
    return d;
  }
  virDomainPtr lookup(const std::string& name) { return keep(lv_.domain_lookup_by_name(conn_, name.c_str())); }
  virDomainPtr define(const std::string& xml) {
    return keep(lv_.domain_define_xml_flags(conn_, xml.c_str(), VIR_DOMAIN_DEFINE_VALIDATE));
  }

  Result<std::string> inactive_xml(virDomainPtr dom, const std::string& name) {
    std::unique_ptr<char, decltype(&std::free)> xml(lv_.domain_get_xml_desc(dom, VIR_DOMAIN_XML_INACTIVE),
                                                    &std::free);
    if (!xml) return error("cannot read the definition of " + name);
    return std::string(xml.get());
  }

 private:
  const LibvirtClient& lv_;
  virConnectPtr conn_ = nullptr;
  std::vector<virDomainPtr> domains_;
};

}  // namespace

Result<ApiApplyResult> apply_through_libvirt(const Plan& plan, EmitForm form, const GuestModel& model,
                                             const ApiApplyRequest& request) {
  SMMU_TRY(client, load_libvirt_client());
  Session lv(*client);
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
