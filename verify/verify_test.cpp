#include "verify/verify.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "planner/hotplug.h"
#include "tests/sample_plans.h"
#include "tests/test_paths.h"

namespace smmu {
namespace {

// What the booted three-pxb guest reported, as the test bed's console shows it.
GuestReport three_pxb_guest() {
  std::string iort = test::guest_sample_bytes("three-pxb.iort.bin");
  GuestReport g;
  g.iort.assign(iort.begin(), iort.end());
  std::string text = test::guest_sample_bytes("three-pxb.guest.txt");
  g.smmu_map = *parse_smmu_map(text.substr(0, text.find("=== PCI BEGIN")));
  g.pci = *parse_pci_list(text.substr(text.find("=== PCI BEGIN")));
  return g;
}

TEST(GuestReport, ParsesTheSampleGuestFiles) {
  auto g = three_pxb_guest();
  ASSERT_EQ(g.smmu_map->size(), 9u);
  EXPECT_EQ((*g.smmu_map)[0].smmu, "smmu3.0x000000000c000000");
  EXPECT_EQ((*g.smmu_map)[0].bdf.str(), "0000:f0:00.0");
  EXPECT_EQ(g.pci->size(), 15u);
  EXPECT_FALSE(parse_smmu_map("smmu3.0x0 0000:zz:00.0\n").ok());
  EXPECT_EQ(parse_pci_list("0000:00:00.0 nonsense").error().kind, ErrorKind::GuestReport);
}

TEST(GuestReport, AnSmmuNameIsPrintableText) {
  // A hostile guest's terminal escapes or stray bytes are no name of sysfs.
  for (const char* line : {"smmu\x1b[2J 0000:fd:00.0\n", "smmu3.0x0\xff 0000:fd:00.0\n"}) {
    auto map = parse_smmu_map(line);
    ASSERT_FALSE(map.ok()) << line;
    EXPECT_EQ(map.error().kind, ErrorKind::GuestReport);
    EXPECT_NE(map.error().message.find("SMMU map line 1: expected '<smmu> <bdf>'"), std::string::npos);
  }
}

TEST(GuestReport, ParsesAConsoleLogWithMarkedSections) {
  std::string log =
      "UEFI noise\r\n=== SMMU-MAP BEGIN\r\nsmmu3.0x000000000c000000 0000:e6:00.0\r\n"
      "=== SMMU-MAP END\r\n=== PCI BEGIN\r\n0000:00:00.0\r\n0000:e6:00.0\r\n=== PCI END\r\n"
      "=== IORT BEGIN\r\n49 4f 52 54\r\n00 01\r\n=== IORT END\r\n[ 9.1] reboot: Power down\r\n";
  auto r = parse_console_log(log);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->iort, (std::vector<uint8_t>{0x49, 0x4f, 0x52, 0x54, 0x00, 0x01}));
  EXPECT_EQ(r->smmu_map->size(), 1u);
  EXPECT_EQ(r->pci->size(), 2u);
  EXPECT_EQ(parse_console_log("kernel panic").error().message, "the guest printed no IORT section");
}

TEST(Verify, TheBootedSamplesMatchTheirPlans) {
  auto v = verify_guest(test::three_pxb_plan(), EmitForm::StandIns, three_pxb_guest());
  ASSERT_TRUE(v.ok()) << v.error().message;
  for (const auto& d : v->differences) ADD_FAILURE() << d;
  EXPECT_EQ(v->summary,
            "guest matches the plan: 4 devices at their guest BDFs behind 3 vSMMUs, nothing else "
            "translated, IORT (5 nodes)");

  std::string iort = test::guest_sample_bytes("two-pxb.iort.bin");
  GuestReport two;
  two.iort.assign(iort.begin(), iort.end());
  two.smmu_map = *parse_smmu_map(test::guest_sample_bytes("two-pxb.guest.txt"));
  auto v2 = verify_guest(test::two_pxb_plan(), EmitForm::StandIns, two);
  ASSERT_TRUE(v2.ok());
  EXPECT_TRUE(v2->differences.empty());
}

TEST(Verify, ReportsEachDifferenceOnItsOwnLine) {
  auto guest = three_pxb_guest();
  // The device behind pxb 0xe0 shows up behind the first vSMMU, and a pcie.0
  // device is translated.
  for (auto& e : *guest.smmu_map) {
    if (e.bdf.str() == "0000:e1:00.0") e.smmu = "smmu3.0x000000000c000000";
  }
  guest.smmu_map->push_back({"smmu3.0x000000000c040000", *parse_bdf("0000:01:00.0")});
  auto v = verify_guest(test::three_pxb_plan(), EmitForm::StandIns, guest);
  ASSERT_TRUE(v.ok());
  std::vector<std::string> want = {
      "dev2 (host 0001:01:00.0): at 0000:e1:00.0 behind smmu3.0x000000000c000000, planned behind "
      "vsmmu1 (smmu3.0x000000000c020000)",
      "dev0 (host 0000:01:00.0) and dev2 (host 0001:01:00.0) share a guest vSMMU but not a host SMMU",
      "dev1 (host 0000:01:01.0) and dev2 (host 0001:01:00.0) share a guest vSMMU but not a host SMMU",
      "0000:e1:00.0 is behind smmu3.0x000000000c000000, not its own pxb's vSMMU",
      "0000:01:00.0 (pcie.0) is behind smmu3.0x000000000c040000; emulated devices must bypass "
      "translation",
  };
  EXPECT_EQ(v->differences, want);
  EXPECT_EQ(v->summary.rfind("guest differs from the plan: ", 0), 0u);
}

// A guest with a device the plan does not have (hotplugged, and checked
// against the plan from before): on a spare port it is a difference.
TEST(Verify, ADeviceOnASparePortIsADifference) {
  auto without = plan_unplug(test::three_pxb_plan(), *parse_bdf("0001:01:00.0"));
  ASSERT_TRUE(without.ok()) << without.error().message;
  auto v = verify_guest(*without, EmitForm::StandIns, three_pxb_guest());
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->differences, std::vector<std::string>{"0000:e1:00.0 sits behind pxb1.rp0, which the plan keeps spare"});
}

TEST(Verify, AGuestBdfRuleBreakIsCaught) {
  // A plan that promised the wrong bus for its devices (off by one).
  Plan plan = test::two_pxb_plan();
  for (auto& v : plan.vsmmus) {
    v.pxb.bus_nr += 1;
    for (auto& rp : v.root_ports) rp.bus += 1;
  }
  std::string iort = test::guest_sample_bytes("two-pxb.iort.bin");
  GuestReport g;
  g.iort.assign(iort.begin(), iort.end());
  g.smmu_map = *parse_smmu_map(test::guest_sample_bytes("two-pxb.guest.txt"));
  auto v = verify_guest(plan, EmitForm::StandIns, g);
  ASSERT_TRUE(v.ok());
  ASSERT_FALSE(v->differences.empty());
  EXPECT_EQ(v->differences[0],
            "IORT: Root complex node @0xf8: mapping[0].input_base 0xe600 != 0xe500 (plan != guest)");
  bool saw_device = false;
  for (const auto& d : v->differences) {
    saw_device |= d == "dev0 (host 0000:01:00.0): not behind any SMMU at its guest BDF 0000:e7:00.0";
  }
  EXPECT_TRUE(saw_device);
}

TEST(Verify, MalformedGuestIortIsAReportError) {
  GuestReport g;
  g.iort = {'I', 'O', 'R', 'T', 1};
  auto v = verify_guest(test::two_pxb_plan(), EmitForm::StandIns, g);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().kind, ErrorKind::GuestReport);
}

}  // namespace
}  // namespace smmu
