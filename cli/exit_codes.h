// The CLI's exit codes: the only place an Error becomes a number.
// Documented in man/smmu-plan.1 (EXIT STATUS); scripts rely on them.
#pragma once

#include "common/result.h"

namespace smmu::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitInternal = 1,   // a bug: please report
  kExitUsage = 2,      // bad command line (unknown flag, malformed BDF, ...)
  kExitHostTree = 3,   // host root missing, unreadable or inconsistent
  kExitRequest = 4,    // unknown, duplicate or non-assignable device requested
  kExitNoFit = 5,      // no SMMUv3, too many vSMMUs, buses exhausted
  kExitPlanFile = 6,   // plan file unreadable, malformed or inconsistent
  kExitOutput = 7,     // the output file could not be written
  kExitMismatch = 8,   // verify/rehearse: the guest differs from the plan
  kExitGuestReport = 9,  // verify, guest-report: a guest report is unreadable or malformed
  kExitTestbed = 10,   // rehearse: no usable test bed, or the guest did not boot
  kExitDomainXml = 11,  // libvirt: domain malformed, conflicting, or libvirt too old
  kExitLibvirt = 12,   // apply --connect: libvirt unreachable or failing
};

inline int exit_code(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Usage: return kExitUsage;
    case ErrorKind::HostTree: return kExitHostTree;
    case ErrorKind::Request: return kExitRequest;
    case ErrorKind::NoFit: return kExitNoFit;
    case ErrorKind::PlanFile: return kExitPlanFile;
    case ErrorKind::Output: return kExitOutput;
    case ErrorKind::GuestReport: return kExitGuestReport;
    case ErrorKind::Mismatch: return kExitMismatch;
    case ErrorKind::Testbed: return kExitTestbed;
    case ErrorKind::DomainXml: return kExitDomainXml;
    case ErrorKind::Libvirt: return kExitLibvirt;
  }
  return kExitInternal;
}

}  // namespace smmu::cli
