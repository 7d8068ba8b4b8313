// What a plan's libvirt XML uses, how a libvirt schema shows it has it, and
// the libvirt release that brought it: the one list both the schema check
// and `apply --connect`'s version check read.
#pragma once

#include <string>

#include "emit/emit_form.h"

namespace smmu::libvirt_features {

struct Feature {
  const char* what;
  const char* schema_file;  // in libvirt's schema directory
  const char* xpath;        // matches when that schema has it
  unsigned long since;      // libvirt version, major * 1000000 + minor * 1000 + micro
  bool real_only;           // used by the real form only, not by the stand-ins
};

inline constexpr Feature kAll[] = {
    {"several <iommu model='smmuv3'> with <driver pciBus>", "domaincommon.rng",
     "//*[local-name()='define'][@name='iommu']//*[local-name()='attribute'][@name='pciBus']",
     11010000, false},
    {"<iommu><driver accel='on'>", "domaincommon.rng",
     "//*[local-name()='define'][@name='iommu']//*[local-name()='attribute'][@name='accel']",
     12007000, true},
    {"<iommu><driver ats ril ssidsize oas cmdqv> (host SMMU caps)", "domaincommon.rng",
     "//*[local-name()='define'][@name='iommu']//*[local-name()='attribute'][@name='cmdqv']",
     12007000, true},
    {"<qemu:override> (arm-smmuv3 identifier for CMDQV, pref64-reserve of GPU root ports)",
     "domaincommon.rng", "//*[local-name()='define'][@name='qemuoverride']", 8002000, false},
    {"<hostdev><driver iommufd='yes'>", "basictypes.rng",
     "//*[local-name()='define'][@name='hostdevDriver']//*[local-name()='attribute'][@name='iommufd']",
     12001000, true},
};

inline bool used_by(const Feature& f, EmitForm form) { return !f.real_only || form == EmitForm::Real; }

// The feature of `form` that needs the newest libvirt.
inline const Feature& newest(EmitForm form) {
  const Feature* best = &kAll[0];
  for (const auto& f : kAll) {
    if (used_by(f, form) && f.since > best->since) best = &f;
  }
  return *best;
}

// "12.7.0"
inline std::string release(unsigned long version) {
  return std::to_string(version / 1000000) + "." + std::to_string(version / 1000 % 1000) + "." +
         std::to_string(version % 1000);
}

}  // namespace smmu::libvirt_features
