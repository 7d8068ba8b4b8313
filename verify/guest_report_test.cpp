#include "verify/guest_report.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>

#include "tests/test_paths.h"

namespace smmu {
namespace {

// `bytes` as the test bed's guest dumps a table: 16 hex bytes a line, each
// followed by a blank, the serial line's carriage returns.
std::string hex_dump(const std::string& bytes) {
  std::string out;
  char hex[4];
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::snprintf(hex, sizeof hex, "%02x ", static_cast<unsigned char>(bytes[i]));
    out += hex;
    if (i % 16 == 15 || i + 1 == bytes.size()) out += "\r\n";
  }
  return out;
}

std::string crlf(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '\n' ? std::string("\r\n") : std::string(1, c);
  return out;
}

// A console log of the booted GPU guest: its sample files between the
// markers, kernel lines around them.
std::string gpu_console_log() {
  return "[    0.000000] Booting Linux on physical CPU 0x0\r\n" + crlf(test::guest_sample_bytes("gpu-gh200.guest.txt")) +
         "=== NUMA BEGIN\r\n" + crlf(test::guest_sample_bytes("gpu-gh200.numa.txt")) + "=== NUMA END\r\n" +
         "=== SRAT BEGIN\r\n" + hex_dump(test::guest_sample_bytes("gpu-gh200.srat.bin")) + "=== SRAT END\r\n" +
         "=== BRIDGE-WINDOWS BEGIN\r\n" + crlf(test::guest_sample_bytes("gpu-gh200.bridge-windows.txt")) +
         "=== BRIDGE-WINDOWS END\r\n" +
         "=== IORT BEGIN\r\n" + hex_dump(test::guest_sample_bytes("gpu-gh200.iort.bin")) + "=== IORT END\r\n" +
         "reboot: Power down\r\n";
}

TEST(ConsoleSectionFile, TablesComeBackAsTheirBytes) {
  std::string log = gpu_console_log();
  EXPECT_EQ(*console_section_file(log, "IORT"), test::guest_sample_bytes("gpu-gh200.iort.bin"));
  EXPECT_EQ(*console_section_file(log, "SRAT"), test::guest_sample_bytes("gpu-gh200.srat.bin"));
}

TEST(ConsoleSectionFile, LineSectionsComeBackAsTheGuestsFiles) {
  std::string log = gpu_console_log();
  EXPECT_EQ(*console_section_file(log, "SMMU-MAP"),
            "smmu3.0x000000000c000000 0000:fd:00.0\n"
            "smmu3.0x000000000c000000 0000:fd:01.0\n"
            "smmu3.0x000000000c000000 0000:fe:00.0\n");
  EXPECT_EQ(*console_section_file(log, "PCI"),
            "0000:00:00.0\n0000:00:01.0\n0000:00:1f.0\n0000:fd:00.0\n0000:fd:01.0\n0000:fe:00.0\n");
  EXPECT_EQ(*console_section_file(log, "NUMA"), test::guest_sample_bytes("gpu-gh200.numa.txt"));
  EXPECT_EQ(*console_section_file(log, "BRIDGE-WINDOWS"), test::guest_sample_bytes("gpu-gh200.bridge-windows.txt"));
  // `ls` columns stay columns, less the blanks that end them.
  EXPECT_EQ(*console_section_file("=== PCI BEGIN\r\n0000:00:00.0  0000:00:03.0  \r\n=== PCI END\r\n", "PCI"),
            "0000:00:00.0  0000:00:03.0\n");
}

TEST(ConsoleSectionFile, EverySectionItNamesIsOneParseConsoleLogReads) {
  auto report = parse_console_log(gpu_console_log());
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_TRUE(report->smmu_map && report->pci && report->srat && report->numa && report->bridge_windows);
  for (const auto& name : console_section_names()) {
    EXPECT_TRUE(console_section_file(gpu_console_log(), name).ok()) << name;
  }
}

// A table the guest has not (the SRAT of a guest without GPUs) is an empty
// section: an empty file, which verify --guest-srat reads as "none".
TEST(ConsoleSectionFile, AnEmptySectionIsAnEmptyFile) {
  EXPECT_EQ(*console_section_file("=== SRAT BEGIN\r\n=== SRAT END\r\n", "SRAT"), "");
}

TEST(ConsoleSectionFile, RefusesWhatVerifyWouldRefuse) {
  auto missing = console_section_file("Kernel panic - not syncing\r\n", "IORT");
  EXPECT_EQ(missing.error().kind, ErrorKind::GuestReport);
  EXPECT_EQ(missing.error().message, "the guest printed no IORT section");
  auto unended = console_section_file("=== PCI BEGIN\r\n0000:00:00.0\r\n", "PCI");
  EXPECT_EQ(unended.error().message, "the guest printed no PCI section");
  auto map = console_section_file("=== SMMU-MAP BEGIN\r\nsmmu3.0x0 0000:zz:00.0\r\n=== SMMU-MAP END\r\n", "SMMU-MAP");
  EXPECT_NE(map.error().message.find("SMMU map line 1"), std::string::npos) << map.error().message;
  auto hex = console_section_file("=== IORT BEGIN\r\n49 4f 5\r\n=== IORT END\r\n", "IORT");
  EXPECT_NE(hex.error().message.find("IORT hex dump: '5' is not whole bytes"), std::string::npos);
  auto unknown = console_section_file(gpu_console_log(), "DMESG");
  EXPECT_EQ(unknown.error().kind, ErrorKind::GuestReport);
  EXPECT_EQ(unknown.error().message, "no report section is named 'DMESG'");
}

}  // namespace
}  // namespace smmu
