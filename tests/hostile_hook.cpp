// Hostile input to the libvirt hook (libvirt-hook OBJECT prepare begin -
// with the domain XML on stdin, the host from --root or $SMMU_HOOK_ROOT):
// the domain smmu-plan writes for grace-gh200 with one spare port per vSMMU
// (pxb0: controller 1, busNr 250, ports 2 and 3, 0002:01:00.0 on bus 2;
// pxb1: controller 4, busNr 253, ports 5 and 6, the GPU 0009:01:00.0 on bus
// 5), mis-routed by hand. A domain the hook refuses is exit 11; a host tree
// it cannot read, exit 3.
#include <filesystem>

#include "cli/exit_codes.h"
#include "tests/hostile_table.h"

namespace smmu::test {
namespace hostile_hook {

using namespace smmu::cli;

constexpr const char* kArea = "Hook";

Invocation hook(const std::string& root, std::string xml, const std::string& operation = "prepare") {
  return {{"libvirt-hook", "vm", operation, "begin", "-", "--root", root}, std::move(xml)};
}

// A setup handing the hook the domain `make` returns, on grace-gh200.
RowSetup domain(std::function<std::string()> make) {
  return [make](const std::string&) { return hook(example_host(), make()); };
}

// The domain with `from` replaced by what `to` makes (when the row runs:
// gtest copies every row a few times at start-up).
RowSetup edited(std::string from, std::function<std::string()> to) {
  return domain([from, to] { return replaced(gh200_domain_xml(1), from, to()); });
}

RowSetup edited(std::string from, std::string to) {
  return edited(std::move(from), [to] { return to; });
}

// The plain domain on grace-gh200 copied and `mutate`d.
RowSetup on_host(std::function<void(const std::string& root)> mutate) {
  return [mutate](const std::string& dir) {
    std::string root = copy_host(dir);
    mutate(root);
    return hook(root, gh200_domain_xml(1));
  };
}

std::string gpu_iommu_link(const std::string& root) { return device_dir(root, "0009:01:00.0") + "/iommu"; }

// Root ports 5 and 6 each on the other's bus: a loop of controllers.
std::string controller_loop() {
  std::string xml = gh200_domain_xml(1);
  xml = replaced(
      xml,
      "<alias name=\"ua-smmuplan-pxb1-rp0\" />\n      <address type=\"pci\" domain=\"0x0000\" bus=\"0x04\"",
      "<alias name=\"ua-smmuplan-pxb1-rp0\" />\n      <address type=\"pci\" domain=\"0x0000\" bus=\"0x06\"");
  return replaced(
      xml,
      "<alias name=\"ua-smmuplan-pxb1-rp1\" />\n      <address type=\"pci\" domain=\"0x0000\" bus=\"0x04\"",
      "<alias name=\"ua-smmuplan-pxb1-rp1\" />\n      <address type=\"pci\" domain=\"0x0000\" bus=\"0x05\"");
}

}  // namespace hostile_hook

std::vector<HostileRow> hook_rows() {
  using namespace hostile_hook;
  return {
      // vSMMUs where QEMU puts none.
      {"TwoIommusOnOnePciBus", kArea, edited("pciBus=\"4\"", "pciBus=\"1\""), kExitDomainXml,
       "refusing to start vm: two smmuv3 iommus name pciBus=1"},
      {"PciBusNamingARootPort", kArea, edited("pciBus=\"4\"", "pciBus=\"5\""), kExitDomainXml,
       "vSMMU 1 names pciBus=5, a pcie-root-port, not pcie-root or a pcie-expander-bus"},
      {"PciBusOfNoController", kArea, edited("pciBus=\"4\"", "pciBus=\"9\""), kExitDomainXml,
       "vSMMU 1 names pciBus=9, which no PCI controller has"},
      // Hostdevs routed against the host's SMMUs.
      {"HostdevOfADeviceTheHostLacks", kArea, edited("domain=\"0x0009\"", "domain=\"0x0077\""),
       kExitDomainXml, "refusing to start vm: 0077:01:00.0: no such PCI device on this host"},
      {"TwoHostSmmusBehindOneVsmmu", kArea,
       edited("domain=\"0x0000\" bus=\"0x05\"", "domain=\"0x0000\" bus=\"0x03\""), kExitDomainXml,
       "hostdevs 0002:01:00.0 (host smmu3.0x0000000012000000) and 0009:01:00.0 (host "
       "smmu3.0x0000000016000000) "
       "share vSMMU 0 (pciBus=1)"},
      {"OneHostSmmuBehindTwoVsmmus", kArea, edited("domain=\"0x0009\"", "domain=\"0x0002\""), kExitDomainXml,
       "host smmu3.0x0000000012000000 backs two vSMMUs"},
      {"HostdevBehindNoSmmuOnTheHost", kArea,
       on_host([](auto& root) { std::filesystem::remove(gpu_iommu_link(root)); }), kExitDomainXml,
       "hostdev 0009:01:00.0 is behind vSMMU 1 (pciBus=4) but behind no SMMUv3 on the host"},
      // Bus numbers firmware would hand out twice.
      {"OverlappingPxbBusRanges", kArea, edited("busNr=\"253\"", "busNr=\"251\""), kExitDomainXml,
       "overlaps the pxb of controller index 1 (buses 0xfa-0xfc)"},
      {"PxbOverlappingPcie0", kArea, edited("busNr=\"250\"", "busNr=\"0\""), kExitDomainXml,
       "overlaps pcie.0"},
      // Not a domain it can read.
      {"MalformedXml", kArea, domain([] { return gh200_domain_xml(1).substr(0, 2000); }), kExitDomainXml,
       "refusing to start vm: cannot read the domain XML on stdin"},
      // pugixml reads it; libvirt, reading with libxml2, would not.
      {"AliasGivenTwice", kArea,
       edited("<alias name=\"ua-smmuplan-vsmmu1\" />", "<alias name=\"a\" name=\"ua-smmuplan-vsmmu1\" />"),
       kExitDomainXml, "refusing to start vm: domain XML is not well-formed: "},
      {"Nesting10000Deep", kArea,
       edited("<devices>",
              [] {
                return "<devices><metadata>" + repeated("<a>", 10000) + repeated("</a>", 10000) + "</metadata>";
              }),
       kExitDomainXml, "nested deeper than 64 levels"},
      {"OverFourMiBOnStdin", kArea,
       edited("<devices>", [] { return "<devices><!--" + repeated("x", 4 << 20) + "-->"; }),
       kExitDomainXml, "standard input: larger than 4194304 bytes"},
      // The host: missing, or broken under the hostdev.
      {"HostRootFromTheEnvironmentMissing", kArea,
       [](const std::string& dir) {
         Invocation run{{"libvirt-hook", "vm", "prepare", "begin", "-"}, gh200_domain_xml(1)};
         run.env = {"SMMU_HOOK_ROOT=" + dir + "/none"};
         return run;
       },
       kExitHostTree, "/none': No such file or directory"},
      {"HostdevWithALoopingIommuLink", kArea,
       on_host([](auto& root) { make_link(gpu_iommu_link(root), "iommu"); }), kExitHostTree,
       "0009:01:00.0/iommu: cannot look up: symlink loop"},
      // A link naming an SMMU sys/class/iommu lists is taken at its word, as
      // the probe takes it; one naming another must resolve.
      {"HostdevWithADanglingIommuLink", kArea,
       on_host([](auto& root) {
         std::filesystem::remove(gpu_iommu_link(root));
         make_link(gpu_iommu_link(root), "../../../platform/gone/iommu/smmu3.0x00000000deadbeef");
       }),
       kExitHostTree,
       "0009:01:00.0/iommu: broken symlink (-> ../../../platform/gone/iommu/smmu3.0x00000000deadbeef)"},
      // Accepted: what is not prepare/begin passes whatever stdin holds, and a
      // loop of controllers (libvirt's to refuse) ends the walk, not the hook.
      {"GarbageOnAnotherOperation", kArea,
       [](const std::string&) { return hook(example_host(), repeated("\xff<<&&", 100000), "started"); },
       kExitOk, ""},
      {"LoopOfControllers", kArea, domain(controller_loop), kExitOk, ""},
  };
}

}  // namespace smmu::test
