// Hostile request files (plan --request FILE, on grace-gh200): YAML built to
// exhaust a parser, and values no request holds. Each is exit 4 naming the
// file and line, before anything is planned.
#include "cli/exit_codes.h"
#include "tests/hostile_table.h"

namespace smmu::test {
namespace hostile_request {

using namespace smmu::cli;

constexpr const char* kArea = "Request";

Invocation plan_with_request(const std::string& file) {
  return {{"plan", "--root", example_host(), "--request", file}};
}

// A setup writing what `make` returns as the request file. Large files are
// made when the row runs: gtest copies every row a few times at start-up.
RowSetup request(std::function<std::string()> make) {
  return [make](const std::string& dir) {
    write_file(dir + "/vm.yaml", make());
    return plan_with_request(dir + "/vm.yaml");
  };
}

RowSetup request(std::string yaml) {
  return request([yaml] { return yaml; });
}

// A billion laughs: 9^10 aliases of one list.
std::string alias_bomb() {
  std::string yaml = "a0: &a0 [lol]\n";
  for (int i = 1; i <= 10; ++i) {
    std::string prev = "*a" + std::to_string(i - 1);
    yaml +=
        "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [" + repeated(prev + ", ", 8) + prev + "]\n";
  }
  return yaml;
}

std::string many_keys(int n) {
  std::string yaml;
  for (int i = 0; i < n; ++i) yaml += "k" + std::to_string(i) + ": 1\n";
  return yaml;
}

std::string with_device(const std::string& more) { return "devices: [0009:01:00.0]\n" + more; }

}  // namespace hostile_request

std::vector<HostileRow> request_rows() {
  using namespace hostile_request;
  return {
      // Built to exhaust a parser: refused by the bounded reader.
      {"AliasBomb", kArea, request(alias_bomb), kExitRequest, "vm.yaml:1: anchors (&name) are not allowed"},
      {"FiftyThousandKeys", kArea, request([] { return many_keys(50000); }), kExitRequest,
       "more than 100000 nodes"},
      {"DeepFlowNesting", kArea, request([] { return "devices: " + repeated("[", 500000); }), kExitRequest,
       "vm.yaml:1: nested deeper than 16 levels"},
      {"DeepBlockNesting", kArea, request([] { return repeated("- ", 400000) + "x\n"; }), kExitRequest,
       "nested deeper than 16 levels"},
      {"OverOneMiB", kArea, request([] { return with_device("# " + repeated("x", 1 << 20) + "\n"); }),
       kExitRequest, "vm.yaml: larger than 1048576 bytes"},
      {"EndlessFile", kArea, [](const std::string&) { return plan_with_request("/dev/zero"); }, kExitRequest,
       "/dev/zero: larger than 1048576 bytes"},
      {"ADirectory", kArea, [](const std::string& dir) { return plan_with_request(dir); }, kExitRequest,
       "Is a directory"},
      // What YAML allows and a request file does not.
      {"SeveralDocuments", kArea, request(with_device("---\ndevices: [0002:01:00.0]\n")), kExitRequest,
       "vm.yaml:2: only one YAML document is allowed"},
      {"PythonObjectTag", kArea, request("devices: !!python/object/apply:os.system [id]\n"), kExitRequest,
       "tags (tag:yaml.org,2002:python/object/apply:os.system) are not allowed"},
      {"DuplicateKey", kArea, request(with_device("devices: [0002:01:00.0]\n")), kExitRequest,
       "vm.yaml:2: duplicate key 'devices' (first on line 1)"},
      {"UnknownKey", kArea, request(with_device("qemu_args: [-S]\n")), kExitRequest,
       "vm.yaml:2: unknown key 'qemu_args'"},
      // (yaml-cpp 0.7 names line 2, 0.9 line 3.)
      {"NulByte", kArea, request(std::string("devices: [0009:01:00.0]\0\n", 26)), kExitRequest,
       "not valid YAML"},
      // Values out of range or malformed.
      {"ImpossiblyLargeNumber", kArea, request(with_device("hotplug_ports: 99999999999999999999999\n")),
       kExitRequest, "vm.yaml:2: hotplug_ports: 99999999999999999999999 is out of range 0..255"},
      {"NegativeNumber", kArea, request(with_device("hotplug_ports: -1\n")), kExitRequest,
       "hotplug_ports: -1 is out of range 0..255"},
      {"InfinityAsNumber", kArea, request(with_device("pcie0_buses: .inf\n")), kExitRequest,
       "pcie0_buses: expected an integer 0..254, got a float"},
      {"GuestNodeOutOfRange", kArea, request(with_device("numa_map: {0: 128}\n")), kExitRequest,
       "numa_map.0: 128 is out of range 0..127"},
      {"BdfWithADeviceOf32", kArea, request("devices: [0009:01:20.0]\n"), kExitRequest,
       "vm.yaml:1: malformed PCI address '0009:01:20.0'"},
      {"BdfWithAFiveDigitDomain", kArea, request("devices: [10000:01:00.0]\n"), kExitRequest,
       "malformed PCI address '10000:01:00.0'"},
      // Quoted text echoed in the message, escaped: one line, no raw bytes.
      {"BdfWithAnEscapedNewline", kArea, request("devices: [\"0009:01:00.0\\n--device\"]\n"), kExitRequest,
       "malformed PCI address '0009:01:00.0\\x0a--device'"},
      {"BdfNotUtf8", kArea, request("devices: [\"0009:01:00.0\xff\"]\n"), kExitRequest,
       "malformed PCI address '0009:01:00.0\\xff'"},
      {"SizeWithAnEscapedNewline", kArea,
       request(with_device("hotplug_ports: 1\nhotplug_pref64_reserve: \"512G\\n--device\"\n")), kExitRequest,
       "vm.yaml:3: hotplug_pref64_reserve: size '512G\\x0a--device'"},
      {"ImpossiblyLargeSize", kArea, request(with_device("hotplug_pref64_reserve: 99999999999999999999T\n")),
       kExitRequest, "size '99999999999999999999T': 16 EiB or more"},
  };
}

}  // namespace smmu::test
