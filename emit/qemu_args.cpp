#include "emit/qemu_args.h"

namespace smmu {

std::vector<std::string> qemu_args(const GuestModel& model) {
  std::vector<std::string> args;
  for (const auto& item : model.items) {
    args.emplace_back(option_flag(item.kind));
    args.push_back(option_text(item));
  }
  return args;
}

}  // namespace smmu
