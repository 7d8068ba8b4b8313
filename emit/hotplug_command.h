// What a running QEMU is told to hotplug or unplug one device of a plan: a
// QMP command (one JSON line, for a QMP socket or `virsh
// qemu-monitor-command`) or the HMP line. The device is its item of the
// guest model (emit/guest_model.h), fitted to the target QEMU like every
// other emitted form, so a hotplugged device is written exactly as the same
// device cold-plugged from the plan after the hotplug.
#pragma once

#include <string>

#include "common/result.h"
#include "emit/guest_model.h"

namespace smmu {

enum class MonitorFormat { Qmp, Hmp };

// The model's endpoint (vfio-pci or the stand-in) with QEMU id `id`.
// ErrorKind::PlanFile when the model has none: the plan does not hold it.
Result<ModelItem> endpoint_item(const GuestModel& model, const std::string& id);

// device_add of `endpoint`: {"execute":"device_add","arguments":{"driver":…,
// <its properties in the model's order>}}, or `device_add <option text>`.
std::string device_add_command(const ModelItem& endpoint, MonitorFormat format);

// device_del of the device with QEMU id `id`.
std::string device_del_command(const std::string& id, MonitorFormat format);

}  // namespace smmu
