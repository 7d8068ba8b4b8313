#include "libvirt/domain_xml.h"

#include <gtest/gtest.h>

#include "libvirt/schema_check.h"
#include "tests/sample_plans.h"

namespace smmu {
namespace {

std::string merged(const std::string& base, EmitForm form = EmitForm::Real) {
  auto r = merge_topology(test::two_pxb_plan(), form, base);
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? *r : "";
}

std::string domain_with(const std::string& devices) {
  return "<domain type='kvm'><name>vm</name><os><type arch='aarch64' machine='virt'>hvm</type></os>"
         "<devices><controller type='pci' index='0' model='pcie-root'/>" +
         devices + "</devices></domain>";
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(DomainXml, AddsPxbsPortsDevicesAndOneIommuPerVsmmu) {
  std::string xml = merged(default_domain_xml(EmitForm::Real));
  EXPECT_EQ(count(xml, "model=\"pcie-expander-bus\""), 2u);
  EXPECT_NE(xml.find("<target busNr=\"229\" />"), std::string::npos) << xml;  // 0xe5
  EXPECT_EQ(count(xml, "model=\"pcie-root-port\""), 2u);
  EXPECT_NE(xml.find("<target chassis=\"230\" port=\"0x0\" />"), std::string::npos);
  EXPECT_NE(xml.find("<driver pciBus=\"1\" accel=\"on\" />"), std::string::npos);
  EXPECT_NE(xml.find("<driver pciBus=\"3\" accel=\"on\" />"), std::string::npos);
  EXPECT_NE(xml.find("<address domain=\"0x0001\" bus=\"0x01\" slot=\"0x00\" function=\"0x0\" />"),
            std::string::npos);
  EXPECT_NE(xml.find("<driver iommufd=\"yes\" />"), std::string::npos);
  // pxb on pcie.0 at its planned slot; the device on its root port's bus.
  EXPECT_NE(xml.find("bus=\"0x00\" slot=\"0x1f\""), std::string::npos);
  EXPECT_NE(xml.find("<alias name=\"ua-smmuplan-dev0\" />\n      <address type=\"pci\" domain=\"0x0000\" bus=\"0x02\""),
            std::string::npos) << xml;
  // The iommus come in plan order: libvirt creates the SMMUs in that order.
  EXPECT_LT(xml.find("ua-smmuplan-vsmmu0"), xml.find("ua-smmuplan-vsmmu1"));
}

TEST(DomainXml, StandInsUseVirtioRngAndNoAccel) {
  std::string xml = merged(default_domain_xml(EmitForm::StandIns), EmitForm::StandIns);
  EXPECT_EQ(count(xml, "<rng model=\"virtio\">"), 2u);
  EXPECT_EQ(xml.find("hostdev"), std::string::npos);
  EXPECT_EQ(xml.find("accel"), std::string::npos);
  EXPECT_NE(xml.find("<domain type=\"qemu\">"), std::string::npos);
}

TEST(DomainXml, ApplyingTwiceChangesNothingAndKeepsWhatIsNotOurs) {
  std::string base = domain_with(
      "<controller type='pci' index='1' model='pcie-root-port'><address type='pci' domain='0x0000' "
      "bus='0x00' slot='0x02' function='0x0'/></controller>"
      "<interface type='network'><source network='default'/><model type='virtio'/>"
      "<address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/></interface>"
      "<!-- operator's note -->");
  std::string once = merged(base);
  EXPECT_EQ(merged(once), once);
  EXPECT_NE(once.find("<interface type=\"network\">"), std::string::npos);
  EXPECT_NE(once.find("<!-- operator's note -->"), std::string::npos);
  // Our controllers take indexes after the domain's own.
  EXPECT_NE(once.find("index=\"2\" model=\"pcie-expander-bus\""), std::string::npos) << once;
}

TEST(DomainXml, AnEarlierHostdevOfAPlannedDeviceMovesToItsPlannedPort) {
  std::string base = domain_with(
      "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' "
      "bus='0x01' slot='0x00' function='0x0'/></source></hostdev>");
  std::string xml = merged(base);
  EXPECT_EQ(count(xml, "<hostdev"), 2u);
  EXPECT_EQ(count(xml, "<address domain=\"0x0000\" bus=\"0x01\""), 1u);  // not twice
}

void expect_refused(const std::string& base, const std::string& fragment) {
  auto r = merge_topology(test::two_pxb_plan(), EmitForm::Real, base);
  ASSERT_FALSE(r.ok()) << "expected refusal: " << fragment;
  EXPECT_EQ(r.error().kind, ErrorKind::DomainXml);
  EXPECT_NE(r.error().message.find(fragment), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().message.find('\n'), std::string::npos);
}

TEST(DomainXml, RefusesDomainsItCannotUnderstandOrThatConflict) {
  expect_refused("<domain><devices>", "at byte");
  expect_refused("<vm/>", "the root element is not <domain>");
  expect_refused("<domain><os><type arch='x86_64' machine='q35'>hvm</type></os></domain>",
                 "the domain is x86_64");
  expect_refused(domain_with("<iommu model='smmuv3'/>"), "its own <iommu model='smmuv3'>");
  expect_refused(domain_with("<controller type='pci' index='240' model='pcie-root-port'/>"),
                 "PCI controller index 240 reaches the pxb buses");
  expect_refused(
      domain_with("<controller type='pci' index='1' model='pcie-expander-bus'><target busNr='200'/>"
                  "</controller>"),
      "has its own pcie-expander-bus");
  expect_refused("<domain><os><type arch='aarch64' machine='virt'>hvm</type></os><devices>"
                 "<controller type='pci' index='0' model='pci-root'/></devices></domain>",
                 "PCI controller 0 is 'pci-root', not pcie-root");
  // A device of the operator's on one of our (earlier) root ports.
  std::string ours = merged(default_domain_xml(EmitForm::Real));
  auto at = ours.find("</devices>");
  ours.insert(at, "<disk type='file' device='disk'><address type='pci' domain='0x0000' bus='0x02' "
                  "slot='0x00' function='0x0'/></disk>");
  expect_refused(ours, "a <disk> sits on PCI bus 2, a controller smmu-plan manages");
}

// Merges that QEMU would refuse, or that a second apply would undo.
TEST(DomainXml, RefusesWhatASecondApplyOrQemuWouldFindWrong) {
  expect_refused("<domain><devices/></domain>", "no <os><type arch='aarch64' machine='virt'>");
  expect_refused("<domain><os><type arch='aarch64' machine='virtual-x'>hvm</type></os></domain>",
                 "machine 'virtual-x' is not the aarch64 virt machine (virt or virt-X.Y)");
  EXPECT_TRUE(merge_topology(test::two_pxb_plan(), EmitForm::Real,
                             "<domain><os><type arch='aarch64' machine='virt-11.1'>hvm</type></os></domain>")
                  .ok());
  // On bus 1, which this domain has no controller for: the merge would make
  // it pxb0's, and the next apply would find the disk on our controller.
  expect_refused(domain_with("<disk type='file' device='disk'><address type='pci' domain='0x0000' "
                             "bus='0x01' slot='0x00' function='0x0'/></disk>"),
                 "a <disk> sits on PCI bus 1, which no controller of the domain has (its last is 0)");
  // The operator's device under our prefix would be deleted by the merge.
  expect_refused(domain_with("<rng model='virtio'><backend model='random'>/dev/urandom</backend>"
                             "<alias name='ua-smmuplan-mine'/></rng>"),
                 "<rng> has alias 'ua-smmuplan-mine', which starts with smmu-plan's 'ua-smmuplan-'");
  expect_refused(domain_with("<disk type='file' device='disk'><alias name='ua-smmuplan-dev0'/></disk>"),
                 "<disk> has alias 'ua-smmuplan-dev0'");
  // Depth 10,000 in 70 KB: refused before the (depth x size) indented save.
  std::string deep;
  for (int i = 0; i < 10000; ++i) deep += "<a>";
  for (int i = 0; i < 10000; ++i) deep += "</a>";
  expect_refused(domain_with("<metadata>" + deep + "</metadata>"), "nested deeper than 64 levels");
}

std::string rng_aliased(const std::string& alias) {
  return domain_with("<rng model='virtio'><backend model='random'>/dev/urandom</backend>"
                     "<alias name='" + alias + "'/></rng>");
}

std::string with_machine(const std::string& machine) {
  return "<domain><os><type arch='aarch64' machine='" + machine + "'>hvm</type></os></domain>";
}

// An alias or machine name of hundreds of kilobytes (inside the 4 MiB bound)
// is judged like a short one, without a stack overflow.
TEST(DomainXml, LongAliasesAndMachinesAreJudgedLikeShortOnes) {
  std::string digits(300000, '1');
  expect_refused(rng_aliased("ua-smmuplan-pxb" + digits + "x"), "<rng> has alias 'ua-smmuplan-pxb111");
  // Our own kinds under our ids are an earlier apply's, replaced.
  EXPECT_EQ(merged(rng_aliased("ua-smmuplan-dev" + digits)).find(digits), std::string::npos);
  EXPECT_EQ(merged(rng_aliased("ua-smmuplan-pxb12-rp3")).find("pxb12"), std::string::npos);
  for (const char* id : {"pxb1-rp", "pxb-rp1", "dev", "vsmmu1x", "pxb1-rp2-rp3"}) {
    expect_refused(rng_aliased(std::string("ua-smmuplan-") + id), "which starts with smmu-plan's");
  }
  expect_refused(with_machine("virt-" + digits + ".0x"), "is not the aarch64 virt machine");
  for (const char* machine : {"virt-", "virt-11", "virt-11.", "virt-.1", "virt-1.1.1", "virt-1a.0"}) {
    expect_refused(with_machine(machine), "is not the aarch64 virt machine");
  }
  auto versioned = merge_topology(test::two_pxb_plan(), EmitForm::Real, with_machine("virt-" + digits + ".2"));
  EXPECT_TRUE(versioned.ok());
}

// What nova writes: no pcie-root (libvirt adds it) and root ports without an
// index (libvirt numbers them after ours).
// A spare port's hotplug reserve goes where a GPU port's does: a QEMU
// property override on the port's alias (libvirt has no XML for it).
TEST(DomainXml, ASparePortsReserveIsAQemuPropertyOverride) {
  for (EmitForm form : {EmitForm::Real, EmitForm::StandIns}) {
    auto xml = merge_topology(test::spare_reserve_plan(), form, default_domain_xml(form));
    ASSERT_TRUE(xml.ok()) << xml.error().message;
    EXPECT_NE(xml->find("<qemu:device alias=\"ua-smmuplan-pxb0-rp2\">\n"
                        "      <qemu:frontend>\n"
                        "        <qemu:property name=\"pref64-reserve\" type=\"unsigned\" "
                        "value=\"549755813888\" />"),
              std::string::npos)
        << *xml;
    EXPECT_EQ(count(*xml, "name=\"pref64-reserve\""), 1u);
  }
}

TEST(DomainXml, ControllersLibvirtNumbersItselfAreLeftToIt) {
  std::string xml = merged(
      "<domain type='kvm'><os><type arch='aarch64' machine='virt'>hvm</type></os><devices>"
      "<controller type='pci' model='pcie-root-port'/><controller type='pci' model='pcie-root-port'/>"
      "</devices></domain>");
  EXPECT_NE(xml.find("<controller type=\"pci\" index=\"1\" model=\"pcie-expander-bus\">"),
            std::string::npos) << xml;
  EXPECT_EQ(count(xml, "<controller type=\"pci\" model=\"pcie-root-port\" />"), 2u) << xml;
}

TEST(DomainXml, HostileXmlStaysInert) {
  std::string evil =
      "<?xml version='1.0'?><!DOCTYPE domain [<!ENTITY x SYSTEM 'file:///etc/passwd'>"
      "<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;'>]>"
      "<domain type='kvm'><name>&x;&b;</name><os><type arch='aarch64' machine='virt'>hvm</type>"
      "</os><devices><controller type='pci' index='0' model='pcie-root'/></devices></domain>";
  auto r = merge_topology(test::two_pxb_plan(), EmitForm::Real, evil);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->find("root:"), std::string::npos);  // no file contents pulled in
  EXPECT_EQ(r->find("aaaaaaaaaa"), std::string::npos);
}

TEST(LibvirtSchema, AnOldLibvirtIsNamedWithTheVersionNeeded) {
  std::string xml = merged(default_domain_xml(EmitForm::Real));
  auto missing = check_domain_xml(xml, EmitForm::Real, "/nonexistent/schemas");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("no libvirt schema at /nonexistent/schemas"),
            std::string::npos);
  // Debian 12's libvirt (9.0) predates several smmuv3 <iommu>.
  auto old = check_domain_xml(xml, EmitForm::Real, kLibvirtSchemaDir);
  if (old.ok()) GTEST_SKIP() << "the local libvirt is new enough; covered by e2e.libvirt.*";
  EXPECT_EQ(old.error().kind, ErrorKind::DomainXml);
  EXPECT_NE(old.error().message.find("needs libvirt >= "), std::string::npos) << old.error().message;
}

TEST(DomainXml, CapsBecomeDriverAttributesAndIdentifiersAnOverride) {
  Plan plan = test::two_pxb_plan();
  plan.vsmmus[0].caps = VsmmuCaps{.ats = true, .ril = false, .ssidsize = 16, .oas = 48, .cmdqv = true};
  plan.vsmmus[1].caps = VsmmuCaps{.ats = false, .ril = true, .ssidsize = 20, .oas = 44};
  auto xml = merge_topology(plan, EmitForm::Real, default_domain_xml(EmitForm::Real));
  ASSERT_TRUE(xml.ok()) << xml.error().message;
  EXPECT_NE(xml->find("<driver pciBus=\"1\" accel=\"on\" ats=\"on\" ril=\"off\" ssidsize=\"16\" "
                      "oas=\"48\" cmdqv=\"on\" />"),
            std::string::npos)
      << *xml;
  EXPECT_NE(xml->find("<driver pciBus=\"3\" accel=\"on\" ats=\"off\" ril=\"on\" ssidsize=\"20\" "
                      "oas=\"44\" cmdqv=\"off\" />"),
            std::string::npos);
  EXPECT_NE(xml->find("<qemu:device alias=\"ua-smmuplan-vsmmu1\">\n      <qemu:frontend>\n        "
                      "<qemu:property name=\"identifier\" type=\"unsigned\" value=\"2\" />"),
            std::string::npos);

  // Without CMDQV no identifiers, and an earlier override of ours goes.
  plan.vsmmus[0].caps->cmdqv = false;
  auto again = merge_topology(plan, EmitForm::Real, *xml);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->find("override"), std::string::npos) << *again;

  // Unknown caps: no attribute libvirt could not spell (`auto`).
  auto unknown = merged(default_domain_xml(EmitForm::Real));
  EXPECT_NE(unknown.find("<driver pciBus=\"1\" accel=\"on\" />"), std::string::npos) << unknown;
}

}  // namespace
}  // namespace smmu
