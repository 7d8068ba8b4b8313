// `apply --connect`: the plan merged into a defined domain through the
// libvirt C API (virDomainGetXMLDesc, then virDomainDefineXMLFlags with
// libvirt's own schema validation).
#pragma once

#include <string>

#include "common/result.h"
#include "emit/emit_form.h"
#include "emit/guest_model.h"
#include "planner/plan.h"

namespace smmu {

struct ApiApplyRequest {
  std::string uri;     // "qemu:///system", "test:///default"
  std::string domain;  // domain name
  bool dry_run = false;  // print the merged XML, define nothing (read-only connection)
};

struct ApiApplyResult {
  std::string xml;       // the merged definition
  bool defined = false;  // false for a dry run
};

// Refuses (ErrorKind::DomainXml) a libvirt older than the plan needs, a
// domain merge_topology refuses, and a definition libvirt does not keep as
// written; ErrorKind::Libvirt when libvirt cannot be reached or fails.
// `model` is the plan's guest model in `form` (fitted to the QEMU, emit/qemu_fit.h).
Result<ApiApplyResult> apply_through_libvirt(const Plan& plan, EmitForm form, const GuestModel& model,
                                             const ApiApplyRequest& request);

}  // namespace smmu
