#include "libvirt/gpu_xml.h"

#include <gtest/gtest.h>

#include "libvirt/domain_xml.h"
#include "tests/sample_plans.h"

namespace smmu {
namespace {

Result<std::string> merged_with_gpus(const std::string& base, EmitForm form = EmitForm::Real) {
  return merge_topology(test::gpu_plan(), form, base);
}

std::string domain_with_cpu(const std::string& cpu) {
  return "<domain type='kvm'><name>vm</name><memory unit='KiB'>8388608</memory><vcpu>2</vcpu>"
         "<os><type arch='aarch64' machine='virt'>hvm</type></os>" +
         cpu + "<devices/></domain>";
}

TEST(GpuXml, TheGpuOptionsGoThroughLibvirtsQemuNamespace) {
  auto xml = merged_with_gpus(default_domain_xml(EmitForm::Real));
  ASSERT_TRUE(xml.ok()) << xml.error().message;
  EXPECT_NE(xml->find("<qemu:commandline>\n"
                      "    <qemu:arg value=\"-machine\" />\n"
                      "    <qemu:arg value=\"highmem-mmio-size=1T\" />\n"
                      "    <qemu:arg value=\"-numa\" />\n"
                      "    <qemu:arg value=\"node,nodeid=1\" />\n"
                      "    <qemu:arg value=\"-object\" />\n"
                      "    <qemu:arg value=\"acpi-generic-initiator,id=ua-smmuplan-gi1,"
                      "pci-dev=ua-smmuplan-dev1,node=1\" />\n"),
            std::string::npos)
      << *xml;
  EXPECT_NE(xml->find("<qemu:device alias=\"ua-smmuplan-pxb1-rp0\">\n"
                      "      <qemu:frontend>\n"
                      "        <qemu:property name=\"pref64-reserve\" type=\"unsigned\" "
                      "value=\"274877906944\" />"),
            std::string::npos)
      << *xml;
  // The guest's own node 0: every vCPU and all memory, as QEMU would have it.
  EXPECT_NE(xml->find("<numa>\n      <cell id=\"0\" cpus=\"0-3\" memory=\"4\" unit=\"GiB\" />"),
            std::string::npos)
      << *xml;
  auto again = merge_topology(test::gpu_plan(), EmitForm::Real, *xml);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *xml);
}

TEST(GpuXml, TheDomainsOwnCellsMustBeTheNodesBelowTheGpus) {
  auto one = merged_with_gpus(domain_with_cpu("<cpu mode='host-passthrough'/>"));
  ASSERT_TRUE(one.ok()) << one.error().message;
  EXPECT_NE(one->find("<cell id=\"0\" cpus=\"0-1\" memory=\"8388608\" unit=\"KiB\" />"), std::string::npos);
  auto kept = merged_with_gpus(domain_with_cpu(
      "<cpu><numa><cell id='0' cpus='0-1' memory='8' unit='GiB'/></numa></cpu>"));
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->find("memory=\"8388608\""), std::string::npos);  // the operator's cell stands
  auto two = merged_with_gpus(domain_with_cpu("<cpu><numa><cell id='0' cpus='0' memory='4' unit='GiB'/>"
                                              "<cell id='1' cpus='1' memory='4' unit='GiB'/></numa></cpu>"));
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.error().kind, ErrorKind::DomainXml);
  EXPECT_EQ(two.error().message,
            "domain XML: the plan's GPU NUMA nodes start at guest node 1, so the guest's own nodes "
            "must be <cpu><numa> cells 0; the domain has 0-1 (plan with --gpu-first-numa-node 2)");
  Plan later = test::gpu_plan();
  later.devices[1].gpu_numa_nodes = {3, 4};
  auto none = merge_topology(later, EmitForm::Real, domain_with_cpu(""));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().message,
            "domain XML: the plan's GPU NUMA nodes start at guest node 3, so the guest's own nodes "
            "must be <cpu><numa> cells 0-2; the domain has none");
}

TEST(GpuXml, ACellIdOutsideQemusNodesIsRefusedNotCounted) {
  for (const char* id : {"2147483647", "128", "-1"}) {
    auto xml = merged_with_gpus(domain_with_cpu(std::string("<cpu><numa><cell id='") + id +
                                      "' cpus='0-1' memory='8' unit='GiB'/></numa></cpu>"));
    ASSERT_FALSE(xml.ok()) << id;
    EXPECT_EQ(xml.error().kind, ErrorKind::DomainXml);
    EXPECT_EQ(xml.error().message,
              std::string("domain XML: <cpu><numa> cell id ") + id + " is outside QEMU's nodes 0-127");
  }
}

TEST(GpuXml, APlanWithoutGpusLeavesCellsAndCommandlineAlone) {
  auto xml = merge_topology(test::two_pxb_plan(), EmitForm::Real, domain_with_cpu(""));
  ASSERT_TRUE(xml.ok());
  EXPECT_EQ(xml->find("numa"), std::string::npos);
  EXPECT_EQ(xml->find("commandline"), std::string::npos);
}

}  // namespace
}  // namespace smmu
