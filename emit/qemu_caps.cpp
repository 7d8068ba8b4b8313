#include "emit/qemu_caps.h"

#include <cerrno>
#include <cstdlib>
#include <limits>
#include <regex>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace smmu {
namespace {

struct KeyValue {
  std::string key, value;
  bool has_value = false;  // "key=value" rather than a bare word
};
using KeyValues = std::vector<KeyValue>;

// QEMU's option syntax: key=value pairs split at commas, ",," a literal comma;
// a first element without '=' is the driver (or object type, machine type).
KeyValues split_option(std::string_view option) {
  KeyValues out;
  std::string item;
  auto flush = [&] {
    auto eq = item.find('=');
    if (eq == std::string::npos) {
      out.push_back({item, "", false});
    } else {
      out.push_back({item.substr(0, eq), item.substr(eq + 1), true});
    }
    item.clear();
  };
  for (size_t i = 0; i < option.size(); ++i) {
    if (option[i] == ',' && i + 1 < option.size() && option[i + 1] == ',') {
      item += ',';
      ++i;
    } else if (option[i] == ',') {
      flush();
    } else {
      item += option[i];
    }
  }
  flush();
  return out;
}

bool in(std::string_view v, std::initializer_list<std::string_view> allowed) {
  for (auto a : allowed) {
    if (v == a) return true;
  }
  return false;
}

bool integer_in(const std::string& v, long double lo, long double hi) {
  if (v.empty()) return false;
  errno = 0;
  char* end = nullptr;
  long double n = v[0] == '-' ? static_cast<long double>(std::strtoll(v.c_str(), &end, 0))
                              : static_cast<long double>(std::strtoull(v.c_str(), &end, 0));
  return errno == 0 && end && *end == '\0' && n >= lo && n <= hi;
}

}  // namespace

ValueCheck check_value(const std::string& prop, const std::string& type, const std::string& v,
                       bool pci_device) {
  if (prop == "addr" && pci_device) {  // PCI devfn, "slot[.function]" in hex
    // QEMU reads both numbers as hex, each with or without 0x ("0x3.0x5": seen,
    // the multifunction root ports of e2e.plan.near-limit boot).
    static const std::regex devfn("(0x)?([0-9a-fA-F]{1,2})(\\.(0x)?[0-7])?");
    std::smatch m;
    bool ok = std::regex_match(v, m, devfn) && std::stoul(m[2].str(), nullptr, 16) <= 0x1f;
    return {ok, "a PCI slot 0..0x1f with an optional .function 0..7"};
  }
  using L = std::numeric_limits<long long>;
  using U = std::numeric_limits<unsigned long long>;
  if (type == "bool") return {in(v, {"on", "off", "yes", "no", "true", "false"}), "on or off"};
  if (type == "OnOffAuto") return {in(v, {"on", "off", "auto"}), "on, off or auto"};
  if (type == "OasMode") return {in(v, {"44", "48", "auto"}), "44, 48 or auto"};
  if (type == "SsidSizeMode") return {v == "auto" || integer_in(v, 0, 20), "0..20 or auto"};
  if (type == "uint8") return {integer_in(v, 0, 255), "0..255"};
  if (type == "uint16") return {integer_in(v, 0, 65535), "0..65535"};
  if (type == "uint32") return {integer_in(v, 0, 4294967295.0L), "0..4294967295"};
  if (type == "uint64") return {integer_in(v, 0, U::max()), "an unsigned 64-bit number"};
  if (type == "int32") return {integer_in(v, -2147483648.0L, 2147483647.0L), "a signed 32-bit number"};
  if (type == "int" || type == "int64") return {integer_in(v, L::min(), L::max()), "a number"};
  if (type == "size") {
    static const std::regex size("[0-9]+(\\.[0-9]+)?[bBkKmMgGtTpPeE]?|0x[0-9a-fA-F]+");
    return {std::regex_match(v, size), "a size such as 512M or 1T"};
  }
  if (type == "str" || type == "string" || type.starts_with("link<")) return {!v.empty(), "a value"};
  return {false, "a value of type " + type + ", which smmu-plan cannot check"};
}

bool is_pci_device(const QemuCaps::Props& props) { return props.count("multifunction") > 0; }

const QemuCaps::Props* driver_props(const QemuCaps& caps, OptionKind kind, const std::string& driver) {
  const auto& table = kind == OptionKind::Device   ? caps.devices
                      : kind == OptionKind::Object ? caps.objects
                                                   : caps.machines;
  auto it = table.find(kind == OptionKind::Machine ? std::string("virt") : driver);
  return it == table.end() ? nullptr : &it->second;
}

Result<QemuCaps> parse_qemu_caps(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("qemu") || !j["qemu"].is_string()) {
    return make_error(ErrorKind::Usage, "QEMU capabilities: not a recorded property list (smmu-plan qemu-caps)");
  }
  QemuCaps caps;
  caps.release = j["qemu"].get<std::string>();
  if (j.contains("source") && j["source"].is_string()) caps.source = j["source"].get<std::string>();
  for (auto [key, map] : {std::pair{"devices", &caps.devices}, {"objects", &caps.objects},
                          {"machines", &caps.machines}}) {
    if (!j.contains(key) || !j[key].is_object()) {
      return make_error(ErrorKind::Usage, std::string("QEMU capabilities: no \"") + key + "\" object");
    }
    for (auto& [driver, props] : j[key].items()) {
      if (!props.is_object()) {
        return make_error(ErrorKind::Usage, "QEMU capabilities: " + driver + ": not an object");
      }
      for (auto& [name, type] : props.items()) {
        if (!type.is_string()) {
          return make_error(ErrorKind::Usage, "QEMU capabilities: " + driver + "." + name + ": no type");
        }
        (*map)[driver][name] = type.get<std::string>();
      }
    }
  }
  return caps;
}

Status check_qemu_option(const QemuCaps& caps, OptionKind kind, std::string_view option) {
  KeyValues kv = split_option(option);
  const std::string qemu = "QEMU " + caps.release;
  std::string driver;
  size_t first = 0;
  if (!kv.empty() && !kv[0].has_value) {
    driver = kv[0].key;
    first = 1;
  }
  if (kind == OptionKind::Machine) {
    // "-machine virt-11.1,..." or "-machine key=value" (merged into the machine given).
    if (!driver.empty() && driver != "virt" && !driver.starts_with("virt-")) {
      return make_error(ErrorKind::NoFit, qemu + ": machine " + driver + " is not virt");
    }
    driver = "virt";
  }
  const QemuCaps::Props* found = driver_props(caps, kind, driver);
  if (!found) {
    return make_error(ErrorKind::NoFit, qemu + " has no " +
                      (kind == OptionKind::Object ? "object type " : "device ") + "'" + driver + "'");
  }
  const QemuCaps::Props& props = *found;
  bool pci_device = kind == OptionKind::Device && is_pci_device(props);
  for (size_t i = first; i < kv.size(); ++i) {
    const auto& [key, value, has_value] = kv[i];
    if (!has_value) {
      return make_error(ErrorKind::NoFit, qemu + ": '" + key + "' in " + driver + " has no value");
    }
    if (key == "id" || (kind == OptionKind::Device && key == "bus")) continue;  // qdev's own
    auto p = props.find(key);
    if (p == props.end()) {
      return make_error(ErrorKind::NoFit, qemu + "'s " + driver + " has no property '" + key + "'");
    }
    auto [ok, takes] = check_value(key, p->second, value, pci_device);
    if (!ok) {
      return make_error(ErrorKind::NoFit, qemu + "'s " + driver + " " + key + "='" + value +
                                              "' is not " + takes);
    }
  }
  return Ok{};
}

}  // namespace smmu
