#include "acpi/srat.h"

#include <gtest/gtest.h>

namespace smmu {
namespace {

void put(std::vector<uint8_t>& b, size_t at, uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) b[at + i] = static_cast<uint8_t>(v >> (8 * i));
}

// An SRAT as QEMU writes one: a memory affinity structure for node 0, then
// a generic initiator for the device at 0000:ff:01.3 in domain 1.
std::vector<uint8_t> srat() {
  std::vector<uint8_t> b(48 + 40 + 32, 0);
  b[0] = 'S'; b[1] = 'R'; b[2] = 'A'; b[3] = 'T';
  put(b, 4, static_cast<uint32_t>(b.size()), 4);
  b[48] = 1;   // memory affinity
  b[49] = 40;
  size_t gi = 88;
  b[gi] = 5;
  b[gi + 1] = 32;
  b[gi + 3] = 1;               // PCI handle
  put(b, gi + 4, 1, 4);        // proximity domain
  b[gi + 10] = 0xff;           // bus
  b[gi + 11] = 0x0b;           // devfn: device 1, function 3
  put(b, gi + 24, 1, 4);       // enabled
  return b;
}

TEST(Srat, ReadsTheGenericInitiatorsAndSkipsTheRest) {
  auto gis = decode_srat_generic_initiators(srat(), ErrorKind::GuestReport);
  ASSERT_TRUE(gis.ok()) << gis.error().message;
  ASSERT_EQ(gis->size(), 1u);
  EXPECT_EQ((*gis)[0].proximity_domain, 1u);
  EXPECT_TRUE((*gis)[0].pci);
  EXPECT_EQ((*gis)[0].bdf.str(), "0000:ff:01.3");
  EXPECT_TRUE((*gis)[0].enabled);
}

TEST(Srat, BrokenTablesAreErrorsNamingTheOffset) {
  auto b = srat();
  b[0] = 'X';
  EXPECT_EQ(decode_srat_generic_initiators(b, ErrorKind::GuestReport).error().message,
            "SRAT byte offset 0: not an SRAT (no \"SRAT\" header of 48 bytes)");
  b = srat();
  b[89] = 0;
  auto zero = decode_srat_generic_initiators(b, ErrorKind::GuestReport);
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.error().kind, ErrorKind::GuestReport);
  EXPECT_EQ(zero.error().message, "SRAT byte offset 89: structure length 0 runs past the table");
  b = srat();
  b.resize(100);
  EXPECT_EQ(decode_srat_generic_initiators(b, ErrorKind::GuestReport).error().message,
            "SRAT byte offset 4: length field says 120 bytes, 100 are present");
}

}  // namespace
}  // namespace smmu
