#include "emit/iort_from_plan.h"

#include "emit/guest_layout.h"

namespace smmu {

IortModel iort_model(const Plan& plan, EmitForm form) {
  IortModel model;
  for (unsigned k = 0; k < plan.vsmmus.size(); ++k) {
    IortSmmu s;
    s.base = guest_layout::smmu_base(k);
    s.gsiv_base = guest_layout::smmu_gsiv_base(k);
    s.identifier = k + 1;  // QEMU 11.1 numbers SMMU nodes by creation, from 1
    s.buses = plan.vsmmus[k].buses();
    s.accel = form == EmitForm::Real;
    // Unknown caps (QEMU resolves ats=auto) are predicted without ATS.
    s.ats = s.accel && plan.vsmmus[k].caps && plan.vsmmus[k].caps->ats;
    model.smmus.push_back(s);
  }
  return model;
}

std::string iort_model_note(const Plan& plan, EmitForm form) {
  if (form != EmitForm::Real) return "";
  std::string unknown;
  for (const auto& v : plan.vsmmus) {
    if (!v.caps) unknown += (unknown.empty() ? "" : ", ") + v.id;
  }
  if (unknown.empty()) return "";
  return "the root complex's ats_attribute is shown as 0, but QEMU sets it from the host SMMU "
         "of the first device cold-plugged behind " + unknown +
         " (ats=auto: planned without host caps)";
}

}  // namespace smmu
