#include "cli/qemu_target.h"

#include "cli/files.h"
#include "cli/notes.h"
#include "common/subprocess.h"
#include "emit/qemu_fit.h"
#include "emit/shipped_caps.h"
#include "hostprobe/qemu_query.h"

namespace smmu::cli {
namespace {

constexpr const char* kQemuOnPath = "qemu-system-aarch64";
// A recorded property list is a few tens of KiB.
constexpr size_t kMaxCapsFile = 4u << 20;

Result<QemuTarget> from_json(std::string json, const std::string& where, std::string note = "") {
  auto caps = parse_qemu_caps(json);
  if (!caps) return make_error(ErrorKind::Usage, where + ": " + caps.error().message);
  return QemuTarget{std::move(*caps), std::move(json), std::move(note)};
}

Result<QemuTarget> from_binary(const std::string& binary, std::string note = "") {
  SMMU_TRY(json, query_qemu_caps(binary, {default_qemu_cache_dir(), 60}));
  return from_json(std::move(json), "--qemu " + binary, std::move(note));
}

}  // namespace

void QemuTargetOptions::add(CLI::App* sub) {
  auto* q = sub->add_option("--qemu", qemu,
                            "The QEMU the form is for: its property lists are asked over QMP and "
                            "cached (default: qemu-system-aarch64 on PATH)");
  auto* c = sub->add_option("--qemu-caps", caps_from,
                            "Property lists of the QEMU the form is for instead: a file `smmu-plan "
                            "qemu-caps` wrote, or a shipped release (" + shipped_qemu_releases() + ")");
  q->excludes(c);
}

Result<QemuTarget> QemuTargetOptions::resolve() const {
  if (!caps_from.empty()) {
    if (auto shipped = shipped_qemu_caps(caps_from)) {
      return from_json(std::string(*shipped), "--qemu-caps " + caps_from);
    }
    if (caps_from.find('/') == std::string::npos && caps_from.find(".json") == std::string::npos &&
        caps_from.find('.') != std::string::npos && caps_from.size() <= 5) {
      return make_error(ErrorKind::Usage, "--qemu-caps " + caps_from + ": no such shipped release (" +
                                              shipped_qemu_releases() + "); record one with `smmu-plan "
                                              "qemu-caps --qemu BINARY -o FILE`");
    }
    auto text = read_input(caps_from, ErrorKind::Usage, kMaxCapsFile);
    if (!text) return text.error();
    return from_json(std::move(*text), "--qemu-caps " + caps_from);
  }
  if (!qemu.empty()) return from_binary(qemu);
  if (auto found = find_on_path(kQemuOnPath)) {
    return from_binary(*found, std::string("the form is for ") + *found + " (--qemu or --qemu-caps to choose)");
  }
  auto shipped = shipped_qemu_caps(kDefaultQemuRelease);
  if (!shipped) return make_error(ErrorKind::Usage, "this smmu-plan was built without qemu-caps/");
  return from_json(std::string(*shipped), "shipped QEMU " + std::string(kDefaultQemuRelease),
                   std::string("no ") + kQemuOnPath + " on PATH: the form is for QEMU " +
                       kDefaultQemuRelease + " (--qemu or --qemu-caps to choose)");
}

Result<GuestModel> fit_for_target(GuestModel model, const QemuTargetOptions& options) {
  SMMU_TRY(target, options.resolve());
  SMMU_TRY(fitted, fit_to_qemu(std::move(model), target.caps));
  if (!target.note.empty()) add_note(target.note);
  for (const auto& n : fitted.notes) add_note(n);
  return std::move(fitted.model);
}

}  // namespace smmu::cli
