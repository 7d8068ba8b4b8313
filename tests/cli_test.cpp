// The CLI's promises to scripts: documented exit codes, one error line on
// stderr, nothing on stdout and no file written when it fails.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cli/exit_codes.h"
#include "common/subprocess.h"
#include "tests/run_cli.h"
#include "tests/test_paths.h"

namespace smmu::test {
namespace {

namespace fs = std::filesystem;
using namespace smmu::cli;


void expect_failure(const std::vector<std::string>& args, int code, const std::string& fragment) {
  expect_cli_failure(args, code, fragment);
}

TEST(Cli, UsageErrors) {
  expect_failure({"plan", "--root", example_host("grace-gh200"), "--device", "9:1:0"}, kExitUsage,
                 "malformed PCI address '9:1:0'");
  expect_failure({"plan", "--bogus"}, kExitUsage, "--bogus");
  expect_failure({}, kExitUsage, "subcommand");
  expect_failure({"prboe", "--json"}, kExitUsage, "smmu-plan: error: no subcommand prboe (see smmu-plan --help)");
  expect_failure({"plan", "--root", example_host("grace-gh200"), "--device", "0009:01:00.0",
                  "--all-assignable"},
                 kExitUsage, "excludes");
  expect_failure({"plan", "--root", example_host("grace-gh200")}, kExitUsage,
                 "name devices with --device BDF or --select, or use --all-assignable");
}

TEST(Cli, HelpAndVersionSucceed) {
  auto help = run_cli({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("qemu-args"), std::string::npos);
  EXPECT_EQ(run_cli({"--version"}).exit_code, 0);
  // Only the invoked subcommand is built with its options; its help has them all.
  auto plan_help = run_cli({"plan", "--help"});
  EXPECT_EQ(plan_help.exit_code, 0);
  EXPECT_NE(plan_help.out.find("--hotplug-pref64-reserve"), std::string::npos) << plan_help.out;
  auto probe_help = run_cli({"probe", "--help"});
  EXPECT_NE(probe_help.out.find("--json"), std::string::npos) << probe_help.out;
  EXPECT_EQ(probe_help.out.find("--hotplug-pref64-reserve"), std::string::npos) << probe_help.out;
}

TEST(Cli, HostErrors) {
  expect_failure({"probe", "--root", "/nonexistent/host"}, kExitHostTree,
                 "host root '/nonexistent/host': No such file or directory");
  std::string empty = make_temp_dir();
  expect_failure({"probe", "--root", empty}, kExitHostTree, "is this a host root holding sys/?");
  // A saved tree with a looping link.
  std::string broken = make_temp_dir();
  fs::copy(example_host("grace-gh200"), broken, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  std::string dev = broken + "/sys/bus/pci/devices/0009:01:00.0/";
  fs::remove(dev + "iommu_group");
  fs::create_symlink("iommu_group", dev + "iommu_group");
  expect_failure({"probe", "--root", broken}, kExitHostTree, "0009:01:00.0/iommu_group: cannot look up: symlink loop");
}

TEST(Cli, RequestAndFitErrorsWriteNothing) {
  std::string out = make_temp_dir() + "/p.json";
  expect_failure({"plan", "--root", example_host("grace-gh200"), "--device", "0006:01:00.0", "-o", out},
                 kExitRequest, "0006:01:00.0 cannot be assigned: bound to nvme");
  expect_failure({"plan", "--root", example_host("grace-gh200"), "--device", "0009:01:00.0",
                  "--device", "0009:01:00.0", "-o", out},
                 kExitRequest, "requested twice");
  expect_failure({"plan", "--root", example_host("sriov-vfs"), "--all-assignable", "--pcie0-buses", "250",
                  "-o", out},
                 kExitNoFit, "buses missing");
  expect_failure({"plan", "--root", example_host("no-smmuv3"), "--all-assignable", "-o", out}, kExitNoFit,
                 "this host has no SMMUv3");
  EXPECT_FALSE(fs::exists(out));
  EXPECT_TRUE(fs::is_empty(fs::path(out).parent_path())) << "no temporary left behind";
}

TEST(Cli, PlanFileErrors) {
  std::string dir = make_temp_dir();
  expect_failure({"qemu-args", "--plan", dir + "/missing.json"}, kExitPlanFile,
                 "cannot read " + dir + "/missing.json: No such file or directory");
  std::ofstream(dir + "/bad.json") << "{\"version\": 3, \"pcie0_buses\": 16, \"vsmmus\": []}";
  expect_failure({"iort", "--plan", dir + "/bad.json"}, kExitPlanFile, "bad.json: plan: $.devices: missing");
  expect_failure({"iort", "--plan", dir}, kExitPlanFile, "Is a directory");
  std::ofstream(dir + "/v1.json") << "{\"version\": 1, \"pcie0_buses\": 16, \"vsmmus\": []}";
  expect_failure({"qemu-args", "--plan", dir + "/v1.json"}, kExitPlanFile,
                 "v1.json: plan: $.version: version 1 plans carry no vSMMU capabilities; plan again");
  std::ofstream(dir + "/v2.json") << "{\"version\": 2, \"pcie0_buses\": 16, \"vsmmus\": []}";
  expect_failure({"libvirt-xml", "--plan", dir + "/v2.json"}, kExitPlanFile,
                 "v2.json: plan: $.version: version 2 plans store a device's place twice (on its root port and on "
                 "the device); plan again (this smmu-plan reads and writes version 3)");
}

TEST(Cli, OutputErrors) {
  std::string dir = make_temp_dir();
  expect_failure({"plan", "--root", example_host("grace-gh200"), "--all-assignable", "-o",
                  dir + "/no/such/dir/p.json"},
                 kExitOutput, "cannot create a file beside " + dir + "/no/such/dir/p.json");
  // A file size limit: without SIGXFSZ blocked the process would be killed
  // with its temporary file left behind.
  std::string err = make_temp_dir() + "/err";
  int rc = run_process({"/bin/sh", "-c", "ulimit -f 1 && exec \"$0\" \"$@\"", binary_path(), "plan", "--root",
                        example_host("grace-gh200"), "--all-assignable", "-o", dir + "/p.json"},
                       Redirects{"/dev/null", "/dev/null", err});
  EXPECT_EQ(rc, kExitOutput);
  std::ifstream in(err);
  std::string line;
  std::getline(in, line);
  EXPECT_NE(line.find("File too large"), std::string::npos) << line;
  EXPECT_TRUE(fs::is_empty(dir)) << "a temporary file was left behind";
}

TEST(Cli, PlanToFileThenEmitters) {
  std::string plan = make_temp_dir() + "/p.json";
  auto made = run_cli({"plan", "--root", example_host("grace-gh200"), "--device", "0009:01:00.0",
                       "--hotplug-ports", "2", "-o", plan});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_EQ(made.out, "");  // -o writes the file and nothing else
  auto args = run_cli({"qemu-args", "--plan", plan});
  ASSERT_EQ(args.exit_code, 0) << args.err;
  EXPECT_NE(args.out.find("vfio-pci,host=0009:01:00.0,id=dev0,bus=pxb0.rp0"), std::string::npos);
  auto json = run_cli({"iort", "--plan", plan, "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_NE(json.out.find("\"rmr\""), std::string::npos);  // real form: accel RMR node
}

// hotplug and unplug keep the failure contract, and write no plan when they fail.
TEST(Cli, HotplugAndUnplugErrorsWriteNothing) {
  const std::string dir = make_temp_dir();
  const std::string plan = dir + "/plan.json", out = dir + "/after.json";
  ASSERT_EQ(run_cli({"plan", "--root", example_host("grace-gh200"), "--device", "0002:01:00.0", "--hotplug-ports", "1",
                     "--hotplug-smmu", "smmu3.0x16000000", "--hotplug-pref64-reserve", "256G", "-o", plan})
                .exit_code,
            0);
  const std::vector<std::string> base = {"hotplug", "--plan", plan, "--root", example_host("grace-gh200"), "-o", out};
  auto with = [&](std::vector<std::string> args, std::vector<std::string> more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
  };
  expect_failure(with(base, {"--device", "9:1:0"}), kExitUsage, "--device: malformed PCI address '9:1:0'");
  expect_failure(with(base, {"--device", "0009:01:00.0", "--format", "xml"}), kExitUsage, "--format");
  expect_failure(with(base, {"--device", "0009:01:00.0", "--format", "libvirt"}), kExitUsage,
                 "--format libvirt needs --domain-xml FILE");
  expect_failure(with(base, {"--device", "0009:01:00.0", "--domain-xml", plan}), kExitUsage,
                 "--domain-xml goes with --format libvirt only");
  expect_failure(with(base, {"--device", "0009:01:00.0", "--format", "libvirt", "--domain-xml", plan}),
                 kExitDomainXml, "domain XML");
  expect_failure(with(base, {"--device", "0008:01:00.0"}), kExitRequest, "cannot be assigned");
  expect_failure({"hotplug", "--plan", dir + "/none.json", "--device", "0009:01:00.0"}, kExitPlanFile, "none.json");
  expect_failure({"unplug", "--plan", plan, "--device", "0009:01:00.0", "-o", out}, kExitRequest,
                 "0009:01:00.0 is not in the plan: nothing to unplug");
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace
}  // namespace smmu::test
