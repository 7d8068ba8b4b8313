// Hostile plan files (qemu-args, iort, libvirt-xml --plan FILE): grace-gh200's
// plan (tests/hostile_table.h) edited the way an attacker or a broken disk
// would. The emitters trust check_plan, so everything they could turn into
// an injected QEMU option or libvirt element must stop here, exit 6.
#include "cli/exit_codes.h"
#include "tests/hostile_table.h"

namespace smmu::test {
namespace hostile_plan {

using namespace smmu::cli;
using nlohmann::json;

constexpr const char* kArea = "Plan";

Invocation emit(const std::string& command, const std::string& plan) { return {{command, "--plan", plan}}; }

// A setup writing the text `make` returns as the plan, read by `command`.
RowSetup plan_text(std::function<std::string()> make, std::string command = "qemu-args") {
  return [make, command](const std::string& dir) {
    write_file(dir + "/plan.json", make());
    return emit(command, dir + "/plan.json");
  };
}

// A setup writing grace-gh200's plan after `edit`.
RowSetup edited(std::function<void(json&)> edit, std::string command = "qemu-args") {
  return plan_text(
      [edit] {
        json plan = gh200_plan_json();
        edit(plan);
        return plan.dump(2);
      },
      command);
}

// grace-gh200's plan as text, with `from` replaced by `to` (what json
// cannot hold: bytes that are not UTF-8, numbers past 2^64).
RowSetup text_edited(std::string from, std::string to) {
  return plan_text([from, to] { return replaced(gh200_plan_json().dump(2), from, to); });
}

// Moves pxb0 up one bus, into pxb1's 0xfe-0xff.
void overlap_pxb1(json& plan) {
  json& v = plan["vsmmus"][0];
  v["pxb"]["bus_nr"] = 253;
  v["root_ports"][0]["bus"] = 254;
}

// Renames root port `k`'s id (and its device's reference to it).
void rename_port(json& plan, int k, const std::string& id) {
  plan["vsmmus"][k]["root_ports"][0]["id"] = id;
  plan["devices"][k]["root_port"] = id;
}

}  // namespace hostile_plan

std::vector<HostileRow> plan_file_rows() {
  using namespace hostile_plan;
  return {
      // Not JSON, or JSON built to exhaust a parser.
      {"Truncated", kArea, plan_text([] { return gh200_plan_json().dump(2).substr(0, 700); }), kExitPlanFile,
       "plan.json: plan: not valid JSON"},
      {"ArraysNested100000Deep", kArea,
       plan_text([] { return repeated("[", 100000) + repeated("]", 100000); }), kExitPlanFile,
       "plan: expected a JSON object"},
      {"ObjectsNested100000Deep", kArea,
       plan_text([] { return repeated("{\"a\":", 100000) + "1" + repeated("}", 100000); }), kExitPlanFile,
       "plan: $.version: missing"},
      {"NotUtf8", kArea, text_edited("\"dev0\"", "\"dev\xff\""), kExitPlanFile, "plan: not valid JSON"},
      {"OverTheSizeLimit", kArea,
       plan_text([] { return gh200_plan_json().dump(2) + repeated(" ", 1 << 20); }), kExitPlanFile,
       "plan.json: larger than 1048576 bytes"},
      {"EndlessFile", kArea, [](const std::string&) { return emit("iort", "/dev/zero"); }, kExitPlanFile,
       "/dev/zero: larger than 1048576 bytes"},
      // QEMU option injection through ids: ',' starts a property, '=' gives
      // one a value, a newline another argv element. Ids have make_plan's
      // shapes, which hold none of them.
      {"IdWithComma", kArea, edited([](json& p) { p["devices"][0]["id"] = "dev0,x-inject=on"; }),
       kExitPlanFile, "plan: id 'dev0,x-inject=on' is not one smmu-plan makes (devN); plan again"},
      {"IdWithEquals", kArea, edited([](json& p) { p["vsmmus"][0]["pxb"]["id"] = "pxb0=x"; }, "iort"),
       kExitPlanFile, "plan: id 'pxb0=x' is not one smmu-plan makes (pxbN); plan again"},
      {"IdWithNewlines", kArea,
       edited([](json& p) { rename_port(p, 0, "pxb0.rp0\n-device\nfoo"); }, "libvirt-xml"), kExitPlanFile,
       "plan: id 'pxb0.rp0\\x0a-device\\x0afoo' is not one smmu-plan makes (<its pxb>.rpN); plan again"},
      {"HostBdfWithAProperty", kArea,
       edited([](json& p) { p["devices"][0]["host_bdf"] = "0002:01:00.0,x-inject=on"; }), kExitPlanFile,
       "$.devices[0].host_bdf: malformed PCI address '0002:01:00.0,x-inject=on'"},
      // Topologies QEMU or libvirt would refuse or mis-number.
      {"OverlappingBusRanges", kArea, edited(overlap_pxb1), kExitPlanFile,
       "plan: pxb1's buses 0xfe-0xff overlap pxb0's 0xfd-0xfe"},
      {"DuplicateIds", kArea, edited([](json& p) { p["devices"][1]["id"] = "dev0"; }), kExitPlanFile,
       "plan: id 'dev0' is used twice"},
      // libvirt aliases keep no '.': "pxb1-rp0" would be pxb1.rp0's alias.
      // make_plan's shapes hold no '-', so no two ids share an alias.
      {"IdsCollidingOnOneLibvirtAlias", kArea,
       edited([](json& p) { rename_port(p, 1, "pxb1-rp0"); }, "libvirt-xml"), kExitPlanFile,
       "plan: id 'pxb1-rp0' is not one smmu-plan makes (<its pxb>.rpN); plan again"},
      // Numbers of no plan, and wrong types.
      {"HugeNumber", kArea, edited([](json& p) { p["pcie0_buses"] = 1e30; }), kExitPlanFile,
       "$.pcie0_buses: expected a non-negative integer"},
      {"NumberPast2To64", kArea,
       text_edited("\"highmem_mmio_size\": 1099511627776", "\"highmem_mmio_size\": 18446744073709551621"),
       kExitPlanFile, "$.highmem_mmio_size: expected a non-negative integer"},
      {"NegativeBusNumber", kArea, edited([](json& p) { p["vsmmus"][1]["pxb"]["bus_nr"] = -2; }),
       kExitPlanFile, "$.vsmmus[1].pxb.bus_nr: expected a non-negative integer"},
      {"NumberAsString", kArea, edited([](json& p) { p["pcie0_buses"] = "16"; }), kExitPlanFile,
       "$.pcie0_buses: expected a non-negative integer"},
      {"ObjectForAnArray", kArea, edited([](json& p) { p["vsmmus"] = json::object(); }), kExitPlanFile,
       "$.vsmmus: expected an array"},
  };
}

}  // namespace smmu::test
