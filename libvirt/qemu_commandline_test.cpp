#include "libvirt/qemu_commandline.h"

#include <gtest/gtest.h>

#include "tests/xml_edit.h"

namespace smmu {
namespace {

constexpr const char* kNs = "xmlns:qemu=\"http://libvirt.org/schemas/domain/qemu/1.0\"";

std::string set_args(const std::string& xml, const std::vector<std::string>& args) {
  return test::edited_xml(xml, [&](pugi::xml_node domain) {
    Status s = set_qemu_commandline(domain, "ua-smmuplan-", args);
    EXPECT_TRUE(s) << s.error().message;
  });
}

std::string args_xml(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += "<qemu:arg value=\"" + v + "\"/>";
  return out;
}

const std::vector<std::string> kOurs = {
    "-machine", "highmem-mmio-size=1T", "-numa", "node,nodeid=1", "-object",
    "acpi-generic-initiator,id=ua-smmuplan-gi1,pci-dev=ua-smmuplan-dev1,node=1"};

TEST(QemuCommandline, DeclaresTheNamespaceAndAppendsTheArguments) {
  EXPECT_EQ(set_args("<domain/>", kOurs),
            std::string("<domain ") + kNs + "><qemu:commandline>" + args_xml(kOurs) +
                "</qemu:commandline></domain>");
}

TEST(QemuCommandline, ReplacesOursAndKeepsTheOperatorsInOrder) {
  std::vector<std::string> theirs = {"-numa", "node,nodeid=5", "-object",
                                     "acpi-generic-initiator,id=mine,pci-dev=hostdev0,node=5"};
  std::string base = std::string("<domain ") + kNs + "><qemu:commandline>" + args_xml(kOurs) +
                     args_xml(theirs) + "<qemu:env name=\"X\" value=\"1\"/></qemu:commandline></domain>";
  std::vector<std::string> again = kOurs;
  again[1] = "highmem-mmio-size=2T";
  std::string out = set_args(base, again);
  EXPECT_EQ(out, std::string("<domain ") + kNs + "><qemu:commandline>" + args_xml(theirs) +
                     "<qemu:env name=\"X\" value=\"1\"/>" + args_xml(again) +
                     "</qemu:commandline></domain>");
  EXPECT_EQ(set_args(out, again), out);  // applying twice changes nothing
}

TEST(QemuCommandline, AnOperatorsHighmemStaysUnlessWeGiveOne) {
  std::string base = std::string("<domain ") + kNs + "><qemu:commandline>" +
                     args_xml({"-machine", "highmem-mmio-size=4T"}) + "</qemu:commandline></domain>";
  EXPECT_EQ(set_args(base, {}), base);
  EXPECT_EQ(set_args(base, {"-machine", "highmem-mmio-size=1T"}),
            std::string("<domain ") + kNs + "><qemu:commandline>" +
                args_xml({"-machine", "highmem-mmio-size=1T"}) + "</qemu:commandline></domain>");
}

TEST(QemuCommandline, NothingToSetLeavesNoEmptyCommandline) {
  std::vector<std::string> nodes(kOurs.begin() + 2, kOurs.end());
  std::string base = std::string("<domain ") + kNs + "><qemu:commandline>" + args_xml(nodes) +
                     "</qemu:commandline></domain>";
  EXPECT_EQ(set_args(base, {}), std::string("<domain ") + kNs + "/>");
  EXPECT_EQ(set_args("<domain/>", {}), "<domain/>");
}

TEST(QemuCommandline, TheOperatorsOwnNodeIsNeverAGpuNodeToo) {
  // The operator's node 1 (with memory): ours would give node 1 a second time,
  // and the next apply would drop theirs as ours.
  for (const char* theirs : {"node,nodeid=1,memdev=m1", "node,nodeid=1"}) {
    std::string base = std::string("<domain ") + kNs + "><qemu:commandline>" + args_xml({"-numa", theirs}) +
                       "</qemu:commandline></domain>";
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_string(base.c_str()));
    Status s = set_qemu_commandline(doc.document_element(), "ua-smmuplan-", kOurs);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().kind, ErrorKind::DomainXml);
    EXPECT_EQ(s.error().message,
              "domain XML: its <qemu:commandline> already gives NUMA node 1, a GPU node of the plan; plan "
              "the GPU nodes above the domain's own (--gpu-first-numa-node) or remove that node");
  }
  // Their node 2 is no GPU node of ours: kept, ours added.
  std::string base = std::string("<domain ") + kNs + "><qemu:commandline>" +
                     args_xml({"-numa", "node,nodeid=2"}) + "</qemu:commandline></domain>";
  std::string out = set_args(base, kOurs);
  EXPECT_NE(out.find("node,nodeid=2"), std::string::npos);
  EXPECT_EQ(set_args(out, kOurs), out);
}

// Found by fuzz.domain_merge: "-object" "-object" "<ours>" left "-object"
// beside a stray value of ours, which the next apply took for a pair of ours.
// What would stay of the operator's may hold nothing of ours.
TEST(QemuCommandline, NothingOfOursStaysOutOfPlace) {
  const std::string gi = kOurs[5];
  const std::vector<std::vector<std::string>> bases = {
      {"-object", "-object", gi, gi},             // a pair made by removing ours
      {"-numa", gi},                              // a value of ours out of its pair
      {"-object", gi, gi},                        // the second one alone
  };
  for (const auto& theirs : bases) {
    std::string base = std::string("<domain ") + kNs + "><qemu:commandline>" + args_xml(theirs) +
                       "</qemu:commandline></domain>";
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_string(base.c_str()));
    Status s = set_qemu_commandline(doc.document_element(), "ua-smmuplan-", kOurs);
    ASSERT_FALSE(s) << theirs[1];
    EXPECT_EQ(s.error().kind, ErrorKind::DomainXml);
    EXPECT_EQ(s.error().message.rfind("domain XML: its <qemu:commandline> has an argument '", 0), 0u)
        << s.error().message;
    EXPECT_NE(s.error().message.find("of smmu-plan's out of place"), std::string::npos) << s.error().message;
  }
  // An operator's own setting of one of our devices is theirs, and stays.
  std::string base = std::string("<domain ") + kNs + "><qemu:commandline>" +
                     args_xml({"-set", "device.ua-smmuplan-dev0.rombar=0"}) + "</qemu:commandline></domain>";
  std::string out = set_args(base, kOurs);
  EXPECT_NE(out.find("device.ua-smmuplan-dev0.rombar=0"), std::string::npos) << out;
  EXPECT_EQ(set_args(out, kOurs), out);
}

}  // namespace
}  // namespace smmu
