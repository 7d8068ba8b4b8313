#include "libvirt/assigned_device.h"

#include <gtest/gtest.h>

#include "hostprobe/probe.h"
#include "libvirt/domain_xml.h"
#include "libvirt/routing_check.h"
#include "libvirt/topology_kept.h"
#include "planner/planner.h"
#include "tests/test_paths.h"

namespace smmu {
namespace {

pugi::xml_node first(pugi::xml_document& doc, const char* xml) {
  EXPECT_TRUE(doc.load_string(xml));
  return doc.document_element();
}

TEST(AssignedDevice, HostdevsAndHostdevInterfacesNameTheirHostDevice) {
  pugi::xml_document a, b, c, d;
  EXPECT_EQ(assigned_pci_device(first(a, "<hostdev mode='subsystem' type='pci'><source><address domain='0x6' "
                                         "bus='0x1' slot='0x0' function='0x4'/></source></hostdev>")),
            (Bdf{6, 1, 0, 4}));
  EXPECT_EQ(assigned_pci_device(first(b, "<interface type='hostdev'><source><address type='pci' domain='0x0006' "
                                         "bus='0x01' slot='0x00' function='0x5'/></source></interface>")),
            (Bdf{6, 1, 0, 5}));
  // A NIC of another type, a USB hostdev: nothing assigned by PCI address.
  EXPECT_FALSE(assigned_pci_device(first(c, "<interface type='network'><source network='default'/></interface>")));
  EXPECT_FALSE(assigned_pci_device(first(d, "<hostdev mode='subsystem' type='usb'><source><address bus='1' "
                                         "device='2'/></source></hostdev>")));
}

// examples/hosts/sriov-vfs: 0002:01:00.1 behind one SMMU, the VF
// 0006:01:00.4 behind another.
struct SriovHost {
  std::unique_ptr<HostTree> tree = *open_disk_tree(test::source_dir() + "/examples/hosts/sriov-vfs");
  Inventory inv = *probe_host(*tree);

  std::string merged(std::vector<const char*> bdfs, const std::string& base) const {
    PlanRequest r;
    for (auto b : bdfs) r.devices.push_back(*parse_bdf(b));
    auto plan = make_plan(inv, r);
    EXPECT_TRUE(plan.ok()) << plan.error().message;
    auto xml = merge_topology(*plan, EmitForm::Real, base);
    EXPECT_TRUE(xml.ok()) << xml.error().message;
    return xml.ok() ? *xml : "";
  }
};

// nova's way of writing both (managed='no' from a device_spec tag, a
// neutron port of vnic_type direct), each on pcie.0 where nova put it.
const char* kNovaDomain =
    "<domain type='kvm'><name>vm</name><os><type arch='aarch64' machine='virt'>hvm</type></os><devices>"
    "<controller type='pci' index='0' model='pcie-root'/>"
    "<hostdev mode='subsystem' type='pci' managed='no'><driver name='vfio'/>"
    "<source><address domain='2' bus='1' slot='0' function='1'/></source>"
    "<rom bar='off'/><boot order='2'/><alias name='ua-nova-gpu'/>"
    "<address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/></hostdev>"
    "<interface type='hostdev' managed='yes'><mac address='fa:16:3e:11:22:33'/><driver name='vfio'/>"
    "<source><address type='pci' domain='0x0006' bus='0x01' slot='0x00' function='0x4'/></source>"
    "<vlan><tag id='42'/></vlan><address type='pci' domain='0x0000' bus='0x00' slot='0x06' function='0x0'/>"
    "</interface></devices></domain>";

pugi::xml_node only(pugi::xml_document& doc, const std::string& xml, const char* xpath) {
  EXPECT_TRUE(doc.load_string(xml.c_str()));
  auto nodes = doc.select_nodes(xpath);
  EXPECT_EQ(nodes.size(), 1u) << xpath << " in\n" << xml;
  return nodes.empty() ? pugi::xml_node() : nodes.first().node();
}

// kNovaDomain with a plan of both its devices merged in: `xml`.
class NovaDomain : public ::testing::Test {
 protected:
  const std::vector<const char*> both = {"0002:01:00.1", "0006:01:00.4"};
  SriovHost h;
  std::string xml = h.merged(both, kNovaDomain);
  pugi::xml_document doc;
};

TEST_F(NovaDomain, ATakenOverHostdevKeepsWhatIsNotTopology) {
  auto hostdev = only(doc, xml, "//hostdev");
  EXPECT_STREQ(hostdev.attribute("managed").value(), "no");
  EXPECT_STREQ(hostdev.child("rom").attribute("bar").value(), "off");
  EXPECT_STREQ(hostdev.child("boot").attribute("order").value(), "2");
  EXPECT_STREQ(hostdev.child("driver").attribute("name").value(), "vfio");
  EXPECT_STREQ(hostdev.child("driver").attribute("iommufd").value(), "yes");
  // Topology is the plan's: our alias, the planned port, the source as libvirt writes it.
  EXPECT_STREQ(hostdev.child("alias").attribute("name").value(), "ua-smmuplan-dev0");
  EXPECT_STRNE(hostdev.child("address").attribute("bus").value(), "0x00");
  EXPECT_STREQ(hostdev.child("source").child("address").attribute("bus").value(), "0x01");
  EXPECT_EQ(h.merged(both, xml), xml);
}

TEST_F(NovaDomain, AHostdevInterfaceMovesUnderItsVsmmuOnce) {
  auto nic = only(doc, xml, "//interface");
  EXPECT_STREQ(nic.attribute("type").value(), "hostdev");
  EXPECT_STREQ(nic.child("mac").attribute("address").value(), "fa:16:3e:11:22:33");
  EXPECT_STREQ(nic.child("vlan").child("tag").attribute("id").value(), "42");
  EXPECT_STREQ(nic.child("driver").attribute("iommufd").value(), "yes");
  EXPECT_STREQ(nic.child("alias").attribute("name").value(), "ua-smmuplan-dev1");
  // Not assigned a second time as a <hostdev>.
  EXPECT_EQ(doc.select_nodes("//hostdev/source/address[@domain='0x0006']").size(), 0u);
  // Its vSMMU is its host SMMU's: the hook passes it, and refuses it moved
  // onto the other vSMMU's root port.
  EXPECT_TRUE(check_domain_routing(xml, *h.tree).ok()) << check_domain_routing(xml, *h.tree).error().message;
  std::string gpu_bus = doc.select_node("//hostdev/address").node().attribute("bus").value();
  nic.child("address").attribute("bus") = gpu_bus.c_str();
  nic.child("address").attribute("slot") = "0x01";
  std::ostringstream moved;
  doc.save(moved);
  auto refused = check_domain_routing(moved.str(), *h.tree);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("0006:01:00.4"), std::string::npos) << refused.error().message;
  EXPECT_EQ(h.merged(both, xml), xml);
}

TEST_F(NovaDomain, AnInterfaceALaterPlanLeavesOutStaysForLibvirtToPlace) {
  auto nic = only(doc, h.merged({"0002:01:00.1"}, xml), "//interface");
  EXPECT_STREQ(nic.child("mac").attribute("address").value(), "fa:16:3e:11:22:33");
  EXPECT_FALSE(nic.child("alias"));
  EXPECT_FALSE(nic.child("address"));
}

TEST_F(NovaDomain, LibvirtNormalizingTheOperatorsSettingsIsNotALostTopology) {
  // libvirt 12.8 writes an interface's managed only when yes, and adds a target.
  auto nic = only(doc, xml, "//interface");
  nic.remove_attribute("managed");
  nic.append_child("target").append_attribute("dev") = "hostdev0";
  std::ostringstream stored;
  doc.save(stored);
  EXPECT_TRUE(check_topology_kept(xml, stored.str()).ok());
  // A guest address it changed is.
  nic.child("address").attribute("slot") = "0x07";
  std::ostringstream moved;
  doc.save(moved);
  EXPECT_FALSE(check_topology_kept(xml, moved.str()).ok());
}

}  // namespace
}  // namespace smmu
