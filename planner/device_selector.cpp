#include "planner/device_selector.h"

#include <cstdio>
#include <set>

#include "common/digits.h"
#include "common/hex.h"
#include "common/smmu_name.h"
#include "common/split.h"

namespace smmu {
namespace {

Error bad(std::string_view what, std::string_view text, const char* expected) {
  return make_error(ErrorKind::Usage, std::string(what) + " '" + std::string(text) +
                                          "': expected " + expected);
}

// All of `text` as hex digits (no prefix), at most 16 of them.
std::optional<uint64_t> hex_digits(std::string_view text) {
  if (text.size() > 16) return std::nullopt;
  return parse_digits<uint64_t>(text, 16);
}

// "10de" -> 0x10de, "*" -> nullopt (any); false when neither.
bool id_or_any(std::string_view text, std::optional<uint16_t>& out) {
  if (text == "*") return true;
  if (text.size() != 4) return false;
  auto v = hex_digits(text);
  if (!v) return false;
  out = static_cast<uint16_t>(*v);
  return true;
}

}  // namespace

bool DeviceSelector::matches(const PciDevice& d, const Inventory& inv) const {
  if (vendor && d.vendor != *vendor) return false;
  if (device && d.device != *device) return false;
  if (pci_class && !pci_class->matches(d.class_code)) return false;
  const HostSmmu* smmu = d.smmu ? &inv.smmus[*d.smmu] : nullptr;
  if (smmu_base && (!smmu || smmu->base != *smmu_base)) return false;
  if (numa_node) {
    int node = d.numa_node >= 0 ? d.numa_node : smmu ? smmu->numa_node : -1;
    if (node != *numa_node) return false;
  }
  return true;
}

Status set_vendor_device(DeviceSelector& s, std::string_view text) {
  constexpr const char* expected = "VVVV:DDDD in hex, either half may be * (e.g. 10de:2342, 10de:*)";
  size_t colon = text.find(':');
  std::optional<uint16_t> vendor, device;
  if (colon == std::string_view::npos || !id_or_any(text.substr(0, colon), vendor) ||
      !id_or_any(text.substr(colon + 1), device)) {
    return bad("vendor_device", text, expected);
  }
  if (!vendor && !device) return bad("vendor_device", text, "at least one half not * (leave the field out instead)");
  s.vendor = vendor;
  s.device = device;
  return Ok{};
}

Result<ClassPattern> parse_class_pattern(std::string_view text) {
  std::string_view digits = has_hex_prefix(text) ? text.substr(2) : text;
  auto v = hex_digits(digits);
  if (!v || (digits.size() != 2 && digits.size() != 4 && digits.size() != 6)) {
    return bad("class", text,
               "2, 4 or 6 hex digits: base class, with subclass, or all 24 bits (e.g. 0x0302)");
  }
  return ClassPattern{static_cast<uint32_t>(*v), static_cast<int>(digits.size())};
}

Result<uint64_t> parse_smmu_ref(std::string_view text) {
  std::string_view rest = text;
  if (rest.substr(0, 6) == "smmu3.") rest.remove_prefix(6);
  auto v = has_hex_prefix(rest) ? hex_digits(rest.substr(2)) : std::nullopt;
  if (!v) return bad("smmu", text, "an SMMUv3 name (smmu3.0x0000000016000000) or its base (0x16000000)");
  return *v;
}

Result<int> parse_host_numa_node(std::string_view text) {
  auto node = parse_int(text);
  if (!node || *node < 0 || *node > kMaxHostNumaNode) {
    return bad("numa_node", text, "a host NUMA node, 0..1023");
  }
  return *node;
}

Result<DeviceSelector> parse_selector_spec(std::string_view spec) {
  DeviceSelector s;
  auto fail = [&](const std::string& why) {
    return make_error(ErrorKind::Usage, "--select '" + std::string(spec) + "': " + why);
  };
  if (spec.empty()) return fail("give at least one of vendor_device, class, smmu, numa_node");
  std::set<std::string> seen;
  for (std::string_view item : split(spec, ',')) {
    size_t eq = item.find('=');
    if (eq == std::string_view::npos) return fail("expected key=value, got '" + std::string(item) + "'");
    std::string key(item.substr(0, eq));
    std::string_view value = item.substr(eq + 1);
    if (!seen.insert(key).second) return fail(key + " given twice");
    Status set = Ok{};
    if (key == "vendor_device") {
      set = set_vendor_device(s, value);
    } else if (key == "class") {
      auto c = parse_class_pattern(value);
      if (c) s.pci_class = *c; else set = c.error();
    } else if (key == "smmu") {
      auto b = parse_smmu_ref(value);
      if (b) s.smmu_base = *b; else set = b.error();
    } else if (key == "numa_node") {
      auto n = parse_host_numa_node(value);
      if (n) s.numa_node = *n; else set = n.error();
    } else {
      return fail("unknown key '" + key + "' (known: vendor_device, class, smmu, numa_node)");
    }
    if (!set) return fail(set.error().message);
  }
  return s;
}

std::string selector_text(const DeviceSelector& s) {
  std::string out;
  auto field = [&](const char* key, const std::string& value) {
    out += (out.empty() ? "" : ",") + std::string(key) + "=" + value;
  };
  if (s.vendor || s.device) {
    auto half = [](const std::optional<uint16_t>& v) { return v ? hex(*v, 4).substr(2) : "*"; };
    field("vendor_device", half(s.vendor) + ":" + half(s.device));
  }
  if (s.pci_class) field("class", hex(s.pci_class->value, s.pci_class->digits));
  if (s.smmu_base) {
    field("smmu", smmu_device_name(*s.smmu_base));
  }
  if (s.numa_node) field("numa_node", std::to_string(*s.numa_node));
  return out;
}

}  // namespace smmu
