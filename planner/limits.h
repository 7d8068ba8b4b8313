// Limits of QEMU's virt machine that a plan must stay within.
#pragma once

namespace smmu::limits {

// One PCI domain in the guest: every pxb range shares buses 0..255.
constexpr unsigned kLastBus = 255;
// The virt platform bus has 64 interrupts (PLATFORM_BUS_NUM_IRQS) and each
// user-created arm-smmuv3 takes 4 of them (docs/qemu.md; the guest's GSIVs,
// emit/guest_layout.h, count in the same steps).
constexpr unsigned kPlatformBusIrqs = 64;
constexpr unsigned kIrqsPerSmmu = 4;
constexpr unsigned kMaxVsmmus = kPlatformBusIrqs / kIrqsPerSmmu;
// pxbs sit on pcie.0 from slot 0x1f downwards, away from the low slots QEMU
// and libvirt hand out automatically.
constexpr unsigned kFirstPxbSlot = 0x1f;
// Root ports on a pxb: 32 slots, 8 functions each once more than 32 are needed.
constexpr unsigned kSlotsPerBus = 32;
constexpr unsigned kFunctionsPerSlot = 8;
// The virt machine's high PCI MMIO window (VIRT_HIGH_PCIE_MMIO): 512 GiB
// unless -machine highmem-mmio-size (a power of two, not below the default)
// says more. It is aligned to its size above RAM, so a 64 TiB window ends by
// 128 TiB, inside a 48-bit guest physical address space (QEMU silently
// drops a window that does not fit).
constexpr unsigned long long kDefaultHighmemMmioSize = 512ull << 30;
constexpr unsigned long long kMaxHighmemMmioSize = 64ull << 40;
// The 64-bit prefetchable window firmware gives an empty hotplug root port
// that has no pref64-reserve (docs/qemu.md, Hotplug: measured in the test bed).
constexpr unsigned long long kUnreservedPortPref64 = 2ull << 20;

}  // namespace smmu::limits
