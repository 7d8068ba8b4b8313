#include "libvirt/qemu_override.h"

#include <gtest/gtest.h>

#include "tests/xml_edit.h"

namespace smmu {
namespace {

std::string apply(const std::string& xml, const std::vector<QemuPropertyOverride>& overrides) {
  return test::edited_xml(xml, [&](pugi::xml_node domain) {
    set_qemu_overrides(domain, "ua-smmuplan-", overrides);
  });
}

TEST(QemuOverride, DeclaresTheNamespaceAndAddsAProperty) {
  EXPECT_EQ(apply("<domain/>", {{"ua-smmuplan-vsmmu0", "identifier", "1"}}),
            "<domain xmlns:qemu=\"http://libvirt.org/schemas/domain/qemu/1.0\"><qemu:override>"
            "<qemu:device alias=\"ua-smmuplan-vsmmu0\"><qemu:frontend><qemu:property "
            "name=\"identifier\" type=\"unsigned\" value=\"1\"/></qemu:frontend></qemu:device>"
            "</qemu:override></domain>");
}

TEST(QemuOverride, ReusesTheDomainsPrefixAndKeepsOthersOverrides) {
  const std::string base =
      "<domain xmlns:q=\"http://libvirt.org/schemas/domain/qemu/1.0\"><q:override>"
      "<q:device alias=\"ua-mine\"><q:frontend/></q:device>"
      "<q:device alias=\"ua-smmuplan-vsmmu0\"><q:frontend/></q:device></q:override></domain>";
  std::string out = apply(base, {{"ua-smmuplan-vsmmu1", "identifier", "2"}});
  EXPECT_NE(out.find("<q:device alias=\"ua-mine\">"), std::string::npos) << out;
  EXPECT_EQ(out.find("ua-smmuplan-vsmmu0"), std::string::npos) << out;
  EXPECT_NE(out.find("<q:device alias=\"ua-smmuplan-vsmmu1\"><q:frontend><q:property"), std::string::npos);
  EXPECT_EQ(out.find("xmlns:qemu"), std::string::npos);
}

// A domain may bind "qemu" to a namespace of its own: ours gets another
// prefix, declared once, and found again by the next apply.
TEST(QemuOverride, APrefixBoundElsewhereIsLeftAlone) {
  const std::string base = "<domain xmlns:qemu=\"urn:other\"><qemu:override/></domain>";
  std::string once = apply(base, {{"ua-smmuplan-vsmmu0", "identifier", "1"}});
  EXPECT_EQ(once,
            "<domain xmlns:qemu=\"urn:other\" xmlns:qemu2=\"http://libvirt.org/schemas/domain/qemu/1.0\">"
            "<qemu:override/><qemu2:override><qemu2:device alias=\"ua-smmuplan-vsmmu0\"><qemu2:frontend>"
            "<qemu2:property name=\"identifier\" type=\"unsigned\" value=\"1\"/></qemu2:frontend>"
            "</qemu2:device></qemu2:override></domain>");
  EXPECT_EQ(apply(once, {{"ua-smmuplan-vsmmu0", "identifier", "1"}}), once);
}

TEST(QemuOverride, NothingToSetLeavesNoEmptyOverride) {
  const std::string base =
      "<domain xmlns:qemu=\"http://libvirt.org/schemas/domain/qemu/1.0\"><qemu:override>"
      "<qemu:device alias=\"ua-smmuplan-vsmmu0\"/></qemu:override></domain>";
  EXPECT_EQ(apply(base, {}), "<domain xmlns:qemu=\"http://libvirt.org/schemas/domain/qemu/1.0\"/>");
  EXPECT_EQ(apply("<domain/>", {}), "<domain/>");
}

}  // namespace
}  // namespace smmu
