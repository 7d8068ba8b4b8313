#include "emit/qemu_args.h"

#include <set>

#include "common/byte_size.h"
#include "common/hex.h"
#include "emit/accel_props.h"
#include "emit/gpu_options.h"

namespace smmu {
namespace {

constexpr const char* kIommufdId = "iommufd0";

// "0x1f", or "0x3.0x5" for a non-zero function.
std::string pci_addr(unsigned slot, unsigned function) {
  std::string a = hex(slot);
  if (function != 0) a += "." + hex(function);
  return a;
}

class ArgList {
 public:
  void option(const char* name, std::string value) {
    args_.emplace_back(name);
    args_.push_back(std::move(value));
  }
  void append(const std::vector<std::string>& args) { args_.insert(args_.end(), args.begin(), args.end()); }
  std::vector<std::string> take() { return std::move(args_); }

 private:
  std::vector<std::string> args_;
};

}  // namespace

std::vector<std::string> qemu_args(const Plan& plan, EmitForm form) {
  const bool real = form == EmitForm::Real;
  ArgList out;
  if (auto highmem = highmem_machine_option(plan)) out.option("-machine", *highmem);
  if (real) out.option("-object", std::string("iommufd,id=") + kIommufdId);
  for (size_t k = 0; k < plan.vsmmus.size(); ++k) {
    const VsmmuPlan& v = plan.vsmmus[k];
    // The pxb must exist before the SMMU that names it as primary bus.
    std::string pxb = "pxb-pcie,id=" + v.pxb.id + ",bus_nr=" + hex(v.pxb.bus_nr, 2) +
                      ",bus=pcie.0,addr=" + hex(v.pxb.addr);
    if (v.pxb.numa_node) pxb += ",numa_node=" + std::to_string(*v.pxb.numa_node);
    out.option("-device", pxb);
    std::string smmu = "arm-smmuv3,primary-bus=" + v.pxb.id + ",id=" + v.id;
    if (real) {
      for (const auto& p : accel_props(plan, k)) smmu += std::string(",") + p.name + "=" + p.value;
    }
    out.option("-device", smmu);

    std::set<unsigned> multifunction_slots;
    for (const auto& rp : v.root_ports) {
      if (rp.function != 0) multifunction_slots.insert(rp.slot);
    }
    for (const auto& rp : v.root_ports) {
      std::string port = "pcie-root-port,id=" + rp.id + ",bus=" + v.pxb.id +
                         ",addr=" + pci_addr(rp.slot, rp.function) +
                         ",chassis=" + std::to_string(rp.chassis);
      if (rp.function == 0 && multifunction_slots.count(rp.slot)) port += ",multifunction=on";
      if (rp.pref64_reserve) port += ",pref64-reserve=" + qemu_size(rp.pref64_reserve);
      out.option("-device", port);
    }
    for (const auto& d : plan.devices) {
      if (d.vsmmu != v.id) continue;
      std::string placement = ",id=" + d.id + ",bus=" + d.root_port + ",addr=0x0";
      if (real) {
        out.option("-device", "vfio-pci,host=" + d.host_bdf.str() + placement +
                                  ",iommufd=" + kIommufdId);
      } else {
        out.option("-device", std::string(kStandInDevice) + placement);
      }
      out.append(gpu_numa_args(d, d.id, ""));
    }
  }
  return out.take();
}

}  // namespace smmu
