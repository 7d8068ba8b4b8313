#include "hostprobe/iort_check.h"

#include <gtest/gtest.h>

#include <cstring>

#include "acpi/iort_layout.h"
#include "hostprobe/probe.h"
#include "tests/fake_host.h"

namespace smmu {
namespace {

using namespace iort_layout;
using test::FakeHost;

// A host firmware IORT: an ITS group, SMMUv3 nodes, one root complex node per
// segment whose RID ranges go to an SMMU (by index) or, with -1, the ITS.
struct Range {
  uint32_t first, last;
  int smmu;
};
struct Segment {
  uint32_t number;
  std::vector<Range> ranges;
};

template <typename T>
void append(std::string& out, const T& v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

std::string host_iort(const std::vector<uint64_t>& smmus, const std::vector<Segment>& segments) {
  std::string t(sizeof(IortHeader), '\0');
  const uint32_t its = uint32_t(t.size());
  append(t, ItsGroupNode{{kTypeItsGroup, sizeof(ItsGroupNode), 1, 0, 0, 0}, 1, 0});
  std::vector<uint32_t> at;
  for (uint64_t base : smmus) {
    at.push_back(uint32_t(t.size()));
    Smmuv3Node n{};
    n.header = {kTypeSmmuv3, sizeof(Smmuv3Node) + sizeof(IdMapping), 4, 0, 1, sizeof(Smmuv3Node)};
    n.base = base;
    append(t, n);
    append(t, IdMapping{0, 0xffff, 0, its, 0});
  }
  for (const auto& seg : segments) {
    RootComplexNode rc{};
    uint32_t count = uint32_t(seg.ranges.size());
    rc.header = {kTypeRootComplex, uint16_t(sizeof(RootComplexNode) + count * sizeof(IdMapping)), 3,
                 0, count, sizeof(RootComplexNode)};
    rc.pci_segment = seg.number;
    append(t, rc);
    for (const auto& r : seg.ranges) {
      append(t, IdMapping{r.first, r.last - r.first, r.first, r.smmu < 0 ? its : at[r.smmu], 0});
    }
  }
  IortHeader h{};
  std::memcpy(h.signature, "IORT", 4);
  h.length = uint32_t(t.size());
  h.revision = 5;
  h.node_count = uint32_t(1 + smmus.size() + segments.size());
  h.node_array_offset = sizeof(IortHeader);
  std::memcpy(t.data(), &h, sizeof h);
  return t;
}

// Kunpeng-like: one segment, the SMMU chosen by bus.
FakeHost kunpeng() {
  FakeHost h;
  h.smmu(0x148000000).smmu(0x140000000);
  h.device({.bdf = "0000:01:00.0", .smmu = 0x148000000});
  h.device({.bdf = "0000:7d:00.1", .smmu = 0x140000000});
  h.device({.bdf = "0000:90:00.0", .smmu = std::nullopt});
  return h;
}

const Segment kKunpengSegment{0, {{0x0000, 0x73ff, 0}, {0x7c00, 0x7fff, 1}, {0x8000, 0xffff, -1}}};

Result<Inventory> probe(const FakeHost& h) { return probe_host(h.tree); }

TEST(HostIort, AgreesWithSysfs) {
  FakeHost h = kunpeng();
  h.tree.file(kHostIortPath, host_iort({0x148000000, 0x140000000}, {kKunpengSegment}));
  auto inv = probe(h);
  ASSERT_TRUE(inv.ok()) << inv.error().message;
  EXPECT_EQ(inv->iort_note, "IORT: agrees with sysfs on all 2 devices behind an SMMUv3");
}

TEST(HostIort, ASwappedRangeIsAHostTreeErrorNamingBothSmmus) {
  FakeHost h = kunpeng();
  Segment swapped{0, {{0x0000, 0x73ff, 1}, {0x7c00, 0x7fff, 0}}};
  h.tree.file(kHostIortPath, host_iort({0x148000000, 0x140000000}, {swapped}));
  auto inv = probe(h);
  ASSERT_FALSE(inv.ok());
  EXPECT_EQ(inv.error().kind, ErrorKind::HostTree);
  EXPECT_EQ(inv.error().message,
            "the host IORT and sysfs disagree on 0000:01:00.0: the IORT routes RID 0x0100 of "
            "segment 0x0 to the SMMUv3 at 0x140000000, sysfs puts it behind "
            "smmu3.0x0000000148000000; fix the firmware or the tree");
}

TEST(HostIort, ARidRoutedToTheItsOrNowhereDisagrees) {
  FakeHost h = kunpeng();
  h.tree.file(kHostIortPath,
              host_iort({0x148000000, 0x140000000}, {{0, {{0x0000, 0x7bff, 0}, {0x7c00, 0xffff, -1}}}}));
  auto inv = probe(h);
  ASSERT_FALSE(inv.ok());
  EXPECT_NE(inv.error().message.find("0000:7d:00.1: the IORT routes RID 0x7d01 of segment 0x0 to the "
                                     "ITS, behind no SMMU"),
            std::string::npos)
      << inv.error().message;

  h.tree.file(kHostIortPath, host_iort({0x148000000, 0x140000000}, {{1, kKunpengSegment.ranges}}));
  inv = probe(h);
  ASSERT_FALSE(inv.ok());
  EXPECT_NE(inv.error().message.find("nowhere (no root complex node for segment 0x0)"), std::string::npos)
      << inv.error().message;
}

TEST(HostIort, UnreadableOrAbsentIsSkippedWithANote) {
  FakeHost h = kunpeng();
  auto inv = probe(h);
  ASSERT_TRUE(inv.ok()) << inv.error().message;
  EXPECT_EQ(inv->iort_note, "IORT: none (a device-tree host?), not cross-checked");

  h.tree.file(kHostIortPath, "IORT but root-only").deny(kHostIortPath);
  inv = probe(h);
  ASSERT_TRUE(inv.ok()) << inv.error().message;
  EXPECT_EQ(inv->iort_note,
            "IORT: not cross-checked (mem:/sys/firmware/acpi/tables/IORT: cannot open: Permission "
            "denied; it is root-only)");
}

TEST(HostIort, AMalformedTableIsAHostTreeError) {
  FakeHost h = kunpeng();
  std::string t = host_iort({0x148000000, 0x140000000}, {kKunpengSegment});
  t.resize(60);
  h.tree.file(kHostIortPath, t);
  auto inv = probe(h);
  ASSERT_FALSE(inv.ok());
  EXPECT_EQ(inv.error().kind, ErrorKind::HostTree);
  EXPECT_EQ(inv.error().message.rfind("mem:/sys/firmware/acpi/tables/IORT: IORT byte offset", 0), 0u)
      << inv.error().message;
}

}  // namespace
}  // namespace smmu
