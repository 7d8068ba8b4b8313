#include "emit/hotplug_command.h"

#include <nlohmann/json.hpp>

namespace smmu {

Result<ModelItem> endpoint_item(const GuestModel& model, const std::string& id) {
  for (const auto& item : model.items) {
    if (item.kind == OptionKind::Device && item.value("id") == id &&
        (item.driver == "vfio-pci" || item.driver == kStandInDevice)) {
      return item;
    }
  }
  return make_error(ErrorKind::PlanFile, "plan: no device '" + id + "' in the guest's topology");
}

std::string device_add_command(const ModelItem& endpoint, MonitorFormat format) {
  if (format == MonitorFormat::Hmp) return "device_add " + option_text(endpoint);
  // Typed as QMP wants them (docs/qemu.md, Hotplug): a number where the
  // model has one (addr is the devfn, slot * 8 + function), else the
  // option's text. In the model's order, so the line reads like the option.
  nlohmann::ordered_json args;
  args["driver"] = endpoint.driver;
  for (const auto& p : endpoint.props) {
    if (p.number) {
      args[p.name] = *p.number;
    } else {
      args[p.name] = p.value;
    }
  }
  nlohmann::ordered_json command;
  command["execute"] = "device_add";
  command["arguments"] = std::move(args);
  return command.dump();
}

std::string device_del_command(const std::string& id, MonitorFormat format) {
  if (format == MonitorFormat::Hmp) return "device_del " + id;
  nlohmann::ordered_json command;
  command["execute"] = "device_del";
  command["arguments"] = {{"id", id}};
  return command.dump();
}

}  // namespace smmu
