// The CLI's contract around host SMMU caps and the host IORT: the broken
// saved hosts in tests/data/hosts (written by examples/make_hosts.py) fail
// with one error line and the documented exit code, and write nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cli/exit_codes.h"
#include "tests/run_cli.h"
#include "tests/test_paths.h"

namespace smmu::test {
namespace {

namespace fs = std::filesystem;
using namespace smmu::cli;

std::string broken(const char* name) { return source_dir() + "/tests/data/hosts/" + name; }

// Fails with `code`, one stderr line holding `fragment`, no stdout, no file.
void expect_refusal(std::vector<std::string> args, int code, const std::string& fragment) {
  std::string out = make_temp_dir() + "/p.json";
  if (args.front() == "plan") args.insert(args.end(), {"-o", out});
  auto r = run_cli(args);
  EXPECT_EQ(r.exit_code, code) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "more than one line: " << r.err;
  EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
}

TEST(CapsCli, AnIortThatDisagreesWithSysfsIsABrokenHost) {
  const std::string fragment =
      "smmu-plan: error: the host IORT and sysfs disagree on 0002:00:00.0: the IORT routes RID "
      "0x0000 of segment 0x2 to the SMMUv3 at 0x11000000, sysfs puts it behind "
      "smmu3.0x0000000012000000";
  expect_refusal({"probe", "--root", broken("iort-mismatch")}, kExitHostTree, fragment);
  expect_refusal({"plan", "--root", broken("iort-mismatch"), "--all-assignable"}, kExitHostTree,
                 fragment);
}

TEST(CapsCli, UnavailableCapsFailThePlanUnlessNoHostCaps) {
  const std::string host = broken("caps-unavailable");
  auto probe = run_cli({"probe", "--root", host});
  ASSERT_EQ(probe.exit_code, 0) << probe.err;
  EXPECT_NE(probe.out.find("  caps: unavailable (permission denied opening /dev/iommu (run as root))\n"),
            std::string::npos)
      << probe.out;
  expect_refusal({"plan", "--root", host, "--all-assignable"}, kExitHostTree,
                 "smmu3.0x0000000012000000: capabilities unavailable (permission denied opening "
                 "/dev/iommu (run as root)); they are read through a vfio device behind that SMMU: "
                 "run as root with one bound to vfio-pci, or plan with --no-host-caps");

  std::string plan = make_temp_dir() + "/p.json";
  auto made = run_cli({"plan", "--root", host, "--all-assignable", "--no-host-caps", "-o", plan});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  auto args = run_cli({"qemu-args", "--plan", plan});
  ASSERT_EQ(args.exit_code, 0) << args.err;
  EXPECT_NE(args.out.find("arm-smmuv3,primary-bus=pxb0,id=vsmmu0,accel=on,ats=auto,ril=auto,"
                          "ssidsize=auto,oas=auto,cmdqv=auto,identifier=1\n"),
            std::string::npos)
      << args.out;
  auto stand_ins = run_cli({"qemu-args", "--plan", plan, "--stand-ins"});
  EXPECT_EQ(stand_ins.out.find("auto"), std::string::npos);  // TCG: no accel properties at all
  // QEMU copies the host's ATS at the first cold plug: iort says so, in
  // every output form, instead of passing its 0 off as known.
  const std::string note = "the root complex's ats_attribute is shown as 0, but QEMU sets it";
  auto text = run_cli({"iort", "--plan", plan});
  EXPECT_NE(text.out.find("note: " + note), std::string::npos) << text.out;
  EXPECT_NE(run_cli({"iort", "--plan", plan, "--json"}).out.find("\"note\": \"" + note), std::string::npos);
  auto bin = run_cli({"iort", "--plan", plan, "-o", make_temp_dir() + "/iort.bin"});
  EXPECT_EQ(bin.exit_code, 0);
  EXPECT_NE(bin.err.find("smmu-plan: note: " + note), std::string::npos) << bin.err;
  EXPECT_EQ(run_cli({"iort", "--plan", plan, "--stand-ins"}).out.find("note:"), std::string::npos);
}

TEST(CapsCli, AHostSmmuWithoutNestingIsRefusedWithExit5) {
  std::string root = make_temp_dir() + "/host";
  fs::copy(source_dir() + "/examples/hosts/grace-gh200", root,
           fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  // 0002:01:00.0's cdev: an SMMU with stage 2 only (IDR0 S1P clear).
  std::ofstream(root + "/dev/vfio/devices/vfio0")
      << "type 2\nidr 0x00000001 0x02739c10 0 0x1734 0 0x475\niidr 0\naidr 2\n";
  auto probe = run_cli({"probe", "--root", root});
  EXPECT_NE(probe.out.find("caps: SMMUv3.2, no nesting (no S1P), no ats, ril"), std::string::npos) << probe.out;
  expect_refusal({"plan", "--root", root, "--device", "0002:01:00.0"}, kExitNoFit,
                 "smmu3.0x0000000012000000 cannot nest translations (stage 1 no, stage 2 yes)");
}

TEST(CapsCli, AMalformedRecordingIsABrokenHost) {
  std::string root = make_temp_dir() + "/host";
  fs::copy(source_dir() + "/examples/hosts/grace-gh200", root,
           fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  std::ofstream(root + "/dev/vfio/devices/vfio2") << "type 2\nidr 1 2\n";
  expect_refusal({"probe", "--root", root}, kExitHostTree,
                 root + "/dev/vfio/devices/vfio2: line 2: 'idr' takes 6 numbers");
}

}  // namespace
}  // namespace smmu::test
