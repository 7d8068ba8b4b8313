#include "emit/qemu_caps.h"

#include <gtest/gtest.h>

namespace smmu {
namespace {

// A small recording in the shipped files' form (names and types as QEMU 11.1 gives them).
constexpr const char* kCaps = R"({
  "qemu": "11.1",
  "devices": {
    "arm-smmuv3": {"accel": "bool", "ats": "OnOffAuto", "oas": "OasMode", "ssidsize": "SsidSizeMode",
                   "identifier": "uint8", "primary-bus": "link<PCI>"},
    "pcie-root-port": {"addr": "str", "multifunction": "bool", "chassis": "uint8",
                       "pref64-reserve": "size", "busnr": "busnr"}
  },
  "objects": {"iommufd": {"fd": "string"}, "acpi-generic-initiator": {"node": "int", "pci-dev": "string"}},
  "machines": {"virt": {"highmem-mmio-size": "size"}}
})";

QemuCaps caps() { return *parse_qemu_caps(kCaps); }

std::string refusal(OptionKind kind, std::string_view option) {
  Status s = check_qemu_option(caps(), kind, option);
  return s ? "" : s.error().message;
}

TEST(QemuCaps, AcceptsWhatQemuParses) {
  EXPECT_EQ(refusal(OptionKind::Device,
                    "arm-smmuv3,primary-bus=pxb0,id=vsmmu0,accel=on,ats=off,ssidsize=20,oas=48,identifier=255"),
            "");
  EXPECT_EQ(refusal(OptionKind::Device, "arm-smmuv3,primary-bus=pxb0,ats=auto,ssidsize=auto,oas=auto"), "");
  EXPECT_EQ(refusal(OptionKind::Device,
                    "pcie-root-port,id=rp0,bus=pxb0,addr=0x1f.7,chassis=0xff,pref64-reserve=512G"),
            "");
  // A multifunction root port as qemu-args writes it.
  EXPECT_EQ(refusal(OptionKind::Device, "pcie-root-port,id=rp1,bus=pxb0,addr=0x0.0x1,chassis=2"), "");
  EXPECT_EQ(refusal(OptionKind::Object, "iommufd,id=iommufd0"), "");
  EXPECT_EQ(refusal(OptionKind::Object, "acpi-generic-initiator,id=gi0,pci-dev=dev0,node=-1"), "");
  EXPECT_EQ(refusal(OptionKind::Machine, "highmem-mmio-size=8T"), "");
  EXPECT_EQ(refusal(OptionKind::Machine, "virt-11.1,highmem-mmio-size=0x100000000"), "");
}

TEST(QemuCaps, NamesWhatQemuWouldRefuse) {
  struct Case {
    OptionKind kind;
    const char* option;
    const char* refusal;
  };
  const Case cases[] = {
      {OptionKind::Device, "arm-smmuv3,primary-bus=pxb0,pasid=on",
       "QEMU 11.1's arm-smmuv3 has no property 'pasid'"},
      {OptionKind::Device, "arm-smmuv3,oas=52",
       "QEMU 11.1's arm-smmuv3 oas='52' is not 44, 48 or auto"},
      {OptionKind::Device, "arm-smmuv3,ssidsize=21",
       "QEMU 11.1's arm-smmuv3 ssidsize='21' is not 0..20 or auto"},
      {OptionKind::Device, "arm-smmuv3,accel=auto",
       "QEMU 11.1's arm-smmuv3 accel='auto' is not on or off"},
      {OptionKind::Device, "arm-smmuv3,identifier=256",
       "QEMU 11.1's arm-smmuv3 identifier='256' is not 0..255"},
      {OptionKind::Device, "arm-smmuv3,primary-bus=",
       "QEMU 11.1's arm-smmuv3 primary-bus='' is not a value"},
      {OptionKind::Device, "pcie-root-port,addr=0x20",
       "QEMU 11.1's pcie-root-port addr='0x20' is not a PCI slot 0..0x1f with an optional .function 0..7"},
      {OptionKind::Device, "pcie-root-port,pref64-reserve=lots",
       "QEMU 11.1's pcie-root-port pref64-reserve='lots' is not a size such as 512M or 1T"},
      {OptionKind::Device, "pcie-root-port,busnr=1",
       "QEMU 11.1's pcie-root-port busnr='1' is not a value of type busnr, which smmu-plan cannot check"},
      {OptionKind::Device, "pcie-root-port,multifunction",
       "QEMU 11.1: 'multifunction' in pcie-root-port has no value"},
      {OptionKind::Device, "tegra241-cmdqv,id=c0",
       "QEMU 11.1 has no device 'tegra241-cmdqv'"},
      {OptionKind::Object, "memory-backend-ram,id=m",
       "QEMU 11.1 has no object type 'memory-backend-ram'"},
      {OptionKind::Object, "acpi-generic-initiator,node=1.5",
       "QEMU 11.1's acpi-generic-initiator node='1.5' is not a number"},
      {OptionKind::Machine, "sbsa-ref,highmem-mmio-size=1T",
       "QEMU 11.1: machine sbsa-ref is not virt"},
      {OptionKind::Machine, "highmem-mmio-size=1T,its=off",
       "QEMU 11.1's virt has no property 'its'"},
  };
  for (const Case& c : cases) EXPECT_EQ(refusal(c.kind, c.option), c.refusal) << c.option;
}

TEST(QemuCaps, DoubledCommaIsPartOfTheValue) {
  EXPECT_EQ(refusal(OptionKind::Object, "acpi-generic-initiator,pci-dev=a,,b,node=0"), "");
  EXPECT_EQ(refusal(OptionKind::Device, "arm-smmuv3,oas=44,,48"),
            "QEMU 11.1's arm-smmuv3 oas='44,48' is not 44, 48 or auto");
}

TEST(QemuCaps, RefusesMalformedRecordings) {
  for (const char* bad : {"", "[]", R"({"qemu": 11})", R"({"qemu": "11.1", "devices": {}})",
                          R"({"qemu": "11.1", "devices": {"x": 1}, "objects": {}, "machines": {}})",
                          R"({"qemu": "11.1", "devices": {"x": {"p": 1}}, "objects": {}, "machines": {}})"}) {
    auto r = parse_qemu_caps(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::Usage);
  }
}

}  // namespace
}  // namespace smmu
