// The CLI's contract around the QEMU a form is for (cli/qemu_target.h):
// --qemu-caps with a shipped release or a file, --qemu with a binary asked
// over QMP (the fakes of tests/data/fake-qemu), the PATH default and its
// note, and refusals as one error line that write nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "cli/exit_codes.h"
#include "common/subprocess.h"
#include "tests/run_cli.h"
#include "tests/scoped_env.h"
#include "tests/test_paths.h"

namespace smmu::test {
namespace {

namespace fs = std::filesystem;
using namespace smmu::cli;

std::string fake(const char* name) { return source_dir() + "/tests/data/fake-qemu/" + name; }


std::string plan_of(const char* name) {
  std::string plan = make_temp_dir() + "/plan.json";
  auto r = run_cli({"plan", "--root", example_host(name), "--all-assignable", "--qemu-caps", "11.1", "-o", plan});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  return plan;
}

TEST(QemuTargetCli, AnOlderReleaseGetsTheReducedFormAndANote) {
  std::string plan = plan_of("kunpeng920");
  auto r = run_cli({"qemu-args", "--plan", plan, "--qemu-caps", "11.0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "smmu-plan: note: QEMU 11.0 has no arm-smmuv3 'cmdqv': left out (off)\n");
  EXPECT_EQ(r.out.find("cmdqv"), std::string::npos);
  EXPECT_NE(r.out.find("arm-smmuv3,primary-bus=pxb0,id=vsmmu0,accel=on,ats=off,ril=off,ssidsize=16,oas=48\n"),
            std::string::npos)
      << r.out;
}

TEST(QemuTargetCli, WhatTheQemuLacksIsRefusedWithTheReleaseThatHasIt) {
  std::string out = make_temp_dir() + "/p.json";
  expect_cli_failure({"plan", "--root", example_host("grace-gh200"), "--all-assignable", "--qemu-caps", "11.0", "-o", out},
                     kExitNoFit, "smmu-plan: error: QEMU 11.0 has no arm-smmuv3 'cmdqv': CMDQ-V needs QEMU >= 11.1");
  EXPECT_FALSE(fs::exists(out));
  std::string plan = plan_of("kunpeng920");
  expect_cli_failure({"qemu-args", "--plan", plan, "--qemu-caps", "10.2"}, kExitNoFit,
                     "QEMU 10.2 has no arm-smmuv3 'accel': passthrough behind a vSMMU (accel=on over "
                     "iommufd) needs QEMU >= 11.0");
  std::string xml = make_temp_dir() + "/d.xml";
  expect_cli_failure({"libvirt-xml", "--plan", plan, "--qemu-caps", "10.2", "-o", xml}, kExitNoFit,
                     "QEMU 10.2 has no arm-smmuv3 'accel'");
  EXPECT_FALSE(fs::exists(xml));
  auto stand = run_cli({"qemu-args", "--plan", plan, "--qemu-caps", "10.2", "--stand-ins"});
  EXPECT_EQ(stand.exit_code, 0) << stand.err;
  EXPECT_EQ(stand.err, "");
}

TEST(QemuTargetCli, RecordedListsRoundTripThroughAFile) {
  std::string file = make_temp_dir() + "/caps.json";
  auto wrote = run_cli({"qemu-caps", "--qemu-caps", "11.0", "-o", file});
  ASSERT_EQ(wrote.exit_code, 0) << wrote.err;
  EXPECT_EQ(file_bytes(file), file_bytes(source_dir() + "/qemu-caps/qemu-11.0.json"));
  std::string plan = plan_of("kunpeng920");
  auto by_file = run_cli({"qemu-args", "--plan", plan, "--qemu-caps", file});
  auto by_name = run_cli({"qemu-args", "--plan", plan, "--qemu-caps", "11.0"});
  EXPECT_EQ(by_file.exit_code, 0) << by_file.err;
  EXPECT_EQ(by_file.out, by_name.out);
}

TEST(QemuTargetCli, BadCapsAreUsageErrors) {
  std::string plan = plan_of("kunpeng920");
  expect_cli_failure({"qemu-args", "--plan", plan, "--qemu-caps", "9.9"}, kExitUsage,
                     "--qemu-caps 9.9: no such shipped release (10.2, 11.0, 11.1)");
  expect_cli_failure({"qemu-args", "--plan", plan, "--qemu-caps", "/nonexistent/caps.json"}, kExitUsage,
                     "/nonexistent/caps.json");
  std::string junk = make_temp_dir() + "/junk.json";
  std::ofstream(junk) << "{\"qemu\": 11}";
  expect_cli_failure({"qemu-args", "--plan", plan, "--qemu-caps", junk}, kExitUsage,
                     "not a recorded property list");
  expect_cli_failure({"qemu-args", "--plan", plan, "--qemu-caps", "11.1", "--qemu", fake("good")}, kExitUsage,
                     "excludes");
  expect_cli_failure({"qemu-args", "--plan", plan, "--qemu", fake("garbage")}, kExitUsage,
                     "--qemu " + fake("garbage") + ": ");
}

TEST(QemuTargetCli, TheBinaryIsAskedOnceAndItsAnswerCached) {
  std::string dir = make_temp_dir();
  ScopedEnv cache("XDG_CACHE_HOME", dir.c_str());
  ScopedEnv log("FAKE_QEMU_LOG", (dir + "/log").c_str());
  auto caps = run_cli({"qemu-caps", "--qemu", fake("good")});
  ASSERT_EQ(caps.exit_code, 0) << caps.err;
  EXPECT_EQ(caps.out, file_bytes(source_dir() + "/qemu-caps/qemu-11.1.json"));
  std::string plan = plan_of("grace-gh200");
  auto args = run_cli({"qemu-args", "--plan", plan, "--qemu", fake("good")});
  EXPECT_EQ(args.exit_code, 0) << args.err;
  EXPECT_EQ(args.err, "");
  EXPECT_EQ(args.out, run_cli({"qemu-args", "--plan", plan, "--qemu-caps", "11.1"}).out);
  std::string asked = file_bytes(dir + "/log");
  EXPECT_EQ(asked.find("ARGS "), asked.rfind("ARGS ")) << "asked more than once:\n" << asked;
  EXPECT_FALSE(fs::is_empty(dir + "/smmu-plan/qemu-caps"));
}

TEST(QemuTargetCli, WithoutAQemuNamedThePathsOneOrTheDefaultIsSaid) {
  std::string plan = plan_of("kunpeng920");
  std::string bin = make_temp_dir();
  ScopedEnv cache("XDG_CACHE_HOME", (bin + "/cache").c_str());
  // The arm64 unit run starts the CLI through qemu-user
  // (build/arm64/smmu-plan-emulated): that must stay on the PATH given.
  if (auto emulator = find_on_path("qemu-aarch64")) fs::create_symlink(*emulator, bin + "/qemu-aarch64");
  {
    ScopedEnv path("PATH", bin.c_str());  // no qemu-system-aarch64 there
    auto r = run_cli({"qemu-args", "--plan", plan});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "smmu-plan: note: no qemu-system-aarch64 on PATH: the form is for QEMU 11.1 "
                     "(--qemu or --qemu-caps to choose)\n");
  }
  std::ofstream(bin + "/qemu-system-aarch64") << "#!/bin/sh\nexec " << fake("good") << " \"$@\"\n";
  fs::permissions(bin + "/qemu-system-aarch64", fs::perms::owner_all);
  ScopedEnv path("PATH", (bin + ":/usr/bin:/bin").c_str());
  auto r = run_cli({"qemu-args", "--plan", plan});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "smmu-plan: note: the form is for " + bin +
                       "/qemu-system-aarch64 (--qemu or --qemu-caps to choose)\n");
}

}  // namespace
}  // namespace smmu::test
