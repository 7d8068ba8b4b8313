// A QEMU property list (--qemu-caps FILE, the qemu-caps cache) and a guest
// model fitted to it: whatever the list says, a fitted model names only
// drivers and properties the list has (besides qdev's own id and bus), with
// values its types accept.
#include "emit/guest_model.h"
#include "emit/qemu_caps.h"
#include "emit/qemu_fit.h"
#include "tests/fuzz/fuzz_support.h"

using namespace smmu;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const GuestModel model =
      guest_model(fuzz::plan_file("tests/data/guest-samples/gpu-gh200.plan.json"), EmitForm::Real);
  auto caps = parse_qemu_caps(fuzz::text(data, size));
  if (!caps) {
    FUZZ_CHECK(caps.error().kind == ErrorKind::Usage, "a bad list is a usage error (the file was named)");
    return 0;
  }
  auto fitted = fit_to_qemu(model, *caps);
  if (!fitted) {
    FUZZ_CHECK(fitted.error().kind == ErrorKind::NoFit, "a QEMU that lacks something is no fit");
    return 0;
  }
  for (const auto& item : fitted->model.items) {
    if (item.kind == OptionKind::Numa) continue;  // QEMU's own option, no QOM type
    const auto* props = driver_props(*caps, item.kind, item.driver);
    FUZZ_CHECK(props != nullptr, "a fitted item's driver is in the list");
    for (const auto& p : item.props) {
      const bool qdev_own = p.name == "id" || (item.kind == OptionKind::Device && p.name == "bus");
      FUZZ_CHECK(qdev_own || props->count(p.name) == 1, "a fitted property is listed");
    }
    FUZZ_CHECK(check_qemu_option(*caps, item.kind, option_text(item)).ok(), "a fitted option passes the check");
  }
  return 0;
}
