#include "planner/vsmmu_caps.h"

#include <gtest/gtest.h>

namespace smmu {
namespace {

HostSmmu host(SmmuCaps caps) {
  HostSmmu h;
  h.name = "smmu3.0x0000000012000000";
  h.caps = caps;
  return h;
}

SmmuCaps grace() {
  return {.arch_minor = 2, .s1p = true, .s2p = true, .ats = true, .ril = true, .sidsize = 16,
          .ssidsize = 16, .oas_bits = 48, .gran4k = true, .gran16k = true, .gran64k = true,
          .cmdqv = CmdqvInfo{1, 7, 4}};
}

VsmmuCaps of(const HostSmmu& h) {
  auto v = vsmmu_caps(h, false);
  EXPECT_TRUE(v.ok()) << v.error().message;
  return v.ok() && *v ? **v : VsmmuCaps{};
}

TEST(VsmmuCaps, CopiesWhatTheHostHas) {
  EXPECT_EQ(of(host(grace())), (VsmmuCaps{.ats = true, .ril = true, .ssidsize = 16, .oas = 48, .cmdqv = true}));
  SmmuCaps bare = grace();
  bare.ats = bare.ril = false;
  bare.cmdqv.reset();
  bare.ssidsize = 0;
  EXPECT_EQ(of(host(bare)), (VsmmuCaps{.ats = false, .ril = false, .ssidsize = 0, .oas = 48, .cmdqv = false}));
}

TEST(VsmmuCaps, OasIsWhatQemuOffersWithinTheHost) {
  const std::pair<unsigned, unsigned> cases[] = {{44, 44}, {48, 48}, {52, 48}, {56, 48}};
  for (auto [host_bits, want] : cases) {
    SmmuCaps c = grace();
    c.oas_bits = host_bits;
    EXPECT_EQ(of(host(c)).oas, want) << host_bits;
  }
  for (unsigned narrow : {32u, 40u, 42u}) {
    SmmuCaps c = grace();
    c.oas_bits = narrow;
    auto v = vsmmu_caps(host(c), false);
    ASSERT_FALSE(v.ok()) << narrow;
    EXPECT_EQ(v.error().kind, ErrorKind::NoFit);
    EXPECT_NE(v.error().message.find(std::to_string(narrow) + "-bit addresses"), std::string::npos);
  }
}

TEST(VsmmuCaps, SsidsizeCappedAtTwenty) {
  SmmuCaps c = grace();
  c.ssidsize = 31;
  EXPECT_EQ(of(host(c)).ssidsize, 20u);
  c.ssidsize = 20;
  EXPECT_EQ(of(host(c)).ssidsize, 20u);
}

TEST(VsmmuCaps, NoNestingIsRefused) {
  for (auto [s1p, s2p] : {std::pair{false, true}, {true, false}, {false, false}}) {
    SmmuCaps c = grace();
    c.s1p = s1p;
    c.s2p = s2p;
    auto v = vsmmu_caps(host(c), true);
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.error().kind, ErrorKind::NoFit);
    EXPECT_NE(v.error().message.find("cannot nest translations"), std::string::npos);
  }
}

TEST(VsmmuCaps, UnavailableIsAnErrorUnlessOptional) {
  HostSmmu h;
  h.name = "smmu3.0x0000000012000000";
  h.caps_unavailable = "permission denied opening /dev/iommu (run as root)";
  auto strict = vsmmu_caps(h, false);
  ASSERT_FALSE(strict.ok());
  EXPECT_EQ(strict.error().kind, ErrorKind::HostTree);
  EXPECT_EQ(strict.error().message.rfind(
                "smmu3.0x0000000012000000: capabilities unavailable (permission denied opening "
                "/dev/iommu (run as root)); ",
                0),
            0u);
  EXPECT_NE(strict.error().message.find("--no-host-caps"), std::string::npos);
  auto lenient = vsmmu_caps(h, true);
  ASSERT_TRUE(lenient.ok());
  EXPECT_FALSE(*lenient);
}

}  // namespace
}  // namespace smmu
