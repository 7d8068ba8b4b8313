// --qemu and --qemu-caps: the QEMU an emitted form is for. Its property
// lists come from the binary itself (asked over QMP, cached per binary:
// hostprobe/qemu_query.h), from a file `smmu-plan qemu-caps` wrote, or from
// a release smmu-plan ships (emit/shipped_caps.h). Told nothing, smmu-plan
// asks the qemu-system-aarch64 on PATH, and without one emits for the
// release its test bed runs, saying so in one note line.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "common/result.h"
#include "emit/guest_model.h"
#include "emit/qemu_caps.h"

namespace smmu::cli {

struct QemuTarget {
  QemuCaps caps;
  std::string json;  // the property lists as read (what `qemu-caps` prints)
  std::string note;  // "" or how the target was chosen when nothing was said
};

struct QemuTargetOptions {
  std::string qemu;       // --qemu BINARY
  std::string caps_from;  // --qemu-caps FILE|RELEASE
  void add(CLI::App* sub);
  Result<QemuTarget> resolve() const;
};

// The model fitted to the target (emit/qemu_fit.h); the target's note and
// what was left out become notes (cli/notes.h).
Result<GuestModel> fit_for_target(GuestModel model, const QemuTargetOptions& options);

}  // namespace smmu::cli
