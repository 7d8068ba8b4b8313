// Golden files: for every bundled example host, what each command prints.
// Reviewed by eye; regenerate with SMMU_UPDATE_GOLDEN=1 after a deliberate
// change, then read the diff before committing it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "libvirt/domain_xml.h"
#include "planner/plan_json.h"
#include "tests/run_cli.h"
#include "tests/test_paths.h"

namespace smmu::test {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> example_hosts() {
  std::vector<std::string> hosts;
  for (const auto& e : fs::directory_iterator(source_dir() + "/examples/hosts")) {
    if (e.is_directory()) hosts.push_back(e.path().filename().string());
  }
  std::sort(hosts.begin(), hosts.end());
  return hosts;
}

void check_golden(const std::string& host, const std::string& name, const std::string& actual) {
  fs::path golden = fs::path(source_dir()) / "tests/golden" / host / name;
  if (std::getenv("SMMU_UPDATE_GOLDEN")) {
    fs::create_directories(golden.parent_path());
    std::ofstream(golden, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(fs::exists(golden)) << golden << " missing; run with SMMU_UPDATE_GOLDEN=1";
  EXPECT_EQ(file_bytes(golden), actual) << "golden " << golden
                                        << " differs; if intended, regenerate with SMMU_UPDATE_GOLDEN=1";
}

// Stdout, or for a failing command its exit code and error line.
std::string outcome(const CliResult& r) {
  if (r.exit_code == 0) return r.out;
  return "exit " + std::to_string(r.exit_code) + "\n" + r.err;
}

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, EveryCommandOnTheExampleHost) {
  const std::string host = GetParam();
  const std::string root = example_host(host);
  const std::string plan = make_temp_dir() + "/plan.json";

  check_golden(host, "probe.txt", outcome(run_cli({"probe", "--root", root})));
  check_golden(host, "probe.json", outcome(run_cli({"probe", "--root", root, "--json"})));
  auto explained = run_cli({"explain", "--root", root, "--all-assignable"});
  check_golden(host, "explain.txt", outcome(explained));
  if (explained.exit_code == 0) {
    check_golden(host, "explain.json",
                 outcome(run_cli({"explain", "--root", root, "--all-assignable", "--json"})));
  }
  auto planned = run_cli({"plan", "--root", root, "--all-assignable", "-o", plan});
  if (planned.exit_code != 0) {
    EXPECT_FALSE(fs::exists(plan)) << "a failed plan must write nothing";
    check_golden(host, "plan.error", outcome(planned));
    return;
  }
  check_golden(host, "plan.json", file_bytes(plan));
  check_golden(host, "plan.txt", outcome(run_cli({"plan", "--root", root, "--all-assignable"})));
  check_golden(host, "qemu-args.txt", outcome(run_cli({"qemu-args", "--plan", plan})));
  check_golden(host, "qemu-args.stand-ins.txt",
               outcome(run_cli({"qemu-args", "--plan", plan, "--stand-ins"})));
  // Both forms for the older releases smmu-plan ships lists of: reduced or
  // refused (emit/qemu_fit.h).
  for (std::string release : {"10.2", "11.0"}) {
    check_golden(host, "qemu-args.qemu-" + release + ".txt",
                 outcome(run_cli({"qemu-args", "--plan", plan, "--qemu-caps", release})));
    check_golden(host, "qemu-args.stand-ins.qemu-" + release + ".txt",
                 outcome(run_cli({"qemu-args", "--plan", plan, "--stand-ins", "--qemu-caps", release})));
  }
  check_golden(host, "iort.txt", outcome(run_cli({"iort", "--plan", plan})));
  check_golden(host, "iort.stand-ins.txt",
               outcome(run_cli({"iort", "--plan", plan, "--stand-ins"})));
  const std::string bin = plan + ".iort.bin";
  ASSERT_EQ(run_cli({"iort", "--plan", plan, "--stand-ins", "-o", bin}).exit_code, 0);
  check_golden(host, "iort.stand-ins.bin", file_bytes(bin));

  // The libvirt XML, from the library: `libvirt-xml` would first validate it
  // against this machine's libvirt, which may be too old (e2e.libvirt.* run
  // the command against libvirt 12.8).
  auto loaded = plan_from_json_text(file_bytes(plan));
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  for (auto [form, name] : {std::pair{EmitForm::Real, "libvirt.xml"},
                            std::pair{EmitForm::StandIns, "libvirt.stand-ins.xml"}}) {
    auto xml = merge_topology(*loaded, form, default_domain_xml(form));
    ASSERT_TRUE(xml.ok()) << xml.error().message;
    check_golden(host, name, *xml);
  }
}

// examples/requests/<host>.yaml, planned on its host: selectors, NUMA map and
// all, through to the QEMU options (numa_node= on the pxbs).
TEST_P(Golden, TheExampleRequestOnItsHost) {
  const std::string host = GetParam();
  const std::string root = example_host(host);
  const std::string request = source_dir() + "/examples/requests/" + host + ".yaml";
  ASSERT_TRUE(fs::exists(request)) << "every example host has an example request: " << request;
  const std::string plan = make_temp_dir() + "/plan.json";

  auto planned = run_cli({"plan", "--root", root, "--request", request, "-o", plan});
  if (planned.exit_code != 0) {
    EXPECT_FALSE(fs::exists(plan)) << "a failed plan must write nothing";
    check_golden(host, "request.plan.error", outcome(planned));
    return;
  }
  check_golden(host, "request.plan.json", file_bytes(plan));
  check_golden(host, "request.explain.txt",
               outcome(run_cli({"explain", "--root", root, "--request", request})));
  check_golden(host, "request.qemu-args.txt", outcome(run_cli({"qemu-args", "--plan", plan})));
}

// Hotplug on grace-gh200: the NIC cold-plugged, the GPU's SMMU reserved for
// hotplug with one spare port and a reserve that holds the GPU's BARs; the
// GPU hotplugged in every format, then unplugged. The refusals a user meets
// first: no reserve, a device already in the plan.
TEST(GoldenHotplug, TheGpuOntoItsReservedVsmmuAndOffAgain) {
  const std::string host = "grace-gh200";
  const std::string root = example_host(host);
  const std::string dir = make_temp_dir();
  const std::string before = dir + "/before.json", after = dir + "/after.json", domain = dir + "/domain.xml";
  const std::vector<std::string> cold = {"plan", "--root", root, "--device", "0002:01:00.0", "--hotplug-ports", "1",
                                         "--hotplug-smmu", "smmu3.0x16000000", "--qemu-caps", "11.1"};
  auto with_reserve = cold;
  with_reserve.insert(with_reserve.end(), {"--hotplug-pref64-reserve", "256G", "-o", before});
  ASSERT_EQ(run_cli(with_reserve).exit_code, 0);
  check_golden(host, "hotplug.before.json", file_bytes(before));
  auto loaded = plan_from_json_text(file_bytes(before));
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  auto xml = merge_topology(*loaded, EmitForm::Real, default_domain_xml(EmitForm::Real));
  ASSERT_TRUE(xml.ok()) << xml.error().message;
  std::ofstream(domain) << *xml;

  const std::vector<std::string> hotplug = {"hotplug", "--plan", before, "--root", root, "--device", "0009:01:00.0",
                                            "--qemu-caps", "11.1"};
  auto run = [&](std::vector<std::string> args, std::vector<std::string> more) {
    args.insert(args.end(), more.begin(), more.end());
    return outcome(run_cli(args));
  };
  check_golden(host, "hotplug.qmp.txt", run(hotplug, {"-o", after}));
  check_golden(host, "hotplug.after.json", file_bytes(after));
  check_golden(host, "hotplug.hmp.txt", run(hotplug, {"--format", "hmp"}));
  check_golden(host, "hotplug.stand-ins.qmp.txt", run(hotplug, {"--stand-ins"}));
  check_golden(host, "hotplug.libvirt.xml", run(hotplug, {"--format", "libvirt", "--domain-xml", domain}));
  check_golden(host, "hotplug.json", run(hotplug, {"--json"}));

  const std::vector<std::string> unplug = {"unplug", "--plan", after, "--device", "0009:01:00.0", "--qemu-caps", "11.1"};
  const std::string back = dir + "/back.json";
  check_golden(host, "unplug.qmp.txt", run(unplug, {"-o", back}));
  EXPECT_EQ(file_bytes(back), file_bytes(before)) << "unplug gives back the plan before the hotplug";
  check_golden(host, "unplug.hmp.txt", run(unplug, {"--format", "hmp"}));
  auto hot = plan_from_json_text(file_bytes(after));
  ASSERT_TRUE(hot.ok()) << hot.error().message;
  auto hot_xml = merge_topology(*hot, EmitForm::Real, default_domain_xml(EmitForm::Real));
  ASSERT_TRUE(hot_xml.ok()) << hot_xml.error().message;
  const std::string hot_domain = dir + "/hot-domain.xml";
  std::ofstream(hot_domain) << *hot_xml;
  check_golden(host, "unplug.libvirt.xml", run(unplug, {"--format", "libvirt", "--domain-xml", hot_domain}));

  auto no_reserve = cold;
  no_reserve.insert(no_reserve.end(), {"-o", dir + "/bare.json"});
  ASSERT_EQ(run_cli(no_reserve).exit_code, 0);
  check_golden(host, "hotplug.no-reserve.error",
               run({"hotplug", "--plan", dir + "/bare.json", "--root", root, "--device", "0009:01:00.0"}, {}));
  check_golden(host, "hotplug.planned.error",
               run({"hotplug", "--plan", before, "--root", root, "--device", "0002:01:00.0"}, {}));
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string n = info.param;
  for (auto& c : n) if (!isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(ExampleHosts, Golden, ::testing::ValuesIn(example_hosts()), test_name);

TEST(Golden, EveryExampleHostHasGoldenFiles) {
  // Guards against a host added without goldens or goldens of a removed host.
  std::vector<std::string> golden;
  for (const auto& e : fs::directory_iterator(source_dir() + "/tests/golden")) {
    golden.push_back(e.path().filename().string());
  }
  std::sort(golden.begin(), golden.end());
  EXPECT_EQ(golden, example_hosts());
}

}  // namespace
}  // namespace smmu::test
