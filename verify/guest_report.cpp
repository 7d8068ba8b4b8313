#include "verify/guest_report.h"

#include <cctype>
#include <cstdio>
#include <sstream>

#include "common/node_list.h"

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

}  // namespace

Result<std::vector<SmmuMapEntry>> parse_smmu_map(const std::string& text) {
  std::vector<SmmuMapEntry> entries;
  std::istringstream in(text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    line = strip_cr(line);
    if (line.empty() || line.rfind("===", 0) == 0) continue;
    std::istringstream fields(line);
    std::string smmu, bdf_text, extra;
    fields >> smmu >> bdf_text;
    auto bdf = parse_bdf(bdf_text);
    if (smmu.empty() || !bdf || (fields >> extra)) {
      return bad("SMMU map line " + std::to_string(n) + ": expected '<smmu> <bdf>', got '" +
                 line + "'");
    }
    entries.push_back({smmu, *bdf});
  }
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
  std::istringstream in(text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    line = strip_cr(line);
    std::string key = line.substr(0, line.find(' '));
    std::string value = key.size() < line.size() ? line.substr(key.size() + 1) : "";
    if (key.empty()) continue;
    auto nodes = parse_node_list(value);
    if (key == "has_generic_initiator" && nodes) {
      numa.generic_initiators = *nodes;
    } else if (key == "max_nodes" && nodes && nodes->size() == 1 && *nodes->begin() > 0) {
      numa.max_nodes = *nodes->begin();
    } else {
      return bad("NUMA line " + std::to_string(n) +
                 ": expected 'has_generic_initiator <nodes>' or 'max_nodes <n>', got '" + line + "'");
    }
  }
  return numa;
}

Result<std::vector<BridgeWindow>> parse_bridge_windows(const std::string& text) {
  std::vector<BridgeWindow> out;
  std::istringstream in(text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    line = strip_cr(line);
    if (line.empty()) continue;
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
  }
  return out;
}

Result<GuestReport> parse_console_log(const std::string& log) {
  GuestReport report;
  auto iort = section(log, "IORT");
  if (!iort) return bad("the guest printed no IORT section");
  SMMU_TRY(bytes, parse_hex_bytes(*iort, "IORT"));
  report.iort = std::move(bytes);
  if (auto map = section(log, "SMMU-MAP")) {
    SMMU_TRY(entries, parse_smmu_map(*map));
    report.smmu_map = std::move(entries);
  }
  if (auto pci = section(log, "PCI")) {
    SMMU_TRY(list, parse_pci_list(*pci));
    report.pci = std::move(list);
  }
  if (auto srat = section(log, "SRAT")) {
    SMMU_TRY(bytes, parse_hex_bytes(*srat, "SRAT"));
    report.srat = std::move(bytes);
  }
  if (auto numa = section(log, "NUMA")) {
    SMMU_TRY(parsed, parse_guest_numa(*numa));
    report.numa = std::move(parsed);
  }
  if (auto windows = section(log, "BRIDGE-WINDOWS")) {
    SMMU_TRY(parsed, parse_bridge_windows(*windows));
    report.bridge_windows = std::move(parsed);
  }
  return report;
}

}  // namespace smmu
