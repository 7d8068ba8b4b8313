// `plan` with selectors, a NUMA map and request files: how flags and files
// combine, and the failure contract (error line, exit code, nothing written).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/exit_codes.h"
#include "tests/run_cli.h"
#include "tests/test_paths.h"

namespace smmu::test {
namespace {

namespace fs = std::filesystem;
using namespace smmu::cli;
using nlohmann::json;


std::string request_file(const std::string& text) {
  std::string path = make_temp_dir() + "/vm.yaml";
  std::ofstream(path) << text;
  return path;
}

json plan_json(std::vector<std::string> args) {
  args.insert(args.begin(), {"plan", "--json"});
  auto r = run_cli(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.exit_code == 0 ? json::parse(r.out) : json();
}

std::vector<std::string> host_bdfs(const json& plan) {
  std::vector<std::string> out;
  for (const auto& d : plan["devices"]) out.push_back(d["host_bdf"]);
  return out;
}

// Fails as promised, and -o leaves nothing behind.
void expect_failure_writes_nothing(std::vector<std::string> args, int code, const std::string& fragment) {
  std::string out = make_temp_dir() + "/p.json";
  args.insert(args.end(), {"-o", out});
  expect_cli_failure(args, code, fragment);
  EXPECT_TRUE(fs::is_empty(fs::path(out).parent_path())) << "a failed plan must write nothing";
}

TEST(RequestCli, SelectorsAndNumaMapFromFlags) {
  json plan = plan_json({"--root", example_host("grace-2socket"), "--select", "class=0x0302,numa_node=1",
                         "--select", "vendor_device=15b3:*,smmu=0x12000000", "--numa-map", "0:1",
                         "--numa-map", "1:0"});
  EXPECT_EQ(host_bdfs(plan),
            (std::vector<std::string>{"0002:01:00.0", "0018:01:00.0", "0019:01:00.0"}));
  ASSERT_EQ(plan["vsmmus"].size(), 3u);
  EXPECT_EQ(plan["vsmmus"][0]["pxb"]["numa_node"], 1);  // host node 0
  EXPECT_EQ(plan["vsmmus"][1]["pxb"]["numa_node"], 0);
  auto args = run_cli({"plan", "--root", example_host("grace-2socket"), "--select", "class=0x0302",
                       "--numa-map", "0:0,1:1", "-o", make_temp_dir() + "/p.json"});
  EXPECT_EQ(args.exit_code, 0) << args.err;
}

TEST(RequestCli, FlagsExtendTheFileAndOverrideItsNumbers) {
  std::string file = request_file(
      "devices: [0009:01:00.0]\nhotplug_ports: 2\npcie0_buses: 32\nnuma_map: {0: 5}\n");
  json from_file = plan_json({"--root", example_host("grace-2socket"), "--request", file});
  EXPECT_EQ(host_bdfs(from_file), std::vector<std::string>{"0009:01:00.0"});
  EXPECT_EQ(from_file["pcie0_buses"], 32);
  EXPECT_EQ(from_file["vsmmus"][0]["root_ports"].size(), 3u);
  EXPECT_EQ(from_file["vsmmus"][0]["pxb"]["numa_node"], 5);

  json both = plan_json({"--root", example_host("grace-2socket"), "--request", file, "--device",
                         "0008:01:00.0", "--hotplug-ports", "0", "--numa-map", "0:1"});
  EXPECT_EQ(host_bdfs(both), (std::vector<std::string>{"0008:01:00.0", "0009:01:00.0"}));
  EXPECT_EQ(both["pcie0_buses"], 32);  // not given: the file's
  EXPECT_EQ(both["vsmmus"][0]["root_ports"].size(), 1u);
  EXPECT_EQ(both["vsmmus"][0]["pxb"]["numa_node"], 1);
}

TEST(RequestCli, RequestFileErrorsNameFileAndLine) {
  std::string file = request_file("devices:\n  - 0009:01:00.0\nhotplug_ports: 300\n");
  expect_failure_writes_nothing({"plan", "--root", example_host("grace-gh200"), "--request", file},
                                kExitRequest, file + ":3: hotplug_ports: 300 is out of range 0..255");
  file = request_file("devices:\n  - 0006:01:00.0\n");
  expect_failure_writes_nothing({"plan", "--root", example_host("grace-gh200"), "--request", file},
                                kExitRequest, file + ":2: 0006:01:00.0 cannot be assigned: bound to nvme");
  file = request_file("select:\n  - vendor_device: \"10de:9999\"\n");
  expect_failure_writes_nothing({"plan", "--root", example_host("grace-gh200"), "--request", file},
                                kExitRequest,
                                file + ":2: select vendor_device=10de:9999 matches no assignable device");
  expect_failure_writes_nothing({"plan", "--root", example_host("grace-gh200"), "--request", "/nonexistent.yaml"},
                                kExitRequest, "cannot read /nonexistent.yaml: No such file or directory");
  expect_failure_writes_nothing({"plan", "--root", example_host("grace-gh200"), "--request", "/dev/zero"},
                                kExitRequest, "/dev/zero: larger than 1048576 bytes");
  file = request_file("a: &x [1]\nb: *x\n");
  expect_failure_writes_nothing({"plan", "--root", example_host("grace-gh200"), "--request", file},
                                kExitRequest, file + ":1: anchors (&name) are not allowed");
}

TEST(RequestCli, FlagErrorsAreUsageErrorsAndRequestErrorsAreNot) {
  std::string root = example_host("grace-2socket");
  expect_failure_writes_nothing({"plan", "--root", root, "--select", "class=0x3"}, kExitUsage,
                                "--select 'class=0x3': class '0x3': expected 2, 4 or 6 hex digits");
  expect_failure_writes_nothing({"plan", "--root", root, "--all-assignable", "--numa-map", "0-0"},
                                kExitUsage, "--numa-map '0-0': expected HOST:GUEST");
  expect_failure_writes_nothing({"plan", "--root", root, "--select", "class=0x03", "--all-assignable"},
                                kExitUsage, "excludes");
  std::string all = request_file("all_assignable: true\n");
  expect_failure_writes_nothing({"plan", "--root", root, "--request", all, "--device", "0008:01:00.0"},
                                kExitUsage, "all_assignable excludes devices and selectors");
  expect_failure_writes_nothing({"plan", "--root", root, "--select", "vendor_device=10de:2342"},
                                kExitRequest, "select vendor_device=10de:2342 matches no assignable device");
  expect_failure_writes_nothing({"plan", "--root", root, "--all-assignable", "--numa-map", "0:0"},
                                kExitRequest,
                                "host NUMA node 1 (of smmu3.0x0000100005000000) has no guest node in "
                                "the NUMA map: add 1:GUEST");
}

// The GPU flags: numbers replace the file's; each failure its own exit code.
TEST(RequestCli, GpuNodesFromFlagsAndFileAndTheirLimits) {
  std::string root = example_host("grace-2socket");
  std::string file = request_file("select: [{class: \"0x0302\"}]\ngpu: {numa_nodes_per_gpu: 2}\n");
  json plan = plan_json({"--root", root, "--request", file, "--gpu-first-numa-node", "5"});
  EXPECT_EQ(plan["devices"][0]["gpu_numa_nodes"], json({5, 6}));
  EXPECT_EQ(plan["devices"][3]["gpu_numa_nodes"], json({11, 12}));
  json none = plan_json({"--root", root, "--request", file, "--gpu-numa-nodes", "0"});
  EXPECT_FALSE(none["devices"][0].contains("gpu_numa_nodes"));
  EXPECT_EQ(none["vsmmus"][0]["root_ports"][0]["pref64_reserve"], 512ull << 30);
  EXPECT_EQ(none["highmem_mmio_size"], 4ull << 40);
  expect_failure_writes_nothing({"plan", "--root", root, "--all-assignable", "--gpu-numa-nodes", "128"},
                                kExitUsage, "--gpu-numa-nodes");
  expect_failure_writes_nothing({"plan", "--root", root, "--all-assignable", "--gpu-first-numa-node", "0"},
                                kExitUsage, "--gpu-first-numa-node");
  expect_failure_writes_nothing({"plan", "--root", root, "--all-assignable", "--numa-map", "0:0,1:1",
                                 "--gpu-first-numa-node", "1"},
                                kExitRequest, "the first GPU NUMA node, 1, is not above the guest's own nodes 0..1");
  expect_failure_writes_nothing({"plan", "--root", root, "--all-assignable", "--gpu-numa-nodes", "32"},
                                kExitNoFit, "4 GPUs x 32 guest NUMA nodes from node 1 end at node 128");
}

TEST(RequestCli, ExplainTakesPlansRequestAndExitsAsPlanDoes) {
  std::string root = example_host("grace-2socket");
  auto text = run_cli({"explain", "--root", root, "--select", "class=0x0302", "--numa-map", "0:0,1:1"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("chosen: 4 devices behind 4 host SMMUs"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("0002:01:00.0  15b3:1021 class 020000  not selected: matches no select entry"),
            std::string::npos)
      << text.out;
  auto j = run_cli({"explain", "--root", root, "--request",
                    source_dir() + "/examples/requests/grace-2socket.yaml", "--json"});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  json parsed = json::parse(j.out);
  EXPECT_EQ(parsed["chosen"].size(), 5u);
  EXPECT_EQ(parsed["chosen"][4]["guest_numa_node"], 1);

  expect_cli_failure({"explain", "--root", example_host("sriov-vfs"), "--all-assignable", "--pcie0-buses",
                      "250"},
                     kExitNoFit, "the pxbs need 12 buses but only 5 are free");
  expect_cli_failure({"explain", "--root", root, "--select", "numa_node=7"}, kExitRequest,
                     "select numa_node=7 matches no assignable device");
  expect_cli_failure({"explain", "--root", root}, kExitUsage, "name devices with --device BDF");
  expect_cli_failure({"explain", "--root", example_host("no-smmuv3"), "--all-assignable"}, kExitNoFit,
                     "this host has no SMMUv3");
}

TEST(RequestCli, HotplugSmmusFromFlagsAndFile) {
  // 0x05000000 has no assignable device, but one bound to vfio to read its caps through.
  json flags = plan_json({"--root", example_host("grace-gh200"), "--all-assignable", "--hotplug-ports", "1",
                          "--hotplug-smmu", "smmu3.0x0000000005000000"});
  ASSERT_EQ(flags["vsmmus"].size(), 3u);
  EXPECT_EQ(flags["vsmmus"][0]["host_smmu"], "smmu3.0x0000000005000000");
  EXPECT_EQ(flags["vsmmus"][0]["root_ports"].size(), 1u);
  EXPECT_FALSE(flags["vsmmus"][0]["caps"].is_null());
  std::string file = request_file("all_assignable: true\nhotplug_ports: 1\nhotplug_smmus: [0x5000000]\n");
  EXPECT_EQ(plan_json({"--root", example_host("grace-gh200"), "--request", file}), flags);

  // No device behind 0x15000000 is bound to vfio: its caps cannot be read.
  std::string out = make_temp_dir() + "/plan.json";
  expect_cli_failure({"plan", "--root", example_host("grace-gh200"), "--all-assignable", "--hotplug-ports",
                      "1", "--hotplug-smmu", "0x15000000", "-o", out},
                     kExitHostTree, "smmu3.0x0000000015000000 is reserved for hotplug only");
  EXPECT_FALSE(fs::exists(out));
  expect_cli_failure({"plan", "--root", example_host("grace-gh200"), "--all-assignable", "--hotplug-smmu",
                      "smmu2.0x5000000"},
                     kExitUsage, "smmu 'smmu2.0x5000000'");
}

// --hotplug-pref64-reserve: the file's key, replaced by the flag; each
// refusal with its exit code; explain lists the spare ports with it.
TEST(RequestCli, HotplugReserveFromFileAndFlag) {
  std::string root = example_host("grace-gh200");
  std::string file = request_file("select: [{vendor_device: \"10de:2342\"}]\nhotplug_ports: 1\n"
                                  "hotplug_pref64_reserve: 200G\n");
  json from_file = plan_json({"--root", root, "--request", file});
  ASSERT_EQ(from_file["vsmmus"].size(), 1u);
  EXPECT_EQ(from_file["vsmmus"][0]["root_ports"][0]["pref64_reserve"], 256ull << 30);  // the GPU's own
  EXPECT_EQ(from_file["vsmmus"][0]["root_ports"][1]["pref64_reserve"], 256ull << 30);  // 200G rounded up
  EXPECT_EQ(from_file["highmem_mmio_size"], 1ull << 40);  // 2 x 256 GiB, doubled

  json flag = plan_json({"--root", root, "--request", file, "--hotplug-pref64-reserve", "1T"});
  EXPECT_EQ(flag["vsmmus"][0]["root_ports"][0]["pref64_reserve"], 256ull << 30);
  EXPECT_EQ(flag["vsmmus"][0]["root_ports"][1]["pref64_reserve"], 1ull << 40);
  EXPECT_EQ(flag["highmem_mmio_size"], 4ull << 40);  // 1 TiB + 256 GiB, doubled: 2.5 TiB, so 4

  auto explained = run_cli({"explain", "--root", root, "--request", file, "--json"});
  ASSERT_EQ(explained.exit_code, 0) << explained.err;
  json spare = json::parse(explained.out)["spare_root_ports"];
  ASSERT_EQ(spare.size(), 1u);
  EXPECT_EQ(spare[0]["root_port"], "pxb0.rp1");
  EXPECT_EQ(spare[0]["guest_bdf"], "0000:ff:00.0");
  EXPECT_EQ(spare[0]["pref64_reserve"], 256ull << 30);

  std::vector<std::string> gpu = {"plan", "--root", root, "--select", "vendor_device=10de:2342"};
  auto with = [&](std::vector<std::string> more) {
    std::vector<std::string> args = gpu;
    args.insert(args.end(), more.begin(), more.end());
    return args;
  };
  expect_failure_writes_nothing(with({"--hotplug-ports", "1", "--hotplug-pref64-reserve", "512GiB"}), kExitUsage,
                                "--hotplug-pref64-reserve: size '512GiB': expected a number of bytes");
  expect_failure_writes_nothing(with({"--hotplug-pref64-reserve", "512G"}), kExitRequest,
                                "there are none: give --hotplug-ports N");
  expect_failure_writes_nothing(with({"--hotplug-ports", "1", "--hotplug-pref64-reserve", "0"}), kExitRequest,
                                "a hotplug pref64 reserve of 0 bytes keeps nothing");
  expect_failure_writes_nothing(with({"--hotplug-ports", "1", "--hotplug-pref64-reserve", "65T"}), kExitRequest,
                                "larger than the largest high MMIO window, 64 TiB");
  expect_failure_writes_nothing(with({"--hotplug-ports", "2", "--hotplug-pref64-reserve", "16T"}), kExitNoFit,
                                "(32 TiB of it hotplug reserves on 2 spare root ports)");
}

}  // namespace
}  // namespace smmu::test
