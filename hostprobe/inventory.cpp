#include "hostprobe/inventory.h"

#include <algorithm>

namespace smmu {

bool PciDevice::is_bridge() const {
  // Base class 0x06 (bridge), subclass 0x04 (PCI-to-PCI, root and switch
  // ports) or 0x09 (semi-transparent PCI-to-PCI).
  uint32_t sub = class_code >> 8;
  return sub == 0x0604 || sub == 0x0609;
}

const PciDevice* Inventory::find(const Bdf& bdf) const {
  auto it = std::lower_bound(devices.begin(), devices.end(), bdf,
                             [](const PciDevice& d, const Bdf& b) { return d.bdf < b; });
  return it != devices.end() && it->bdf == bdf ? &*it : nullptr;
}

}  // namespace smmu
