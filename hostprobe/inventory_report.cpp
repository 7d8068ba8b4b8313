#include "hostprobe/inventory_report.h"

#include <cstdio>
#include <optional>
#include <string_view>

#include "common/text_format.h"

namespace smmu {
namespace {

// An object or an array as dump(2) writes it at `depth`: "{}" or "[]" when
// empty, else a member a line, indented two spaces a level.
class NestedText {
 public:
  NestedText(std::string& out, int depth, char open, char close) : out_(out), depth_(depth), close_(close) {
    out_ += open;
  }
  // `out` positioned for an array's next element.
  std::string& item() {
    out_ += empty_ ? "\n" : ",\n";
    empty_ = false;
    out_.append(2 * (depth_ + 1), ' ');
    return out_;
  }
  // `out` positioned for the value of an object's member `name`.
  std::string& key(std::string_view name) {
    item() += '"';
    out_ += name;
    out_ += "\": ";
    return out_;
  }
  void close() {
    if (!empty_) {
      out_ += '\n';
      out_.append(2 * depth_, ' ');
    }
    out_ += close_;
  }

 private:
  std::string& out_;
  int depth_;
  char close_;
  bool empty_ = true;
};

void string_value(std::string& out, const std::string& s) { out += nlohmann::json(s).dump(); }
void bool_value(std::string& out, bool b) { out += b ? "true" : "false"; }
template <typename T>
void number_value(std::string& out, T n) {
  out += std::to_string(n);
}
template <typename T>
void number_or_null(std::string& out, std::optional<T> n) {
  if (n) number_value(out, *n);
  else out += "null";
}
void string_or_null(std::string& out, const std::optional<std::string>& s) {
  if (s) string_value(out, *s);
  else out += "null";
}
std::optional<int> unless_negative(int n) { return n < 0 ? std::nullopt : std::optional<int>(n); }

// A device as dump(2) writes it at depth 2 of the document, written straight
// into `out`: built as nlohmann trees, then dumped and freed, the 2,064
// devices of a large host took a seventh of `probe --json`
// (docs/performance.md). Keys in dump's (sorted) order; strings escaped by
// nlohmann itself. InventoryReport.JsonTextIsDumpsFormat and the probe
// goldens hold the text to dump's.
void write_device(std::string& out, const PciDevice& d, const Inventory& inv) {
  constexpr int kDepth = 2;  // {"devices": [ this ]}
  NestedText o(out, kDepth, '{', '}');
  bool_value(o.key("assignable"), d.assignable);
  NestedText bars(o.key("bars"), kDepth + 1, '[', ']');
  for (const auto& b : d.bars) {
    NestedText bar(bars.item(), kDepth + 2, '{', '}');
    number_value(bar.key("index"), b.index);
    bool_value(bar.key("is_64bit"), b.is_64bit);
    bool_value(bar.key("prefetchable"), b.prefetchable);
    number_value(bar.key("size"), b.size);
    bar.close();
  }
  bars.close();
  string_value(o.key("bdf"), d.bdf.str());
  bool_value(o.key("bridge"), d.is_bridge());
  string_value(o.key("class"), hex(d.class_code, 6));
  string_value(o.key("device"), hex(d.device, 4));
  string_or_null(o.key("driver"), d.driver);
  string_or_null(o.key("iommu"), d.iommu);
  number_or_null(o.key("iommu_group"), d.iommu_group);
  number_value(o.key("numa_node"), d.numa_node);
  string_or_null(o.key("physfn"), d.physfn ? std::optional<std::string>(d.physfn->str()) : std::nullopt);
  string_or_null(o.key("reason"), d.assignable ? std::nullopt : std::optional<std::string>(d.reason));
  string_or_null(o.key("smmu"), d.smmu ? std::optional<std::string>(inv.smmus[*d.smmu].name) : std::nullopt);
  number_or_null(o.key("sriov_numvfs"), unless_negative(d.sriov_numvfs));
  number_or_null(o.key("sriov_totalvfs"), unless_negative(d.sriov_totalvfs));
  string_value(o.key("vendor"), hex(d.vendor, 4));
  string_or_null(o.key("vfio"), d.vfio);
  bool_value(o.key("vfio_node_present"), d.vfio_node_present);
  NestedText virtfns(o.key("virtfns"), kDepth + 1, '[', ']');
  for (const auto& vf : d.virtfns) string_value(virtfns.item(), vf.str());
  virtfns.close();
  o.close();
}

nlohmann::json caps_to_json(const SmmuCaps& c) {
  nlohmann::json granules = nlohmann::json::array();
  for (auto [has, name] : {std::pair{c.gran4k, "4K"}, {c.gran16k, "16K"}, {c.gran64k, "64K"}}) {
    if (has) granules.push_back(name);
  }
  nlohmann::json cmdqv = nullptr;
  if (c.cmdqv) {
    cmdqv = {{"version", c.cmdqv->version}, {"log2vcmdqs", c.cmdqv->log2vcmdqs},
             {"log2vsids", c.cmdqv->log2vsids}};
  }
  return {{"arch", "3." + std::to_string(c.arch_minor)},
          {"s1p", c.s1p}, {"s2p", c.s2p}, {"nesting", c.nesting()},
          {"ats", c.ats}, {"ril", c.ril},
          {"sidsize", c.sidsize}, {"ssidsize", c.ssidsize}, {"oas_bits", c.oas_bits},
          {"granules", granules}, {"cmdqv", cmdqv}};
}

nlohmann::json smmu_to_json(const HostSmmu& s) {
  return {{"name", s.name}, {"base", hex(s.base)}, {"numa_node", s.numa_node},
          {"caps", s.caps ? caps_to_json(*s.caps) : nlohmann::json(nullptr)},
          {"caps_unavailable", s.caps ? nlohmann::json(nullptr) : nlohmann::json(s.caps_unavailable)},
          {"caps_device", s.caps_device ? nlohmann::json(s.caps_device->str()) : nlohmann::json(nullptr)}};
}

// "SMMUv3.2, nesting, ats, ril, ssid 16 bits, oas 48 bits, granules 4K 16K 64K, cmdqv"
std::string caps_phrase(const SmmuCaps& c) {
  std::string out = "SMMUv3." + std::to_string(c.arch_minor);
  if (c.nesting()) {
    out += ", nesting";
  } else {
    out += std::string(", no nesting (") +
           (!c.s1p && !c.s2p ? "no S1P, no S2P" : !c.s1p ? "no S1P" : "no S2P") + ")";
  }
  out += c.ats ? ", ats" : ", no ats";
  out += c.ril ? ", ril" : ", no ril";
  out += ", ssid " + std::to_string(c.ssidsize) + " bits, oas " + std::to_string(c.oas_bits) +
         " bits, granules";
  for (auto [has, name] : {std::pair{c.gran4k, " 4K"}, {c.gran16k, " 16K"}, {c.gran64k, " 64K"}}) {
    if (has) out += name;
  }
  out += c.cmdqv ? ", cmdqv" : ", no cmdqv";
  return out;
}

std::string caps_line(const HostSmmu& s) {
  std::string through = s.caps_device ? " (read through " + s.caps_device->str() + ")" : "";
  if (!s.caps) return "  caps: unavailable (" + s.caps_unavailable + ")\n";
  return "  caps: " + caps_phrase(*s.caps) + through + "\n";
}

std::string device_line(const PciDevice& d) {
  // As long as the reason is: a fixed buffer cut long ones short.
  return text_format("  %s  %04x:%04x  %06x  %-22s %-8s %s\n", d.bdf.str().c_str(), d.vendor, d.device,
                     d.class_code, d.driver ? d.driver->c_str() : "-", d.vfio ? d.vfio->c_str() : "-",
                     d.assignable ? "assignable" : ("no: " + d.reason).c_str());
}

}  // namespace

bool write_inventory_json(const Inventory& inv, const std::function<bool(std::string_view)>& write) {
  std::string piece;
  // Appends an element as dump(2) writes it at depth 2 of the whole document
  // (a newline inside a JSON string is escaped, so each one starts a line).
  auto element = [&](const nlohmann::json& value) {
    for (char c : value.dump(2)) {
      piece += c;
      if (c == '\n') piece += "    ";
    }
  };
  auto flush = [&] {
    bool ok = write(piece);
    piece.clear();
    return ok;
  };
  // dump(2)'s array under `key`, each element handed to `write` once written.
  auto array = [&](NestedText& doc, const char* key, size_t n, const auto& write_element) {
    NestedText items(doc.key(key), 1, '[', ']');
    for (size_t i = 0; i < n; ++i) {
      items.item();
      write_element(i);
      if (!flush()) return false;
    }
    items.close();
    return true;
  };
  // The keys in dump's (sorted) order: devices, iort_note, smmus.
  NestedText doc(piece, 0, '{', '}');
  if (!array(doc, "devices", inv.devices.size(), [&](size_t i) { write_device(piece, inv.devices[i], inv); })) {
    return false;
  }
  string_value(doc.key("iort_note"), inv.iort_note);
  if (!array(doc, "smmus", inv.smmus.size(), [&](size_t i) { element(smmu_to_json(inv.smmus[i])); })) {
    return false;
  }
  doc.close();
  piece += '\n';
  return flush();
}

std::string inventory_json_text(const Inventory& inv) {
  std::string out;
  write_inventory_json(inv, [&](std::string_view piece) {
    out += piece;
    return true;
  });
  return out;
}

std::string inventory_to_table(const Inventory& inv) {
  std::string out;
  auto header = "  BDF           VENDOR     CLASS   DRIVER                 VFIO     ASSIGNABLE\n";
  for (size_t i = 0; i < inv.smmus.size(); ++i) {
    const auto& s = inv.smmus[i];
    out += text_format("%s  (base %s, numa node %d)\n", s.name.c_str(), hex(s.base).c_str(), s.numa_node);
    out += caps_line(s);
    bool any = false;
    for (const auto& d : inv.devices) {
      if (d.smmu != i) continue;
      if (!any) out += header;
      out += device_line(d);
      any = true;
    }
    if (!any) out += "  (no PCI devices)\n";
    out += "\n";
  }
  bool any = false;
  for (const auto& d : inv.devices) {
    if (d.smmu) continue;
    if (!any) out += std::string("behind no SMMUv3\n") + header;
    out += device_line(d);
    any = true;
  }
  size_t assignable = 0;
  for (const auto& d : inv.devices) assignable += d.assignable;
  out += text_format("%s%zu SMMUv3, %zu PCI devices, %zu assignable\n", any ? "\n" : "", inv.smmus.size(),
                     inv.devices.size(), assignable);
  out += inv.iort_note + "\n";
  return out;
}

}  // namespace smmu
