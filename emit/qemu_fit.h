// A guest model fitted to one QEMU, from that QEMU's own property lists
// (emit/qemu_caps.h): every driver must exist, every property exist on its
// driver and every value parse for its type. A property the QEMU lacks is
// left out only when its value is `off` (a feature that QEMU does not have
// is off there anyway: cmdqv=off on QEMU 11.0); anything else the plan needs
// and the QEMU lacks is refused, naming the property and the first release
// that has it (emit/qemu_releases.h).
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "emit/guest_model.h"
#include "emit/qemu_caps.h"

namespace smmu {

struct FittedModel {
  GuestModel model;
  std::vector<std::string> notes;  // one line per property left out, without repeats
};

// ErrorKind::NoFit with one line saying what the QEMU lacks and which
// release has it.
Result<FittedModel> fit_to_qemu(GuestModel model, const QemuCaps& caps);

}  // namespace smmu
