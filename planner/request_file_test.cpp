#include "planner/request_file.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "tests/test_paths.h"

namespace smmu {
namespace {

PlanRequest parse(const std::string& text) {
  auto r = parse_request_file(text, "vm.yaml");
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? *r : PlanRequest{};
}

std::string error(const std::string& text) {
  auto r = parse_request_file(text, "vm.yaml");
  EXPECT_FALSE(r.ok()) << text;
  if (r.ok()) return "";
  EXPECT_EQ(r.error().kind, ErrorKind::Request);
  return r.error().message;
}

TEST(RequestFile, EveryKeyIntoTheRequest) {
  PlanRequest r = parse(R"(# a GPU VM
devices:
  - 0009:01:00.0
  - "02:00.1"
select:
  - vendor_device: "*:2342"
    numa_node: 1
  - class: "0x0200"
    smmu: smmu3.0x0000000012000000
  - smmu: 0x100016000000
hotplug_ports: 2
pcie0_buses: 0x20
numa_map:
  0: 0
  "1": 3
hotplug_smmus:
  - smmu3.0x0000000005000000
  - 0x100005000000
hotplug_pref64_reserve: 512G
)");
  ASSERT_EQ(r.devices.size(), 2u);
  EXPECT_EQ(r.devices[0].bdf.str(), "0009:01:00.0");
  EXPECT_EQ(r.devices[0].origin, "vm.yaml:3");
  EXPECT_EQ(r.devices[1].bdf.str(), "0000:02:00.1");
  ASSERT_EQ(r.selectors.size(), 3u);
  EXPECT_EQ(selector_text(r.selectors[0]), "vendor_device=*:2342,numa_node=1");
  EXPECT_EQ(r.selectors[0].origin, "vm.yaml:6");
  EXPECT_EQ(selector_text(r.selectors[1]), "class=0x0200,smmu=smmu3.0x0000000012000000");
  EXPECT_EQ(selector_text(r.selectors[2]), "smmu=smmu3.0x0000100016000000");
  EXPECT_FALSE(r.all_assignable);
  EXPECT_EQ(r.hotplug_ports, 2u);
  EXPECT_EQ(r.pcie0_buses, 32u);
  EXPECT_EQ(r.numa_map, (NumaMap{{0, 0}, {1, 3}}));
  ASSERT_EQ(r.hotplug_smmus.size(), 2u);
  EXPECT_EQ(r.hotplug_smmus[0].base, 0x5000000u);
  EXPECT_EQ(r.hotplug_smmus[0].origin, "vm.yaml:17");
  EXPECT_EQ(r.hotplug_smmus[1].base, 0x100005000000u);
  EXPECT_EQ(r.hotplug_pref64_reserve, 512ull << 30);
}

TEST(RequestFile, DefaultsWhereTheFileIsSilent) {
  PlanRequest r = parse("all_assignable: true\n");
  EXPECT_TRUE(r.all_assignable);
  EXPECT_EQ(r.hotplug_ports, 0u);
  EXPECT_EQ(r.pcie0_buses, PlanRequest::kDefaultPcie0Buses);
  EXPECT_TRUE(r.numa_map.empty());
  EXPECT_TRUE(parse("hotplug_ports: 1\n").devices.empty());  // a profile the command line completes
}

TEST(RequestFile, UnknownKeysAreErrorsWithTheirLine) {
  EXPECT_EQ(error("hotplug_ports: 1\nmachine: virt\n"),
            "vm.yaml:2: unknown key 'machine' (known: devices, select, all_assignable, hotplug_ports, "
            "hotplug_pref64_reserve, pcie0_buses, numa_map, hotplug_smmus, gpu)");
  EXPECT_EQ(error("gpu:\n  numa_nodes: 4\n"),
            "vm.yaml:2: gpu: unknown key 'numa_nodes' (known: numa_nodes_per_gpu, first_numa_node)");
  EXPECT_EQ(error("select:\n  - class: \"0x03\"\n    vendor: 10de\n"),
            "vm.yaml:3: select[0]: unknown key 'vendor' (known: vendor_device, class, smmu, numa_node)");
}

TEST(RequestFile, WrongTypesSayWhatWasExpected) {
  EXPECT_EQ(error("- 0009:01:00.0\n"),
            "vm.yaml:1: expected a mapping with some of devices, select, all_assignable, "
            "hotplug_ports, hotplug_pref64_reserve, pcie0_buses, numa_map, hotplug_smmus, gpu, got a "
            "sequence");
  EXPECT_EQ(error("devices: 0009:01:00.0\n"), "vm.yaml:1: devices: expected a sequence, got a string");
  EXPECT_EQ(error("devices:\n  - 12\n"), "vm.yaml:2: devices[0]: expected a string, got an integer");
  EXPECT_EQ(error("all_assignable: yes\n"),
            "vm.yaml:1: all_assignable: expected true or false, got a string");
  EXPECT_EQ(error("hotplug_ports: two\n"),
            "vm.yaml:1: hotplug_ports: expected an integer 0..255, got a string");
  EXPECT_EQ(error("hotplug_ports: \"2\"\n"),
            "vm.yaml:1: hotplug_ports: expected an integer 0..255, got a string");
  EXPECT_EQ(error("hotplug_ports:\n"), "vm.yaml:1: hotplug_ports: expected an integer 0..255, got a null");
  EXPECT_EQ(error("select:\n  - class: 0x0302\n"),
            "vm.yaml:2: select[0].class: expected a string, got an integer");
  EXPECT_EQ(error("select:\n  - numa_node\n"),
            "vm.yaml:2: select[0]: expected a mapping, got a string");
  EXPECT_EQ(error("numa_map: [0, 1]\n"), "vm.yaml:1: numa_map: expected a mapping, got a sequence");
  EXPECT_EQ(error("gpu: 8\n"), "vm.yaml:1: gpu: expected a mapping, got an integer");
}

TEST(RequestFile, GpuNodesPerGpuAndTheFirstNode) {
  PlanRequest r = parse("gpu:\n  numa_nodes_per_gpu: 4\n  first_numa_node: 2\n");
  EXPECT_EQ(r.gpu.numa_nodes_per_gpu, 4u);
  EXPECT_EQ(r.gpu.first_numa_node, 2u);
  PlanRequest none = parse("gpu: {numa_nodes_per_gpu: 0}\n");
  EXPECT_EQ(none.gpu.numa_nodes_per_gpu, 0u);
  EXPECT_FALSE(none.gpu.first_numa_node);  // the planner picks it
  EXPECT_EQ(parse("hotplug_ports: 1\n").gpu.numa_nodes_per_gpu, GpuRequest::kDefaultNumaNodes);
  EXPECT_EQ(error("gpu:\n  first_numa_node: 0\n"),
            "vm.yaml:2: gpu.first_numa_node: 0 is the guest's own first node; GPU nodes start at 1 "
            "or above");
  EXPECT_EQ(error("gpu:\n  numa_nodes_per_gpu: 128\n"),
            "vm.yaml:2: gpu.numa_nodes_per_gpu: 128 is out of range 0..127");
}

TEST(RequestFile, BadValuesAreErrorsAtTheirLine) {
  EXPECT_EQ(error("devices:\n  - 0009:01:00.0\n  - 9:1:0\n"),
            "vm.yaml:3: malformed PCI address '9:1:0': expected DDDD:BB:DD.F (e.g. 0009:01:00.0)");
  EXPECT_EQ(error("hotplug_ports: 256\n"), "vm.yaml:1: hotplug_ports: 256 is out of range 0..255");
  EXPECT_EQ(error("pcie0_buses: -1\n"), "vm.yaml:1: pcie0_buses: -1 is out of range 0..254");
  EXPECT_EQ(error("pcie0_buses: 99999999999999999999999\n"),
            "vm.yaml:1: pcie0_buses: 99999999999999999999999 is out of range 0..254");
  EXPECT_EQ(error("select:\n- class: \"0x030\"\n"),
            "vm.yaml:2: class '0x030': expected 2, 4 or 6 hex digits: base class, with subclass, "
            "or all 24 bits (e.g. 0x0302)");
  EXPECT_NE(error("select:\n- vendor_device: \"*:*\"\n").find("vm.yaml:2: vendor_device '*:*'"),
            std::string::npos);
  EXPECT_NE(error("select:\n- vendor_device: 10de:23g2\n").find("vm.yaml:2: vendor_device '10de:23g2'"),
            std::string::npos);
  EXPECT_NE(error("select:\n- smmu: smmu3.0xzz\n").find("vm.yaml:2: smmu 'smmu3.0xzz': expected"),
            std::string::npos);
  EXPECT_EQ(error("select:\n- smmu: 0x10000000000000000\n"),
            "vm.yaml:2: select[0].smmu: 0x10000000000000000 is not an SMMU base address");
  EXPECT_EQ(error("select:\n- numa_node: 1024\n"),
            "vm.yaml:2: select[0].numa_node: 1024 is out of range 0..1023");
  EXPECT_EQ(error("select:\n- {}\n"),
            "vm.yaml:2: select[0]: give at least one of vendor_device, class, smmu, numa_node");
  EXPECT_EQ(error("numa_map:\n  0: 128\n"), "vm.yaml:2: numa_map.0: 128 is out of range 0..127");
  EXPECT_EQ(error("numa_map:\n  \"01\": 1\n"),
            "vm.yaml:2: numa_map: expected an integer 0..1023, got a string");
  EXPECT_EQ(error("numa_map:\n  0: 1\n  0x0: 2\n"), "vm.yaml:3: numa_map: host node 0 is mapped twice");
  EXPECT_NE(error("hotplug_smmus:\n  - smmu2.0x5000000\n").find("vm.yaml:2: smmu 'smmu2.0x5000000'"),
            std::string::npos);
  EXPECT_EQ(error("hotplug_smmus: smmu3.0x5000000\n"),
            "vm.yaml:1: hotplug_smmus: expected a sequence, got a string");
}

TEST(RequestFile, AHotplugReserveIsASize) {
  EXPECT_EQ(parse("hotplug_ports: 1\nhotplug_pref64_reserve: 512G\n").hotplug_pref64_reserve, 512ull << 30);
  EXPECT_EQ(parse("hotplug_pref64_reserve: 1t\n").hotplug_pref64_reserve, 1ull << 40);
  EXPECT_EQ(parse("hotplug_pref64_reserve: \"384G\"\n").hotplug_pref64_reserve, 384ull << 30);
  EXPECT_EQ(parse("hotplug_pref64_reserve: 0x8000000000\n").hotplug_pref64_reserve, 512ull << 30);  // bytes
  EXPECT_EQ(parse("hotplug_pref64_reserve: 0\n").hotplug_pref64_reserve, 0u);  // the planner refuses it
  EXPECT_FALSE(parse("hotplug_ports: 1\n").hotplug_pref64_reserve);
  EXPECT_EQ(error("hotplug_pref64_reserve: 512GiB\n"),
            "vm.yaml:1: hotplug_pref64_reserve: size '512GiB': expected a number of bytes with an optional "
            "K, M, G, T, P or E suffix (binary: 512G is 512 GiB)");
  EXPECT_EQ(error("hotplug_pref64_reserve: 16E\n"), "vm.yaml:1: hotplug_pref64_reserve: size '16E': 16 EiB or more");
  EXPECT_EQ(error("hotplug_pref64_reserve: -1\n"), "vm.yaml:1: hotplug_pref64_reserve: -1 is not a number of bytes");
  EXPECT_EQ(error("hotplug_pref64_reserve: [512G]\n"),
            "vm.yaml:1: hotplug_pref64_reserve: expected a size (512G) or a number of bytes, got a sequence");
  EXPECT_EQ(error("hotplug_pref64_reserve: 1.5\n"),
            "vm.yaml:1: hotplug_pref64_reserve: expected a size (512G) or a number of bytes, got a float");
}

TEST(RequestFile, AllAssignableExcludesDevicesAndSelect) {
  EXPECT_EQ(error("devices: [0009:01:00.0]\nall_assignable: true\n"),
            "vm.yaml:2: all_assignable: true excludes devices and select");
  EXPECT_TRUE(parse("devices: []\nall_assignable: true\n").all_assignable);
}

TEST(RequestFile, HostileYamlIsRefusedNotExpanded) {
  EXPECT_EQ(error("devices: &d [0009:01:00.0]\nselect: *d\n"),
            "vm.yaml:1: anchors (&name) are not allowed");
  EXPECT_EQ(error("select:\n- vendor_device: *:2342\n"),
            "vm.yaml:2: aliases (*name) are not allowed; quote a value that starts with '*'");
  EXPECT_EQ(error("hotplug_ports: 1\nhotplug_ports: 2\n"),
            "vm.yaml:2: duplicate key 'hotplug_ports' (first on line 1)");
  EXPECT_EQ(error(std::string(100000, '[')), "vm.yaml:1: nested deeper than 16 levels");
}

// The schema check (tests/validate_schemas.py) accepts every example and
// refuses every invalid file; the C++ parser must agree on both sets.
std::vector<std::filesystem::path> yaml_files(const std::string& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(test::source_dir() + "/" + dir)) {
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  EXPECT_FALSE(files.empty()) << dir;
  return files;
}

TEST(RequestFile, AgreesWithTheSchemaOnEveryExample) {
  for (const auto& path : yaml_files("examples/requests")) {
    auto r = parse_request_file(test::file_bytes(path), path.filename());
    EXPECT_TRUE(r.ok()) << path << ": " << r.error().message;
  }
}

TEST(RequestFile, AgreesWithTheSchemaOnEveryInvalidFile) {
  for (const auto& path : yaml_files("tests/data/requests/invalid")) {
    std::string name = path.filename();
    auto r = parse_request_file(test::file_bytes(path), name);
    ASSERT_FALSE(r.ok()) << path << " parses, but the schema refuses it";
    EXPECT_EQ(r.error().kind, ErrorKind::Request);
    EXPECT_EQ(r.error().message.rfind(name + ":", 0), 0u) << r.error().message;
  }
}

}  // namespace
}  // namespace smmu
