#include "libvirt/routing_check.h"

#include <gtest/gtest.h>

#include <regex>

#include "hostprobe/probe.h"
#include "libvirt/domain_xml.h"
#include "planner/planner.h"
#include "tests/test_paths.h"

namespace smmu {
namespace {

struct Host {
  std::unique_ptr<HostTree> tree;
  Inventory inv;
  explicit Host(const std::string& name)
      : tree(*open_disk_tree(test::example_host(name))),
        inv(*probe_host(*tree)) {}

  // The libvirt XML smmu-plan writes for these devices (real form).
  std::string domain(std::vector<const char*> bdfs, unsigned hotplug = 0) const {
    PlanRequest r;
    for (auto b : bdfs) r.devices.push_back(*parse_bdf(b));
    r.hotplug_ports = hotplug;
    auto plan = make_plan(inv, r);
    EXPECT_TRUE(plan.ok()) << plan.error().message;
    return *merge_topology(*plan, EmitForm::Real, default_domain_xml(EmitForm::Real));
  }
};

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

void expect_refused(const std::string& xml, const HostTree& tree, const std::string& fragment) {
  auto s = check_domain_routing(xml, tree);
  ASSERT_FALSE(s.ok()) << "expected: " << fragment;
  EXPECT_EQ(s.error().kind, ErrorKind::DomainXml);
  EXPECT_NE(s.error().message.find(fragment), std::string::npos) << s.error().message;
}

TEST(RoutingCheck, WhatSmmuPlanWritesPasses) {
  Host h("sriov-vfs");
  auto s = check_domain_routing(h.domain({"0002:01:00.1", "0002:01:00.2", "0006:01:00.1"}, 1), *h.tree);
  EXPECT_TRUE(s.ok()) << s.error().message;
}

TEST(RoutingCheck, DomainsWithoutVsmmusPass) {
  Host h("grace-gh200");
  std::string xml = replace_once(default_domain_xml(EmitForm::Real), "</devices>",
                                 "<hostdev mode='subsystem' type='pci'><source><address "
                                 "domain='0x9' bus='0x1' slot='0x0' function='0x0'/></source>"
                                 "<address type='pci' bus='0x00' slot='0x05'/></hostdev></devices>");
  EXPECT_TRUE(check_domain_routing(xml, *h.tree).ok());
}

TEST(RoutingCheck, TwoHostSmmusUnderOneVsmmuAreRefused) {
  Host h("grace-gh200");
  // pxb0 (host SMMU 0x12000000) has a spare port, controller index 3; move
  // the GPU (host SMMU 0x16000000) there.
  std::string xml = h.domain({"0002:01:00.0", "0009:01:00.0"}, 1);
  std::string moved = std::regex_replace(
      xml, std::regex("(<alias name=\"ua-smmuplan-dev1\" />\\s*<address type=\"pci\" domain=\"0x0000\" bus=\")0x[0-9a-f]+"),
      "$010x03");
  ASSERT_NE(moved, xml);
  expect_refused(moved, *h.tree,
                 "hostdevs 0002:01:00.0 (host smmu3.0x0000000012000000) and 0009:01:00.0 (host "
                 "smmu3.0x0000000016000000) share vSMMU 0 (pciBus=1)");
}

TEST(RoutingCheck, OneHostSmmuBehindTwoVsmmusIsRefused) {
  Host h("sriov-vfs");
  // dev1 becomes another VF of the first PF: host SMMU 0x12000000 then backs both.
  std::string xml = h.domain({"0002:01:00.1", "0006:01:00.1"});
  xml = replace_once(xml, "<address domain=\"0x0006\" bus=\"0x01\" slot=\"0x00\" function=\"0x1\" />",
                     "<address domain=\"0x0002\" bus=\"0x01\" slot=\"0x00\" function=\"0x2\" />");
  expect_refused(xml, *h.tree, "host smmu3.0x0000000012000000 backs two vSMMUs");
}

TEST(RoutingCheck, OverlappingBusRangesAreRefused) {
  Host h("grace-gh200");
  std::string xml = h.domain({"0002:01:00.0", "0009:01:00.0"});
  // pxb0 owns 0xfc-0xfd; put pxb1 (busNr 0xfe) at 0xfd.
  xml = replace_once(xml, "<target busNr=\"254\" />", "<target busNr=\"253\" />");
  expect_refused(xml, *h.tree, "overlaps the pxb of controller index 1 (buses 0xfc-0xfd)");
  std::string low = replace_once(h.domain({"0002:01:00.0"}), "<target busNr=\"254\" />",
                                 "<target busNr=\"0\" />");
  expect_refused(low, *h.tree, "overlaps pcie.0");
}

TEST(RoutingCheck, EachVsmmuOnARootComplexOfItsOwn) {
  Host h("grace-gh200");
  std::string xml = h.domain({"0002:01:00.0", "0009:01:00.0"});
  // Both SMMUs on pxb0 (controller index 1); pxb1 is index 3.
  expect_refused(replace_once(xml, "pciBus=\"3\"", "pciBus=\"1\""), *h.tree,
                 "two smmuv3 iommus name pciBus=1: QEMU puts one SMMU on a bus");
  // An SMMU on pxb1's root port (index 4).
  expect_refused(replace_once(xml, "pciBus=\"3\"", "pciBus=\"4\""), *h.tree,
                 "vSMMU 1 names pciBus=4, a pcie-root-port, not pcie-root or a pcie-expander-bus");
  expect_refused(replace_once(xml, "pciBus=\"3\"", "pciBus=\"9\""), *h.tree,
                 "vSMMU 1 names pciBus=9, which no PCI controller has");
}

TEST(RoutingCheck, HostdevOfNoSuchDevice) {
  Host h("grace-gh200");
  std::string xml = replace_once(h.domain({"0009:01:00.0"}), "domain=\"0x0009\"", "domain=\"0x0077\"");
  auto s = check_domain_routing(xml, *h.tree);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "0077:01:00.0: no such PCI device on this host");
}

}  // namespace
}  // namespace smmu
