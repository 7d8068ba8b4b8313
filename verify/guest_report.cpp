#include "verify/guest_report.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <sstream>

#include "common/node_list.h"
#include "common/printable.h"

namespace smmu {
namespace {

Error bad(const std::string& what) { return make_error(ErrorKind::GuestReport, what); }

std::string strip_cr(std::string line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

// The lines between "=== <name> BEGIN" and "=== <name> END".
std::optional<std::string> section(const std::string& log, const std::string& name) {
  std::string begin = "=== " + name + " BEGIN", end = "=== " + name + " END";
  auto b = log.find(begin);
  if (b == std::string::npos) return std::nullopt;
  b = log.find('\n', b);
  auto e = log.find(end, b == std::string::npos ? log.size() : b);
  if (b == std::string::npos || e == std::string::npos) return std::nullopt;
  return log.substr(b + 1, e - b - 1);
}

// A table's hex dump ("IORT", "SRAT" names it in errors).
Result<std::vector<uint8_t>> parse_hex_bytes(const std::string& text, const std::string& table) {
  std::vector<uint8_t> bytes;
  std::istringstream in(text);
  std::string word;
  while (in >> word) {
    if (word.size() % 2 != 0) return bad(table + " hex dump: '" + word + "' is not whole bytes");
    for (size_t i = 0; i < word.size(); i += 2) {
      unsigned v = 0;
      if (std::sscanf(word.c_str() + i, "%2x", &v) != 1 || !std::isxdigit(word[i]) ||
          !std::isxdigit(word[i + 1])) {
        return bad(table + " hex dump: '" + word + "' is not hex");
      }
      bytes.push_back(static_cast<uint8_t>(v));
    }
  }
  return bytes;
}

// Calls `each(line, number)` for every line that is neither blank nor a
// "===" marker, carriage returns stripped; stops at its first error.
template <typename Each>
Status each_line(const std::string& text, Each each) {
  std::istringstream in(text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    line = strip_cr(line);
    if (line.empty() || line.rfind("===", 0) == 0) continue;
    SMMU_CHECK(each(line, n));
  }
  return Ok{};
}

// A section the guest may not print: parsed into `into` when it did.
template <typename T, typename Parse>
Status optional_section(const std::string& log, const std::string& name, std::optional<T>& into,
                        Parse parse) {
  auto text = section(log, name);
  if (!text) return Ok{};
  SMMU_TRY(parsed, parse(*text));
  into = std::move(parsed);
  return Ok{};
}

}  // namespace

Result<std::vector<SmmuMapEntry>> parse_smmu_map(const std::string& text) {
  std::vector<SmmuMapEntry> entries;
  SMMU_CHECK(each_line(text, [&](const std::string& line, int n) -> Status {
    std::istringstream fields(line);
    std::string smmu, bdf_text, extra;
    fields >> smmu >> bdf_text;
    auto bdf = parse_bdf(bdf_text);
    // Another byte (an ESC sequence of a hostile guest's) would reach the
    // differences verify prints on stdout.
    if (!is_kernel_name(smmu) || !bdf || (fields >> extra)) {
      return bad("SMMU map line " + std::to_string(n) + ": expected '<smmu> <bdf>', got '" +
                 line + "'");
    }
    entries.push_back({smmu, *bdf});
    return Ok{};
  }));
  return entries;
}

Result<std::vector<Bdf>> parse_pci_list(const std::string& text) {
  std::vector<Bdf> out;
  std::istringstream in(text);
  std::string word;
  while (in >> word) {
    if (word.rfind("===", 0) == 0) {
      std::getline(in, word);  // a marker line
      continue;
    }
    auto bdf = parse_bdf(word);
    if (!bdf) return bad("PCI list: '" + word + "' is not a PCI address");
    out.push_back(*bdf);
  }
  return out;
}

Result<GuestNuma> parse_guest_numa(const std::string& text) {
  GuestNuma numa;
  SMMU_CHECK(each_line(text, [&](const std::string& line, int n) -> Status {
    std::string key = line.substr(0, line.find(' '));
    std::string value = key.size() < line.size() ? line.substr(key.size() + 1) : "";
    auto nodes = parse_node_list(value);
    if (key == "has_generic_initiator" && nodes) {
      numa.generic_initiators = *nodes;
    } else if (key == "max_nodes" && nodes && nodes->size() == 1 && *nodes->begin() > 0) {
      numa.max_nodes = *nodes->begin();
    } else {
      return bad("NUMA line " + std::to_string(n) +
                 ": expected 'has_generic_initiator <nodes>' or 'max_nodes <n>', got '" + line + "'");
    }
    return Ok{};
  }));
  return numa;
}

Result<std::vector<BridgeWindow>> parse_bridge_windows(const std::string& text) {
  std::vector<BridgeWindow> out;
  SMMU_CHECK(each_line(text, [&](const std::string& line, int n) -> Status {
    std::istringstream fields(line);
    std::string bdf_text, extra;
    BridgeWindow w;
    fields >> bdf_text >> std::hex >> w.start >> w.end;
    auto bdf = parse_bdf(bdf_text);
    if (!bdf || fields.fail() || (fields >> extra) || w.end < w.start) {
      return bad("bridge window line " + std::to_string(n) + ": expected '<bdf> <start> <end>', got '" +
                 line + "'");
    }
    w.bdf = *bdf;
    out.push_back(w);
    return Ok{};
  }));
  return out;
}

Result<GuestReport> parse_console_log(const std::string& log) {
  GuestReport report;
  auto iort = section(log, "IORT");
  if (!iort) return bad("the guest printed no IORT section");
  SMMU_TRY(bytes, parse_hex_bytes(*iort, "IORT"));
  report.iort = std::move(bytes);
  SMMU_CHECK(optional_section(log, "SMMU-MAP", report.smmu_map, parse_smmu_map));
  SMMU_CHECK(optional_section(log, "PCI", report.pci, parse_pci_list));
  SMMU_CHECK(optional_section(log, "SRAT", report.srat,
                              [](const std::string& text) { return parse_hex_bytes(text, "SRAT"); }));
  SMMU_CHECK(optional_section(log, "NUMA", report.numa, parse_guest_numa));
  SMMU_CHECK(optional_section(log, "BRIDGE-WINDOWS", report.bridge_windows, parse_bridge_windows));
  return report;
}

const std::vector<std::string>& console_section_names() {
  static const std::vector<std::string> names = {"SMMU-MAP", "PCI", "IORT", "SRAT", "NUMA", "BRIDGE-WINDOWS"};
  return names;
}

Result<std::string> console_section_file(const std::string& log, const std::string& name) {
  const auto& names = console_section_names();
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    return bad("no report section is named '" + name + "'");
  }
  auto text = section(log, name);
  if (!text) return bad("the guest printed no " + name + " section");
  if (name == "IORT" || name == "SRAT") {
    SMMU_TRY(bytes, parse_hex_bytes(*text, name));
    return std::string(bytes.begin(), bytes.end());
  }
  // A line section: checked whole, by its parser.
  auto check = [](const auto& parsed) -> Status {
    if (!parsed) return parsed.error();
    return Ok{};
  };
  Status parsed = Ok{};
  if (name == "SMMU-MAP") parsed = check(parse_smmu_map(*text));
  if (name == "PCI") parsed = check(parse_pci_list(*text));
  if (name == "NUMA") parsed = check(parse_guest_numa(*text));
  if (name == "BRIDGE-WINDOWS") parsed = check(parse_bridge_windows(*text));
  if (!parsed) return parsed.error();
  std::string lines;
  SMMU_CHECK(each_line(*text, [&](const std::string& line, int) -> Status {
    lines += line + "\n";
    return Ok{};
  }));
  return lines;
}

}  // namespace smmu
