#include "emit/qemu_fit.h"

#include <algorithm>
#include <cstdio>

#include "emit/qemu_releases.h"

namespace smmu {
namespace {

// "11.0" before "11.1"; a release that does not parse counts as new.
bool release_before(const std::string& release, const std::string& since) {
  unsigned a = 0, b = 0, x = 0, y = 0;
  if (std::sscanf(release.c_str(), "%u.%u", &a, &b) != 2 || std::sscanf(since.c_str(), "%u.%u", &x, &y) != 2) {
    return false;
  }
  return a < x || (a == x && b < y);
}

std::string driver_words(const ModelItem& item) {
  return item.kind == OptionKind::Machine ? std::string("virt machine") : item.driver;
}

// A driver can be listed without being creatable with -device: QEMU 7.2
// answers for arm-smmuv3 (its virt machine makes one) but refuses
// `-device arm-smmuv3` (docs/qemu.md, Versions). So a driver's own entry in
// emit/qemu_releases.h is a minimum release.
Status check_driver_release(const ModelItem& item, const QemuCaps& caps) {
  const QemuFeature* f = qemu_feature(item.driver, "", "");
  if (!f || !release_before(caps.release, f->since)) return Ok{};
  return make_error(ErrorKind::NoFit, "QEMU " + caps.release + "'s " + item.driver + " cannot be created with " +
                                          option_flag(item.kind) + needs_release(item.driver, "", ""));
}

// Fits one item: its left-out properties' notes, or the refusal. Its
// driver's minimum release was checked before (fit_to_qemu).
Status fit_item(ModelItem& item, const QemuCaps& caps, std::vector<std::string>& notes) {
  if (item.kind == OptionKind::Numa) return Ok{};  // -numa is QEMU's own option
  const std::string qemu = "QEMU " + caps.release;
  const QemuCaps::Props* props = driver_props(caps, item.kind, item.driver);
  if (!props) {
    return make_error(ErrorKind::NoFit, qemu + " has no " +
                                            (item.kind == OptionKind::Object ? "object " : "device ") +
                                            "'" + item.driver + "'" + needs_release(item.driver, "", ""));
  }
  const std::string driver = item.kind == OptionKind::Machine ? "virt" : item.driver;
  const bool pci_device = item.kind == OptionKind::Device && is_pci_device(*props);
  std::vector<ModelProp> kept;
  for (auto& p : item.props) {
    // qdev's own: every device has an id and a bus, every object an id.
    if (p.name == "id" || (item.kind == OptionKind::Device && p.name == "bus")) {
      kept.push_back(std::move(p));
      continue;
    }
    auto type = props->find(p.name);
    if (type == props->end()) {
      if (p.value == "off") {
        notes.push_back(qemu + " has no " + driver_words(item) + " '" + p.name + "': left out (off)");
        continue;
      }
      return make_error(ErrorKind::NoFit, qemu + " has no " + driver_words(item) + " '" + p.name + "'" +
                                              needs_release(driver, p.name, p.value));
    }
    auto check = check_value(p.name, type->second, p.value, pci_device);
    if (!check.ok) {
      std::string why = needs_release(driver, p.name, p.value);
      return make_error(ErrorKind::NoFit, qemu + "'s " + driver_words(item) + " " + p.name + "='" +
                                              p.value + "' is not " + check.takes + why);
    }
    // A type can accept a value its release does not act on yet: QEMU 11.0
    // declares ats as OnOffAuto but resolves no `auto` (docs/qemu.md, Versions).
    const QemuFeature* f = qemu_feature(driver, p.name, p.value);
    if (f && f->value[0] != '\0' && release_before(caps.release, f->since)) {
      return make_error(ErrorKind::NoFit, qemu + "'s " + driver_words(item) + " takes " + p.name + "='" +
                                              p.value + "' but does not resolve it" +
                                              needs_release(driver, p.name, p.value));
    }
    kept.push_back(std::move(p));
  }
  item.props = std::move(kept);
  return Ok{};
}

}  // namespace

Result<FittedModel> fit_to_qemu(GuestModel model, const QemuCaps& caps) {
  FittedModel out;
  // A release too old for a driver is the first thing to say: nothing else
  // about that QEMU matters then.
  for (const auto& item : model.items) SMMU_CHECK(check_driver_release(item, caps));
  for (auto& item : model.items) SMMU_CHECK(fit_item(item, caps, out.notes));
  std::vector<std::string> unique;
  for (auto& n : out.notes) {
    if (std::find(unique.begin(), unique.end(), n) == unique.end()) unique.push_back(std::move(n));
  }
  out.notes = std::move(unique);
  out.model = std::move(model);
  return out;
}

}  // namespace smmu
