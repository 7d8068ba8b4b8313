#include "planner/plan_explain.h"

#include <gtest/gtest.h>

#include "tests/fake_host.h"

namespace smmu {
namespace {

using test::mixed_host;

PlanRequest gpu_and_one_nic() {
  PlanRequest r;
  r.devices = {*parse_bdf("0002:01:00.1")};
  r.selectors = {*parse_selector_spec("class=0x0302")};
  r.hotplug_ports = 1;
  r.numa_map = {{0, 0}, {1, 3}};
  return r;
}

TEST(PlanExplain, WhereEachChosenDeviceWentAndWhy) {
  Inventory inv = mixed_host();
  auto e = explain_plan(inv, gpu_and_one_nic());
  ASSERT_TRUE(e.ok()) << e.error().message;
  ASSERT_EQ(e->chosen.size(), 3u);
  const auto& nic = e->chosen[0];
  EXPECT_EQ(nic.device.bdf.str(), "0002:01:00.1");
  EXPECT_EQ(nic.chosen_by, std::vector<std::string>{"device 0002:01:00.1"});
  EXPECT_EQ(nic.host_smmu, "smmu3.0x0000000012000000");
  EXPECT_EQ(e->plan.vsmmus[nic.vsmmu].id, "vsmmu0");
  EXPECT_EQ(e->plan.vsmmus[nic.vsmmu].root_ports[nic.root_port].id, "pxb0.rp0");
  const auto& gpu = e->chosen[2];
  EXPECT_EQ(gpu.chosen_by, std::vector<std::string>{"select class=0x0302"});
  EXPECT_EQ(gpu.host_numa_node, 1);
  EXPECT_EQ(e->plan.vsmmus[gpu.vsmmu].pxb.numa_node, 3);
  EXPECT_EQ(gpu.guest_bdf, e->plan.guest_bdf(e->plan.devices[2]));

  std::string text = explanation_text(*e);
  EXPECT_NE(text.find("0009:01:00.0  10de:2342 class 030200\n"
                      "  chosen by: select class=0x0302\n"
                      "  host smmu3.0x0000000016000000 (numa 1) -> vsmmu1\n"
                      "  -> pxb1 (bus_nr 0xfd, pcie.0 slot 0x1e, guest numa 3) -> root port pxb1.rp0 "
                      "(00.0, bus 0xfe) -> guest 0000:fe:00.0\n"),
            std::string::npos)
      << text;
}

TEST(PlanExplain, AGpusNodesReserveAndTheHighMmioWindow) {
  auto e = explain_plan(mixed_host(), gpu_and_one_nic());
  ASSERT_TRUE(e.ok()) << e.error().message;
  std::string text = explanation_text(*e);
  // Two GPUs after the guest's own nodes 0..3 (the NUMA map's); 32 MiB BARs.
  EXPECT_NE(text.find("-> guest 0000:fb:00.0\n"
                      "  gpu: guest numa nodes 4-11 (memory-less, an acpi-generic-initiator each); "
                      "root port keeps 32 MiB of 64-bit prefetchable window (pref64-reserve)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("-> guest 0000:fe:00.0\n  gpu: guest numa nodes 12-19 ("), std::string::npos);
  EXPECT_EQ(text.find("-> guest 0000:fa:00.0\n\n"), text.find("-> guest 0000:fa:00.0"));  // the NIC: none
  EXPECT_NE(text.find("\nhigh PCI MMIO: the devices' 64-bit BARs and reserves take 96 MiB; QEMU's "
                      "default 512 GiB window holds twice that\n"),
            std::string::npos)
      << text;
  auto j = explanation_to_json(*e);
  EXPECT_EQ(j["chosen"][1]["gpu"]["numa_nodes"], nlohmann::json({4, 5, 6, 7, 8, 9, 10, 11}));
  EXPECT_EQ(j["chosen"][1]["gpu"]["pref64_reserve"], 32u << 20);
  EXPECT_TRUE(j["chosen"][0]["gpu"].is_null());
  EXPECT_EQ(j["highmem_mmio"], nlohmann::json({{"needed", 96u << 20}, {"size", nullptr}}));
}

TEST(PlanExplain, WhyEveryOtherDeviceWasLeftOut) {
  Inventory inv = mixed_host();
  auto e = explain_plan(inv, gpu_and_one_nic());
  ASSERT_TRUE(e.ok()) << e.error().message;
  std::string reasons;
  for (const auto& s : e->left_out) reasons += s.device.bdf.str() + " " + left_out_name(s.why) + "\n";
  EXPECT_EQ(reasons,
            "0002:00:00.0 bridge\n"
            "0002:01:00.0 not-selected\n"
            "0003:01:00.0 not-selected\n"
            "0006:01:00.0 not-assignable\n"
            "000a:01:00.0 no-smmuv3\n");
  std::string text = explanation_text(*e);
  EXPECT_NE(text.find("left out: 5 devices\n"), std::string::npos) << text;
  EXPECT_NE(text.find("0006:01:00.0  144d:a80a class 010802  not assignable: bound to nvme, not to "
                      "vfio (bind it to vfio-pci)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("0002:01:00.0  15b3:101e class 020000  not selected: not named, and matches no select entry\n"),
            std::string::npos)
      << text;
}

TEST(PlanExplain, BusBudget) {
  Inventory inv = mixed_host();
  auto e = explain_plan(inv, gpu_and_one_nic());
  ASSERT_TRUE(e.ok()) << e.error().message;
  std::string text = explanation_text(*e);
  EXPECT_NE(text.find("  pcie.0  0x00-0x10   17  kept for its own root ports\n"
                      "  free    0x11-0xf8  232\n"
                      "  pxb0    0xf9-0xfc    4  vsmmu0: the pxb and 3 root ports (2 devices, 1 spare)\n"
                      "  pxb1    0xfd-0xff    3  vsmmu1: the pxb and 2 root ports (1 device, 1 spare)\n"),
            std::string::npos)
      << text;
  auto j = explanation_to_json(*e);
  EXPECT_EQ(j["buses"]["free"], (nlohmann::json{{"count", 232}, {"first", 0x11}, {"last", 0xf8}}));
  EXPECT_EQ(j["buses"]["pxbs"][1]["spare_ports"], 1);
  EXPECT_EQ(j["chosen"][2]["guest_numa_node"], 3);
  EXPECT_EQ(j["left_out"][4]["reason"], "no-smmuv3");

  // Every bus used: 255 - 16 = 239 buses, two pxbs of 1 + (3 + 116) and 1 + (2 + 116) ports.
  PlanRequest full;
  full.all_assignable = true;
  full.hotplug_ports = 116;
  auto tight = explain_plan(inv, full);
  ASSERT_TRUE(tight.ok()) << tight.error().message;
  EXPECT_NE(explanation_text(*tight).find("  free    none\n"), std::string::npos);
  EXPECT_EQ(explanation_to_json(*tight)["buses"]["free"]["count"], 0);
  EXPECT_TRUE(explanation_to_json(*tight)["buses"]["free"]["first"].is_null());
}

TEST(PlanExplain, AVsmmuReservedForHotplugIsNamedInTheBudget) {
  Inventory inv = mixed_host();
  PlanRequest r;
  r.devices = {*parse_bdf("0002:01:00.1")};
  r.hotplug_ports = 1;
  r.hotplug_smmus = {{0x16000000, {}}};
  auto e = explain_plan(inv, r);
  ASSERT_TRUE(e.ok()) << e.error().message;
  std::string text = explanation_text(*e);
  EXPECT_EQ(text.rfind("chosen: 1 device behind 1 host SMMU, one vSMMU each; 1 more reserved for "
                       "hotplug\n", 0), 0u) << text;
  EXPECT_NE(text.find("  pxb1    0xfe-0xff    2  vsmmu1: the pxb and 1 root port (0 devices, 1 spare), "
                      "reserved for hotplug behind smmu3.0x0000000016000000\n"),
            std::string::npos) << text;
  EXPECT_EQ(explanation_to_json(*e)["chosen"].size(), 1u);
}

TEST(PlanExplain, SparePortsWithTheGuestAddressAndWindowAHotpluggedDeviceGets) {
  PlanRequest r = gpu_and_one_nic();
  auto plain = explain_plan(mixed_host(), r);
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  const char* small = "no 64-bit reserve: devices with small BARs only";
  std::string text = explanation_text(*plain);
  EXPECT_NE(text.find(std::string("-> guest 0000:fe:00.0\n  gpu: guest numa nodes 12-19 (memory-less, an "
                                   "acpi-generic-initiator each); root port keeps 32 MiB of 64-bit prefetchable "
                                   "window (pref64-reserve)\n"
                                   "\nspare root ports: 2, for devices hotplugged later\n"
                                   "  vsmmu0 (host smmu3.0x0000000012000000, pxb0):\n"
                                   "    pxb0.rp2 (02.0, bus 0xfc) -> guest 0000:fc:00.0  ") +
                          small +
                          "\n"
                          "  vsmmu1 (host smmu3.0x0000000016000000, pxb1):\n"
                          "    pxb1.rp1 (01.0, bus 0xff) -> guest 0000:ff:00.0  " + small + "\n\nleft out: "),
            std::string::npos)
      << text;
  auto j = explanation_to_json(*plain);
  ASSERT_EQ(j["spare_root_ports"].size(), 2u);
  EXPECT_EQ(j["spare_root_ports"][1],
            (nlohmann::json{{"vsmmu", "vsmmu1"}, {"host_smmu", "smmu3.0x0000000016000000"}, {"pxb", "pxb1"},
                            {"root_port", "pxb1.rp1"}, {"guest_bdf", "0000:ff:00.0"}, {"pref64_reserve", nullptr}}));

  r.hotplug_pref64_reserve = 384ull << 30;  // kept as 512 GiB
  auto reserved = explain_plan(mixed_host(), r);
  ASSERT_TRUE(reserved.ok()) << reserved.error().message;
  text = explanation_text(*reserved);
  EXPECT_NE(text.find("    pxb0.rp2 (02.0, bus 0xfc) -> guest 0000:fc:00.0  512 GiB of 64-bit prefetchable window "
                      "(pref64-reserve)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\nhigh PCI MMIO: the devices' 64-bit BARs and reserves take 1 TiB + 96 MiB (1 TiB of it "
                      "hotplug reserves on 2 spare root ports); -machine highmem-mmio-size=4T (twice that, "
                      "rounded up to a power of two)\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(explanation_to_json(*reserved)["spare_root_ports"][0]["pref64_reserve"], 512ull << 30);

  // No spare port: no such section, an empty list.
  r = gpu_and_one_nic();
  r.hotplug_ports = 0;
  auto none = explain_plan(mixed_host(), r);
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_EQ(explanation_text(*none).find("spare root ports"), std::string::npos);
  EXPECT_EQ(explanation_to_json(*none)["spare_root_ports"], nlohmann::json::array());
}

TEST(PlanExplain, AnImpossibleRequestSaysWhatDoesNotFit) {
  Inventory inv = mixed_host();
  PlanRequest r;
  r.all_assignable = true;
  r.hotplug_ports = 117;
  auto e = explain_plan(inv, r);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().kind, ErrorKind::NoFit);
  EXPECT_NE(e.error().message.find("the pxbs need 241 buses but only 239 are free"), std::string::npos)
      << e.error().message;
}

}  // namespace
}  // namespace smmu
