#include "planner/plan_json.h"

#include <iterator>

#include "common/digits.h"
#include "common/hex.h"
#include "planner/plan_check.h"

namespace smmu {
namespace {

using nlohmann::json;

// Why a plan file of an older version is refused, not read: [v] for version v.
constexpr const char* kOlderVersions[] = {
    nullptr,
    "carry no vSMMU capabilities",
    "store a device's place twice (on its root port and on the device)",
};
static_assert(std::size(kOlderVersions) == Plan::kVersion, "say why each older version is refused");

// Typed access to one JSON object, errors naming the path to the field.
class Fields {
 public:
  Fields(const json& j, std::string path) : j_(j), path_(std::move(path)) {}

  Result<const json*> get(const char* key, json::value_t type) const {
    auto it = j_.find(key);
    if (it == j_.end()) return fail(key, "missing");
    bool ok = it->type() == type ||
              (type == json::value_t::number_unsigned && it->is_number_integer() && *it >= 0);
    if (!ok) return fail(key, std::string("expected ") + name(type));
    return &*it;
  }

  Result<unsigned> uint(const char* key, unsigned max) const {
    SMMU_TRY(v, get(key, json::value_t::number_unsigned));
    uint64_t n = v->get<uint64_t>();
    if (n > max) return fail(key, "must be at most " + std::to_string(max));
    return static_cast<unsigned>(n);
  }

  // An optional byte count: 0 when the key is missing.
  Result<uint64_t> optional_bytes(const char* key) const {
    if (!j_.contains(key)) return uint64_t{0};
    SMMU_TRY(v, get(key, json::value_t::number_unsigned));
    return v->get<uint64_t>();
  }

  Result<bool> boolean(const char* key) const {
    auto it = j_.find(key);
    if (it == j_.end()) return fail(key, "missing");
    if (!it->is_boolean()) return fail(key, "expected true or false");
    return it->get<bool>();
  }

  Result<std::string> str(const char* key) const {
    SMMU_TRY(v, get(key, json::value_t::string));
    return v->get<std::string>();
  }

  Result<Bdf> bdf(const char* key) const {
    SMMU_TRY(s, str(key));
    auto b = parse_bdf(s);
    if (!b) return fail(key, b.error().message);
    return *b;
  }

  Result<uint32_t> hex_str(const char* key, uint64_t max) const {
    SMMU_TRY(s, str(key));
    auto v = parse_u64_hex(s);
    if (!v || *v > max || s.rfind("0x", 0) != 0) return fail(key, "expected a hex string like 0x10de");
    return static_cast<uint32_t>(*v);
  }

  Result<const json*> array(const char* key) const { return get(key, json::value_t::array); }
  Result<Fields> object(const char* key) const {
    SMMU_TRY(v, get(key, json::value_t::object));
    return Fields(*v, path_ + "." + key);
  }
  Result<Fields> element(const json& e, const char* key, size_t i) const {
    std::string path = path_ + "." + key + "[" + std::to_string(i) + "]";
    if (!e.is_object()) return make_error(ErrorKind::PlanFile, "plan: " + path + ": expected an object");
    return Fields(e, path);
  }
  const json& raw() const { return j_; }
  Error fail(const char* key, const std::string& what) const {
    return make_error(ErrorKind::PlanFile, "plan: " + path_ + "." + key + ": " + what);
  }

 private:
  static const char* name(json::value_t t) {
    switch (t) {
      case json::value_t::object: return "an object";
      case json::value_t::array: return "an array";
      case json::value_t::string: return "a string";
      default: return "a non-negative integer";
    }
  }
  const json& j_;
  std::string path_;
};

Result<RootPortPlan> root_port_from(const Fields& f) {
  RootPortPlan rp;
  SMMU_TRY(id, f.str("id"));
  SMMU_TRY(slot, f.uint("slot", 31));
  SMMU_TRY(function, f.uint("function", 7));
  SMMU_TRY(bus, f.uint("bus", 255));
  rp.id = id;
  rp.slot = static_cast<uint8_t>(slot);
  rp.function = static_cast<uint8_t>(function);
  rp.bus = static_cast<uint8_t>(bus);
  SMMU_TRY(reserve, f.optional_bytes("pref64_reserve"));
  rp.pref64_reserve = reserve;
  return rp;
}

// null: unknown (planned with --no-host-caps).
Result<std::optional<VsmmuCaps>> caps_from(const Fields& f) {
  auto it = f.raw().find("caps");
  if (it == f.raw().end()) return f.fail("caps", "missing (null when unknown)");
  if (it->is_null()) return std::optional<VsmmuCaps>();
  SMMU_TRY(c, f.object("caps"));
  VsmmuCaps caps;
  SMMU_TRY(ats, c.boolean("ats"));
  SMMU_TRY(ril, c.boolean("ril"));
  SMMU_TRY(ssidsize, c.uint("ssidsize", 20));
  SMMU_TRY(oas, c.uint("oas", 64));
  SMMU_TRY(cmdqv, c.boolean("cmdqv"));
  caps.ats = ats;
  caps.ril = ril;
  caps.ssidsize = ssidsize;
  caps.oas = oas;
  caps.cmdqv = cmdqv;
  return std::optional<VsmmuCaps>(caps);
}

json caps_to_json(const std::optional<VsmmuCaps>& caps) {
  if (!caps) return nullptr;
  return {{"ats", caps->ats}, {"ril", caps->ril}, {"ssidsize", caps->ssidsize},
          {"oas", caps->oas}, {"cmdqv", caps->cmdqv}};
}

Result<VsmmuPlan> vsmmu_from(const Fields& f) {
  VsmmuPlan v;
  SMMU_TRY(id, f.str("id"));
  SMMU_TRY(host_smmu, f.str("host_smmu"));
  v.id = id;
  v.host_smmu = host_smmu;
  auto numa = f.raw().find("host_numa_node");
  if (numa != f.raw().end() && numa->is_number_integer()) v.host_numa_node = numa->get<int>();
  SMMU_TRY(pxb, f.object("pxb"));
  SMMU_TRY(pxb_id, pxb.str("id"));
  SMMU_TRY(bus_nr, pxb.uint("bus_nr", 255));
  SMMU_TRY(addr, pxb.uint("addr", 31));
  v.pxb.id = pxb_id;
  v.pxb.bus_nr = static_cast<uint8_t>(bus_nr);
  v.pxb.addr = static_cast<uint8_t>(addr);
  auto node = pxb.raw().find("numa_node");
  if (node != pxb.raw().end() && !node->is_null()) {
    SMMU_TRY(n, pxb.uint("numa_node", 255));
    v.pxb.numa_node = static_cast<int>(n);
  }
  SMMU_TRY(ports, f.array("root_ports"));
  for (size_t j = 0; j < ports->size(); ++j) {
    SMMU_TRY(port, f.element((*ports)[j], "root_ports", j));
    SMMU_TRY(rp, root_port_from(port));
    v.root_ports.push_back(rp);
  }
  SMMU_TRY(caps, caps_from(f));
  v.caps = caps;
  return v;
}

Result<DevicePlan> device_from(const Fields& f) {
  DevicePlan d;
  SMMU_TRY(id, f.str("id"));
  SMMU_TRY(host, f.bdf("host_bdf"));
  SMMU_TRY(port, f.str("root_port"));
  SMMU_TRY(vendor, f.hex_str("vendor", 0xffff));
  SMMU_TRY(device, f.hex_str("device", 0xffff));
  SMMU_TRY(class_code, f.hex_str("class", 0xffffff));
  d.id = id;
  d.host_bdf = host;
  d.root_port = port;
  d.vendor = static_cast<uint16_t>(vendor);
  d.device = static_cast<uint16_t>(device);
  d.class_code = class_code;
  if (f.raw().contains("gpu_numa_nodes")) {
    SMMU_TRY(nodes, f.array("gpu_numa_nodes"));
    for (const auto& n : *nodes) {
      if (!n.is_number_integer() || n < 0 || n > 255) {
        return f.fail("gpu_numa_nodes", "expected guest NUMA node numbers");
      }
      d.gpu_numa_nodes.push_back(n.get<int>());
    }
  }
  return d;
}

}  // namespace

json plan_to_json(const Plan& plan) {
  json vsmmus = json::array();
  for (const auto& v : plan.vsmmus) {
    json ports = json::array();
    for (const auto& rp : v.root_ports) {
      json port = {{"id", rp.id}, {"slot", rp.slot}, {"function", rp.function}, {"bus", rp.bus}};
      if (rp.pref64_reserve) port["pref64_reserve"] = rp.pref64_reserve;
      ports.push_back(std::move(port));
    }
    vsmmus.push_back({
        {"id", v.id},
        {"host_smmu", v.host_smmu},
        {"host_numa_node", v.host_numa_node},
        {"pxb", {{"id", v.pxb.id}, {"bus_nr", v.pxb.bus_nr}, {"addr", v.pxb.addr},
                 {"numa_node", v.pxb.numa_node ? json(*v.pxb.numa_node) : json(nullptr)}}},
        {"root_ports", ports},
        {"caps", caps_to_json(v.caps)},
    });
  }
  json devices = json::array();
  for (const auto& d : plan.devices) {
    json device = {{"id", d.id}, {"host_bdf", d.host_bdf.str()}, {"root_port", d.root_port},
                   {"vendor", hex(d.vendor, 4)}, {"device", hex(d.device, 4)},
                   {"class", hex(d.class_code, 6)}};
    if (!d.gpu_numa_nodes.empty()) device["gpu_numa_nodes"] = d.gpu_numa_nodes;
    devices.push_back(std::move(device));
  }
  json out = {{"version", Plan::kVersion},
              {"pcie0_buses", plan.pcie0_buses},
              {"vsmmus", vsmmus},
              {"devices", devices}};
  if (plan.highmem_mmio_size) out["highmem_mmio_size"] = plan.highmem_mmio_size;
  return out;
}

Result<Plan> plan_from_json_text(const std::string& text) {
  if (text.size() > kMaxPlanFileBytes) {
    return make_error(ErrorKind::PlanFile, "plan: larger than " + std::to_string(kMaxPlanFileBytes) +
                                               " bytes, which no plan is");
  }
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return make_error(ErrorKind::PlanFile, "plan: not valid JSON");
  if (!j.is_object()) return make_error(ErrorKind::PlanFile, "plan: expected a JSON object");
  Fields top(j, "$");
  SMMU_TRY(version, top.uint("version", 1000));
  if (version >= 1 && version < Plan::kVersion) {
    return top.fail("version", "version " + std::to_string(version) + " plans " + kOlderVersions[version] +
                                   "; plan again (this smmu-plan reads and writes version " +
                                   std::to_string(Plan::kVersion) + ")");
  }
  if (version != Plan::kVersion) {
    return top.fail("version", "this smmu-plan reads version " + std::to_string(Plan::kVersion));
  }
  Plan plan;
  SMMU_TRY(pcie0, top.uint("pcie0_buses", 254));
  plan.pcie0_buses = pcie0;
  SMMU_TRY(highmem, top.optional_bytes("highmem_mmio_size"));
  plan.highmem_mmio_size = highmem;
  SMMU_TRY(vsmmus, top.array("vsmmus"));
  for (size_t k = 0; k < vsmmus->size(); ++k) {
    SMMU_TRY(entry, top.element((*vsmmus)[k], "vsmmus", k));
    SMMU_TRY(v, vsmmu_from(entry));
    plan.vsmmus.push_back(std::move(v));
  }
  SMMU_TRY(devices, top.array("devices"));
  for (size_t i = 0; i < devices->size(); ++i) {
    SMMU_TRY(entry, top.element((*devices)[i], "devices", i));
    SMMU_TRY(d, device_from(entry));
    plan.devices.push_back(std::move(d));
  }
  SMMU_CHECK(check_plan(plan));
  return plan;
}

}  // namespace smmu
