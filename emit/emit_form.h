// Which guest an emitter describes.
#pragma once

namespace smmu {

enum class EmitForm {
  Real,      // vfio-pci devices through iommufd, vSMMUs with accel=on (needs KVM)
  StandIns,  // the rehearsal: same pxbs, ports, vSMMUs and guest BDFs, each vfio
             // device replaced by an emulated endpoint, accel off, no iommufd
};

}  // namespace smmu
