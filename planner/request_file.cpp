#include "planner/request_file.h"

#include "common/byte_size.h"
#include "common/yaml_tree.h"

namespace smmu {
namespace {

using Kind = YamlNode::Kind;
using Type = YamlNode::Type;

constexpr const char* kRequestKeys =
    "devices, select, all_assignable, hotplug_ports, hotplug_pref64_reserve, pcie0_buses, numa_map, "
    "hotplug_smmus, gpu";
constexpr const char* kSelectorKeys = "vendor_device, class, smmu, numa_node";
constexpr const char* kGpuKeys = "numa_nodes_per_gpu, first_numa_node";

// "an integer", "a string".
std::string a(const char* noun) { return (*noun == 'i' ? "an " : "a ") + std::string(noun); }

// Reads typed values out of the tree; every error names the file and line.
class Reader {
 public:
  explicit Reader(const std::string& name) : name_(name) {}

  std::string origin(const YamlNode& n) const { return name_ + ":" + std::to_string(n.line); }
  Error at(const YamlNode& n, const std::string& message) const {
    return make_error(ErrorKind::Request, origin(n) + ": " + message);
  }
  Error wrong_type(const YamlNode& n, const std::string& key, const char* expected) const {
    return at(n, key + ": expected " + expected + ", got " + a(yaml_type_name(n)));
  }
  Status is(const YamlNode& n, Kind kind, const std::string& key) const {
    if (n.kind == kind) return Ok{};
    return wrong_type(n, key, kind == Kind::Map ? "a mapping" : "a sequence");
  }
  Result<std::string> text(const YamlNode& n, const std::string& key) const {
    if (n.kind != Kind::Scalar || n.type() != Type::String) return wrong_type(n, key, "a string");
    return n.text;
  }
  Result<unsigned> number(const YamlNode& n, const std::string& key, unsigned max) const {
    std::string range = "0.." + std::to_string(max);
    if (n.kind != Kind::Scalar || n.type() != Type::Int) {
      return wrong_type(n, key, ("an integer " + range).c_str());
    }
    auto v = n.unsigned_value();
    if (!v || *v > max) return at(n, key + ": " + n.text + " is out of range " + range);
    return static_cast<unsigned>(*v);
  }
  // A size as QEMU spells it ("512G", common/byte_size.h), or a YAML integer of bytes.
  Result<uint64_t> size(const YamlNode& n, const std::string& key) const {
    if (n.kind == Kind::Scalar && n.type() == Type::Int) {
      auto v = n.unsigned_value();
      if (!v) return at(n, key + ": " + n.text + " is not a number of bytes");
      return *v;
    }
    if (n.kind != Kind::Scalar || n.type() != Type::String) {
      return wrong_type(n, key, "a size (512G) or a number of bytes");
    }
    auto v = parse_size(n.text);
    if (!v) return at(n, key + ": " + v.error().message);
    return v;
  }
  Result<bool> boolean(const YamlNode& n, const std::string& key) const {
    if (n.kind != Kind::Scalar || n.type() != Type::Bool) return wrong_type(n, key, "true or false");
    return n.text[0] == 't' || n.text[0] == 'T';
  }
  // A value parser's Usage error, at this node.
  template <typename T>
  Result<T> located(const YamlNode& n, Result<T> r) const {
    if (!r) return at(n, r.error().message);
    return r;
  }

 private:
  const std::string& name_;
};

// An SMMU by name (a string) or by base (a string, or a YAML integer).
Result<uint64_t> read_smmu_ref(const Reader& in, const YamlNode& value, const std::string& field) {
  if (value.kind == Kind::Scalar && value.type() == Type::Int) {
    auto base = value.unsigned_value();
    if (!base) return in.at(value, field + ": " + value.text + " is not an SMMU base address");
    return *base;
  }
  SMMU_TRY(text, in.text(value, field));
  return in.located(value, parse_smmu_ref(text));
}

Result<DeviceSelector> read_selector(const Reader& in, const YamlNode& entry, size_t index) {
  std::string path = "select[" + std::to_string(index) + "]";
  SMMU_CHECK(in.is(entry, Kind::Map, path));
  DeviceSelector s;
  s.origin = in.origin(entry);
  for (const auto& [key, value] : entry.entries) {
    std::string field = path + "." + key.text;
    if (key.text == "vendor_device") {
      SMMU_TRY(text, in.text(value, field));
      SMMU_CHECK(in.located(value, set_vendor_device(s, text)));
    } else if (key.text == "class") {
      SMMU_TRY(text, in.text(value, field));
      SMMU_TRY(pattern, in.located(value, parse_class_pattern(text)));
      s.pci_class = pattern;
    } else if (key.text == "smmu") {
      SMMU_TRY(base, read_smmu_ref(in, value, field));
      s.smmu_base = base;
    } else if (key.text == "numa_node") {
      SMMU_TRY(node, in.number(value, field, kMaxHostNumaNode));
      s.numa_node = static_cast<int>(node);
    } else {
      return in.at(key, path + ": unknown key '" + key.text + "' (known: " + kSelectorKeys + ")");
    }
  }
  if (s.empty()) return in.at(entry, path + ": give at least one of " + kSelectorKeys);
  return s;
}

// Host node keys: an integer, or digits in quotes (as JSON would write them).
Result<int> read_host_node(const Reader& in, const YamlNode& key) {
  bool digits = key.kind == Kind::Scalar && !key.text.empty() &&
                key.text.find_first_not_of("0123456789") == std::string::npos &&
                (key.text.size() == 1 || key.text[0] != '0');
  YamlNode as_int = key;
  if (digits) as_int.quoted = false;
  SMMU_TRY(node, in.number(as_int, "numa_map", kMaxHostNumaNode));
  return static_cast<int>(node);
}

Status read_numa_map(const Reader& in, const YamlNode& map, NumaMap& out) {
  SMMU_CHECK(in.is(map, Kind::Map, "numa_map"));
  for (const auto& [key, value] : map.entries) {
    SMMU_TRY(host, read_host_node(in, key));
    SMMU_TRY(guest, in.number(value, "numa_map." + key.text, kMaxGuestNumaNode));
    if (!out.emplace(host, static_cast<int>(guest)).second) {
      return in.at(key, "numa_map: host node " + std::to_string(host) + " is mapped twice");
    }
  }
  return Ok{};
}

Status read_gpu(const Reader& in, const YamlNode& map, GpuRequest& out) {
  SMMU_CHECK(in.is(map, Kind::Map, "gpu"));
  for (const auto& [key, value] : map.entries) {
    std::string field = "gpu." + key.text;
    if (key.text == "numa_nodes_per_gpu") {
      SMMU_TRY(n, in.number(value, field, kMaxGuestNumaNode));
      out.numa_nodes_per_gpu = n;
    } else if (key.text == "first_numa_node") {
      SMMU_TRY(n, in.number(value, field, kMaxGuestNumaNode));
      if (n == 0) return in.at(value, field + ": 0 is the guest's own first node; GPU nodes start at 1 or above");
      out.first_numa_node = n;
    } else {
      return in.at(key, "gpu: unknown key '" + key.text + "' (known: " + kGpuKeys + ")");
    }
  }
  return Ok{};
}

Status read_entry(const Reader& in, const YamlNode& key, const YamlNode& value, PlanRequest& r) {
  const std::string& k = key.text;
  if (k == "gpu") return read_gpu(in, value, r.gpu);
  if (k == "devices") {
    SMMU_CHECK(in.is(value, Kind::Sequence, k));
    for (size_t i = 0; i < value.items.size(); ++i) {
      const YamlNode& item = value.items[i];
      SMMU_TRY(text, in.text(item, "devices[" + std::to_string(i) + "]"));
      SMMU_TRY(bdf, in.located(item, parse_bdf(text)));
      r.devices.emplace_back(bdf, in.origin(item));
    }
  } else if (k == "select") {
    SMMU_CHECK(in.is(value, Kind::Sequence, k));
    for (size_t i = 0; i < value.items.size(); ++i) {
      SMMU_TRY(s, read_selector(in, value.items[i], i));
      r.selectors.push_back(std::move(s));
    }
  } else if (k == "all_assignable") {
    SMMU_TRY(all, in.boolean(value, k));
    r.all_assignable = all;
  } else if (k == "hotplug_ports") {
    SMMU_TRY(n, in.number(value, k, 255));
    r.hotplug_ports = n;
  } else if (k == "hotplug_pref64_reserve") {
    SMMU_TRY(bytes, in.size(value, k));
    r.hotplug_pref64_reserve = bytes;
  } else if (k == "pcie0_buses") {
    SMMU_TRY(n, in.number(value, k, 254));
    r.pcie0_buses = n;
  } else if (k == "numa_map") {
    SMMU_CHECK(read_numa_map(in, value, r.numa_map));
  } else if (k == "hotplug_smmus") {
    SMMU_CHECK(in.is(value, Kind::Sequence, k));
    for (size_t i = 0; i < value.items.size(); ++i) {
      const YamlNode& item = value.items[i];
      SMMU_TRY(base, read_smmu_ref(in, item, "hotplug_smmus[" + std::to_string(i) + "]"));
      r.hotplug_smmus.push_back({base, in.origin(item)});
    }
  } else {
    return in.at(key, "unknown key '" + k + "' (known: " + kRequestKeys + ")");
  }
  return Ok{};
}

}  // namespace

Result<PlanRequest> parse_request_file(std::string_view text, const std::string& name) {
  SMMU_TRY(root, parse_yaml(text, name, ErrorKind::Request, {.max_bytes = kMaxRequestFileBytes}));
  Reader in(name);
  if (root.kind != Kind::Map) {
    return in.at(root, std::string("expected a mapping with some of ") + kRequestKeys + ", got " +
                           a(yaml_type_name(root)));
  }
  PlanRequest r;
  const YamlNode* all = nullptr;
  for (const auto& [key, value] : root.entries) {
    SMMU_CHECK(read_entry(in, key, value, r));
    if (key.text == "all_assignable") all = &value;
  }
  if (r.all_assignable && (!r.devices.empty() || !r.selectors.empty())) {
    return in.at(*all, "all_assignable: true excludes devices and select");
  }
  return r;
}

}  // namespace smmu
