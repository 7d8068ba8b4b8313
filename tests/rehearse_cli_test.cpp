// verify, guest-report and rehearse through the CLI, against the reference
// guest's files and a stand-in test bed whose `boot` replays what that guest
// printed.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "cli/exit_codes.h"
#include "planner/plan_json.h"
#include "tests/run_cli.h"
#include "tests/sample_plans.h"
#include "tests/test_paths.h"

namespace smmu::test {
namespace {

namespace fs = std::filesystem;
using namespace smmu::cli;

std::string samples() { return source_dir() + "/tests/data/guest-samples/"; }

std::string write_plan(const Plan& plan) {
  std::string path = make_temp_dir() + "/plan.json";
  std::ofstream(path) << plan_to_json(plan).dump(2);
  return path;
}

// A test bed whose boot prints the console of the booted two-pxb guest.
std::string replaying_testbed(const std::string& iort_sample, int exit_code = 0) {
  std::string dir = make_temp_dir();
  std::string boot = dir + "/boot";
  std::ofstream(boot) << "#!/bin/sh\n"
                      << "[ " << exit_code << " -eq 0 ] || { echo 'boot: guest did not report (timeout)'; exit "
                      << exit_code << "; }\n"
                      << "{ echo '=== SMMU-MAP BEGIN'; cat '" << samples() << "two-pxb.guest.txt';"
                      << "  echo '=== SMMU-MAP END'; echo '=== IORT BEGIN';"
                      << "  od -An -v -tx1 '" << samples() << iort_sample << "'; echo '=== IORT END'; }"
                      << " >\"$2/console.log\"\n";
  fs::permissions(boot, fs::perms::owner_all);
  return dir;
}

TEST(VerifyCli, TheReferenceGuestMatchesItsPlan) {
  std::string plan = write_plan(two_pxb_plan());
  auto r = run_cli({"verify", "--plan", plan, "--stand-ins", "--guest-iort",
                    samples() + "two-pxb.iort.bin", "--guest-smmu-map",
                    samples() + "two-pxb.guest.txt"});
  EXPECT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_EQ(r.out,
            "guest matches the plan: 2 devices at their guest BDFs behind 2 vSMMUs, nothing else "
            "translated, IORT (4 nodes)\n");
}

// The guest's console as the test bed's init prints it: kernel lines around
// the marked sections, the IORT as hex bytes, carriage returns of the serial line.
std::string console_log(const std::string& iort_sample) {
  std::ifstream map(samples() + "two-pxb.guest.txt"), iort(samples() + iort_sample, std::ios::binary);
  std::string log = "[    0.000000] Booting Linux on physical CPU 0x0\r\n=== SMMU-MAP BEGIN\r\n";
  for (std::string line; std::getline(map, line);) log += line + "\r\n";
  log += "=== SMMU-MAP END\r\n=== IORT BEGIN\r\n";
  int n = 0;
  char hex[4];
  for (char c; iort.get(c); ++n) {
    std::snprintf(hex, sizeof hex, "%02x ", static_cast<unsigned char>(c));
    log += hex;
    if (n % 16 == 15) log += "\r\n";
  }
  return log + "\r\n=== IORT END\r\nreboot: Power down\r\n";
}

TEST(VerifyCli, AConsoleLogIsReadLikeTheFilesItHolds) {
  std::string plan = write_plan(two_pxb_plan());
  std::string dir = make_temp_dir();
  std::ofstream(dir + "/good.log") << console_log("two-pxb.iort.bin");
  std::ofstream(dir + "/other.log") << console_log("three-pxb.iort.bin");
  std::ofstream(dir + "/panic.log") << "Kernel panic - not syncing\n";
  auto files = run_cli({"verify", "--plan", plan, "--stand-ins", "--guest-iort", samples() + "two-pxb.iort.bin",
                        "--guest-smmu-map", samples() + "two-pxb.guest.txt"});
  auto log = run_cli({"verify", "--plan", plan, "--stand-ins", "--console-log", dir + "/good.log"});
  EXPECT_EQ(log.exit_code, kExitOk) << log.err;
  EXPECT_EQ(log.out, files.out);
  EXPECT_EQ(run_cli({"verify", "--plan", plan, "--stand-ins", "--console-log", dir + "/other.log"}).exit_code,
            kExitMismatch);
  expect_cli_failure({"verify", "--plan", plan, "--console-log", dir + "/panic.log"}, kExitGuestReport,
                     "the guest printed no IORT section");
  expect_cli_failure({"verify", "--plan", plan}, kExitUsage, "verify needs --console-log FILE or --guest-iort FILE");
  expect_cli_failure({"verify", "--plan", plan, "--console-log", dir + "/good.log", "--guest-pci", dir + "/good.log"},
                     kExitUsage, "excludes");
}

// guest-report gives the files the --guest-* options read, from the very
// parser --console-log uses: verify of either says the same.
TEST(GuestReportCli, ASectionIsTheFileVerifyReads) {
  std::string plan = write_plan(two_pxb_plan());
  std::string dir = make_temp_dir();
  std::ofstream(dir + "/good.log") << console_log("two-pxb.iort.bin");
  auto iort = run_cli({"guest-report", "--console-log", dir + "/good.log", "--section", "IORT", "-o", dir + "/iort.bin"});
  EXPECT_EQ(iort.exit_code, kExitOk) << iort.err;
  EXPECT_EQ(iort.out, "");
  EXPECT_EQ(file_bytes(dir + "/iort.bin"), file_bytes(samples() + "two-pxb.iort.bin"));
  auto map = run_cli({"guest-report", "--console-log", dir + "/good.log", "--section", "SMMU-MAP"});
  EXPECT_EQ(map.exit_code, kExitOk) << map.err;
  EXPECT_EQ(map.out,
            "smmu3.0x000000000c000000 0000:e5:00.0\nsmmu3.0x000000000c000000 0000:e6:00.0\n"
            "smmu3.0x000000000c020000 0000:ee:00.0\nsmmu3.0x000000000c020000 0000:ef:00.0\n");
  std::ofstream(dir + "/map.txt") << map.out;
  auto files = run_cli({"verify", "--plan", plan, "--stand-ins", "--guest-iort", dir + "/iort.bin",
                        "--guest-smmu-map", dir + "/map.txt"});
  auto log = run_cli({"verify", "--plan", plan, "--stand-ins", "--console-log", dir + "/good.log"});
  EXPECT_EQ(files.exit_code, kExitOk) << files.err;
  EXPECT_EQ(files.out, log.out);
}

TEST(GuestReportCli, AMissingSectionExits9AnUnknownOne2) {
  std::string dir = make_temp_dir();
  std::ofstream(dir + "/panic.log") << "Kernel panic - not syncing\n";
  expect_cli_failure({"guest-report", "--console-log", dir + "/panic.log", "--section", "IORT"}, kExitGuestReport,
                     "the guest printed no IORT section");
  expect_cli_failure({"guest-report", "--console-log", dir + "/panic.log", "--section", "DMESG"}, kExitUsage,
                     "DMESG");
  expect_cli_failure({"guest-report", "--console-log", dir + "/none.log", "--section", "PCI"}, kExitGuestReport,
                     "none.log");
  expect_cli_failure({"guest-report", "--section", "PCI"}, kExitUsage, "--console-log");
}

TEST(VerifyCli, DifferencesOnStdoutAndExit8) {
  std::string plan = write_plan(two_pxb_plan());
  auto r = run_cli({"verify", "--plan", plan, "--stand-ins", "--guest-iort",
                    samples() + "three-pxb.iort.bin"});
  EXPECT_EQ(r.exit_code, kExitMismatch);
  EXPECT_NE(r.out.find("IORT: node count 4 != 5 (plan != guest)\n"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("guest differs from the plan"), std::string::npos);
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1);
}

TEST(VerifyCli, MalformedGuestFilesExit9) {
  std::string plan = write_plan(two_pxb_plan());
  std::string bad = make_temp_dir() + "/map.txt";
  std::ofstream(bad) << "smmu3.0x000000000c000000 not-a-bdf\n";
  auto r = run_cli({"verify", "--plan", plan, "--guest-iort", samples() + "two-pxb.iort.bin",
                    "--guest-smmu-map", bad});
  EXPECT_EQ(r.exit_code, kExitGuestReport);
  EXPECT_NE(r.err.find("SMMU map line 1"), std::string::npos) << r.err;
  auto missing = run_cli({"verify", "--plan", plan, "--guest-iort", "/nonexistent/iort"});
  EXPECT_EQ(missing.exit_code, kExitGuestReport);
}

// The GPU sample's own files through the GPU options; a window firmware
// did not give is a difference, a malformed file exit 9.
TEST(VerifyCli, TheGpuGuestsNodesAndWindows) {
  std::string plan = samples() + "gpu-gh200.plan.json";
  std::vector<std::string> args = {"verify", "--plan", plan, "--stand-ins", "--guest-iort",
                                   samples() + "gpu-gh200.iort.bin", "--guest-srat",
                                   samples() + "gpu-gh200.srat.bin", "--guest-numa",
                                   samples() + "gpu-gh200.numa.txt"};
  auto with_windows = [&](const std::string& windows) {
    auto a = args;
    a.insert(a.end(), {"--guest-bridge-windows", windows});
    return run_cli(a);
  };
  auto ok = with_windows(samples() + "gpu-gh200.bridge-windows.txt");
  EXPECT_EQ(ok.exit_code, kExitOk) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("8 GPU NUMA nodes in the SRAT, 8 in the guest kernel, firmware's windows "
                        "for 1 root port reserve\n"),
            std::string::npos)
      << ok.out;
  std::string small = make_temp_dir() + "/windows.txt";
  std::ofstream(small) << "0000:fd:00.0 0xc000000000 0xc0000fffff\n";
  auto differs = with_windows(small);
  EXPECT_EQ(differs.exit_code, kExitMismatch);
  EXPECT_NE(differs.out.find("pxb0.rp0 (0000:fd:00.0): firmware gave it 1 MiB"), std::string::npos);
  std::ofstream(small) << "0000:fd:00.0 window\n";
  EXPECT_EQ(with_windows(small).exit_code, kExitGuestReport);
}

TEST(RehearseCli, ProvesThePlanWithTheTestBedsGuest) {
  std::string plan = write_plan(two_pxb_plan());
  auto r = run_cli({"rehearse", "--plan", plan, "--testbed", replaying_testbed("two-pxb.iort.bin")});
  EXPECT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("guest matches the plan"), std::string::npos);
}

TEST(RehearseCli, AGuestThatDiffersKeepsItsLog) {
  std::string plan = write_plan(two_pxb_plan());
  auto r = run_cli({"rehearse", "--plan", plan, "--testbed", replaying_testbed("three-pxb.iort.bin")});
  EXPECT_EQ(r.exit_code, kExitMismatch);
  auto at = r.err.find("guest log kept in ");
  ASSERT_NE(at, std::string::npos) << r.err;
  std::string log = r.err.substr(at + 18, r.err.size() - at - 19);
  EXPECT_TRUE(fs::exists(log)) << log;
  fs::remove_all(fs::path(log).parent_path());
}

TEST(RehearseCli, NoTestBedOrNoReportExit10) {
  std::string plan = write_plan(two_pxb_plan());
  auto none = run_cli({"rehearse", "--plan", plan, "--testbed", make_temp_dir()});
  EXPECT_EQ(none.exit_code, kExitTestbed);
  EXPECT_NE(none.err.find("tests/e2e/testbed.sh prepare"), std::string::npos);
  auto dead = run_cli({"rehearse", "--plan", plan, "--testbed", replaying_testbed("x", 1)});
  EXPECT_EQ(dead.exit_code, kExitTestbed);
  EXPECT_NE(dead.err.find("the guest did not report: boot: guest did not report (timeout)"),
            std::string::npos)
      << dead.err;
  auto kept = dead.err.find("(kept ");
  ASSERT_NE(kept, std::string::npos);
  fs::remove_all(dead.err.substr(kept + 6, dead.err.size() - kept - 8));
}

// boot exits 0 when QEMU ran to its end; a guest that printed no report then
// did not report all the same.
TEST(RehearseCli, ALogWithoutTheReportExits10) {
  std::string plan = write_plan(two_pxb_plan());
  std::string testbed = make_temp_dir();
  std::ofstream(testbed + "/boot") << "#!/bin/sh\necho 'Kernel panic - not syncing' >\"$2/console.log\"\n";
  fs::permissions(testbed + "/boot", fs::perms::owner_all);
  auto r = run_cli({"rehearse", "--plan", plan, "--testbed", testbed});
  EXPECT_EQ(r.exit_code, kExitTestbed);
  EXPECT_NE(r.err.find("the guest did not report: the guest printed no IORT section (kept "), std::string::npos)
      << r.err;
  auto kept = r.err.find("(kept ");
  ASSERT_NE(kept, std::string::npos);
  std::string work = r.err.substr(kept + 6, r.err.size() - kept - 8);
  EXPECT_TRUE(fs::exists(work + "/console.log")) << work;
  fs::remove_all(work);
}

}  // namespace
}  // namespace smmu::test
