#include "libvirt/hotplug_xml.h"

#include <gtest/gtest.h>

#include <pugixml.hpp>

#include <sstream>

#include "emit/hotplug_command.h"
#include "libvirt/domain_xml.h"
#include "planner/hotplug.h"
#include "tests/sample_plans.h"

namespace smmu {
namespace {

std::string merged(const Plan& plan, EmitForm form) {
  auto r = merge_topology(plan, form, default_domain_xml(form));
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? *r : "";
}

// The element of `domain` with alias `alias`, as hotplug_device_xml prints one.
std::string element_with_alias(const std::string& domain, const std::string& alias) {
  pugi::xml_document doc;
  doc.load_string(domain.c_str());
  auto hit = doc.select_node(("//devices/*[alias/@name='" + alias + "']").c_str());
  std::ostringstream out;
  hit.node().print(out, "  ", pugi::format_indent | pugi::format_no_declaration);
  return out.str();
}

ModelItem endpoint(const Plan& plan, EmitForm form, const std::string& id) {
  auto item = endpoint_item(guest_model(plan, form), id);
  EXPECT_TRUE(item.ok()) << item.error().message;
  return item.ok() ? *item : ModelItem{};
}

// dev1 hotplugged into a guest started without it gets the very element
// apply writes for it cold-plugged, in both forms.
TEST(HotplugXml, AttachGivesTheElementApplyWritesForTheDevice) {
  const Plan with = test::two_pxb_plan();
  auto without = plan_unplug(with, with.devices[1].host_bdf);
  ASSERT_TRUE(without.ok()) << without.error().message;
  for (EmitForm form : {EmitForm::Real, EmitForm::StandIns}) {
    auto xml = hotplug_device_xml(endpoint(with, form, "dev1"), merged(*without, form), PortUse::Attach);
    ASSERT_TRUE(xml.ok()) << xml.error().message;
    EXPECT_EQ(*xml, element_with_alias(merged(with, form), "ua-smmuplan-dev1"));
  }
}

TEST(HotplugXml, DetachNamesTheDeviceWhereItSits) {
  const Plan plan = test::two_pxb_plan();
  const std::string domain = merged(plan, EmitForm::Real);
  auto xml = hotplug_device_xml(endpoint(plan, EmitForm::Real, "dev1"), domain, PortUse::Detach);
  ASSERT_TRUE(xml.ok()) << xml.error().message;
  EXPECT_EQ(*xml, element_with_alias(domain, "ua-smmuplan-dev1"));
}

TEST(HotplugXml, RefusesADomainWithoutThePortOrWithItTaken) {
  const Plan plan = test::two_pxb_plan();
  const ModelItem dev1 = endpoint(plan, EmitForm::Real, "dev1");
  auto bare = hotplug_device_xml(dev1, default_domain_xml(EmitForm::Real), PortUse::Attach);
  ASSERT_FALSE(bare.ok());
  EXPECT_EQ(bare.error().kind, ErrorKind::DomainXml);
  EXPECT_NE(bare.error().message.find("no pcie-root-port with alias 'ua-smmuplan-pxb1-rp0'"), std::string::npos)
      << bare.error().message;
  auto taken = hotplug_device_xml(dev1, merged(plan, EmitForm::Real), PortUse::Attach);
  ASSERT_FALSE(taken.ok());
  EXPECT_NE(taken.error().message.find("root port 'ua-smmuplan-pxb1-rp0' (controller index 4) already holds a <hostdev>"),
            std::string::npos)
      << taken.error().message;
  auto broken = hotplug_device_xml(dev1, "<domain><devices>", PortUse::Detach);
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().kind, ErrorKind::DomainXml);
}

}  // namespace
}  // namespace smmu
