// iort_to_text(), iort_to_json(), diff_iort(): three views of one list of
// named fields per node, so the dump, the JSON and the diff never disagree.
#include "emit/iort.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace smmu {
namespace {

enum class Style { Dec, Hex, Address };

struct Field {
  std::string name;
  uint64_t value;
  Style style;
};

std::string format(uint64_t v, Style style) {
  const char* fmt = style == Style::Dec ? "%llu" : style == Style::Hex ? "0x%llx" : "0x%08llx";
  char buf[24];
  std::snprintf(buf, sizeof buf, fmt, static_cast<unsigned long long>(v));
  return buf;
}

bool is_known(uint8_t type) { return type == 0 || type == 2 || type == 4 || type == 6; }

std::string type_title(uint8_t type) {
  switch (type) {
    case 0: return "ITS group";
    case 2: return "Root complex";
    case 4: return "SMMUv3";
    case 6: return "RMR";
    default: return "Type " + std::to_string(type);
  }
}

std::string type_key(uint8_t type) {
  switch (type) {
    case 0: return "its_group";
    case 2: return "root_complex";
    case 4: return "smmuv3";
    case 6: return "rmr";
    default: return "unknown";
  }
}

std::string node_title(const IortNode& n) {
  return type_title(n.type) + " node @" + format(n.offset, Style::Hex);
}

// The node's own fields (not its arrays), in table order.
std::vector<Field> scalar_fields(const IortNode& n) {
  std::vector<Field> f = {{"length", n.length, Style::Dec},
                          {"revision", n.revision, Style::Dec},
                          {"identifier", n.identifier, Style::Dec}};
  auto add = [&](std::vector<Field> more) { f.insert(f.end(), more.begin(), more.end()); };
  switch (n.type) {
    case 4:
      add({{"base", n.base, Style::Address},
           {"flags", n.smmu_flags, Style::Hex},
           {"model", n.model, Style::Dec},
           {"gsiv_event", n.gsiv_event, Style::Hex},
           {"gsiv_pri", n.gsiv_pri, Style::Hex},
           {"gsiv_gerr", n.gsiv_gerr, Style::Hex},
           {"gsiv_sync", n.gsiv_sync, Style::Hex},
           {"proximity_domain", n.proximity_domain, Style::Dec},
           {"device_id_mapping_index", n.device_id_mapping_index, Style::Dec}});
      break;
    case 2:
      add({{"cca", n.cca, Style::Dec},
           {"alloc_hints", n.alloc_hints, Style::Hex},
           {"mem_access_flags", n.mem_access_flags, Style::Hex},
           {"ats_attribute", n.ats_attribute, Style::Dec},
           {"pci_segment", n.pci_segment, Style::Dec},
           {"memory_address_limit", n.memory_address_limit, Style::Dec}});
      break;
    case 6: add({{"flags", n.rmr_flags, Style::Hex}}); break;
    default: break;
  }
  return f;
}

std::vector<Field> mapping_fields(const IortIdMapping& m) {
  return {{"input_base", m.input_base, Style::Hex},
          {"id_count", m.id_count, Style::Hex},
          {"output_base", m.output_base, Style::Hex},
          {"output_ref", m.output_ref, Style::Hex},
          {"flags", m.flags, Style::Hex}};
}

std::vector<Field> range_fields(const IortNode::MemoryRange& r) {
  return {{"base", r.base, Style::Address}, {"length", r.length, Style::Hex}};
}

// Every field of the node, arrays flattened as "mapping[1].output_ref".
std::vector<Field> flat_fields(const IortNode& n) {
  std::vector<Field> f = scalar_fields(n);
  auto add_element = [&](const std::string& prefix, const std::vector<Field>& element) {
    for (const auto& e : element) f.push_back({prefix + "." + e.name, e.value, e.style});
  };
  for (size_t i = 0; i < n.its_ids.size(); ++i)
    f.push_back({"its_id[" + std::to_string(i) + "]", n.its_ids[i], Style::Dec});
  for (size_t i = 0; i < n.rmr_ranges.size(); ++i)
    add_element("memory_range[" + std::to_string(i) + "]", range_fields(n.rmr_ranges[i]));
  for (size_t i = 0; i < n.mappings.size(); ++i)
    add_element("mapping[" + std::to_string(i) + "]", mapping_fields(n.mappings[i]));
  return f;
}

nlohmann::json to_json_object(const std::vector<Field>& fields) {
  auto j = nlohmann::json::object();
  for (const auto& f : fields) j[f.name] = f.value;
  return j;
}

nlohmann::json node_to_json(const IortNode& n) {
  nlohmann::json j = {{"offset", n.offset}, {"type", type_key(n.type)}};
  if (!is_known(n.type)) j["type_code"] = n.type;
  j.update(to_json_object(scalar_fields(n)));
  if (n.type == 0) j["its_ids"] = n.its_ids;
  if (n.type == 6) {
    j["memory_ranges"] = nlohmann::json::array();
    for (const auto& r : n.rmr_ranges) j["memory_ranges"].push_back(to_json_object(range_fields(r)));
  }
  if (is_known(n.type)) {
    j["mappings"] = nlohmann::json::array();
    for (const auto& m : n.mappings) j["mappings"].push_back(to_json_object(mapping_fields(m)));
  }
  return j;
}

const Field* find_field(const std::vector<Field>& fields, const std::string& name) {
  for (const auto& f : fields)
    if (f.name == name) return &f;
  return nullptr;
}

std::string value_or_absent(const Field* f) { return f ? format(f->value, f->style) : "(absent)"; }

// Field-by-field differences of two nodes of the same type.
void diff_fields(const IortNode& e, const IortNode& a, std::vector<std::string>& out) {
  const std::string title = node_title(e) + ": ";
  if (e.offset != a.offset)
    out.push_back(title + "offset " + format(e.offset, Style::Hex) + " != " +
                  format(a.offset, Style::Hex));
  const auto expected = flat_fields(e), actual = flat_fields(a);
  for (const auto& f : expected) {
    const Field* other = find_field(actual, f.name);
    if (!other || other->value != f.value)
      out.push_back(title + f.name + " " + format(f.value, f.style) + " != " + value_or_absent(other));
  }
  for (const auto& f : actual)
    if (!find_field(expected, f.name))
      out.push_back(title + f.name + " (absent) != " + format(f.value, f.style));
}

}  // namespace

std::string iort_to_text(const IortTable& table) {
  std::string out = "IORT\n";
  out += "  length: " + std::to_string(table.length) + "\n";
  out += "  revision: " + std::to_string(table.revision) + "\n";
  out += "  oem_id: \"" + table.oem_id + "\"\n";
  out += "  oem_table_id: \"" + table.oem_table_id + "\"\n";
  out += "  node_count: " + std::to_string(table.nodes.size()) + "\n";
  for (const auto& n : table.nodes) {
    out += node_title(n) + "\n";
    for (const auto& f : flat_fields(n)) out += "  " + f.name + ": " + format(f.value, f.style) + "\n";
  }
  return out;
}

nlohmann::json iort_to_json(const IortTable& table) {
  nlohmann::json j = {{"length", table.length},
                      {"revision", table.revision},
                      {"oem_id", table.oem_id},
                      {"oem_table_id", table.oem_table_id},
                      {"nodes", nlohmann::json::array()}};
  for (const auto& n : table.nodes) j["nodes"].push_back(node_to_json(n));
  return j;
}

std::vector<std::string> diff_iort(const IortTable& expected, const IortTable& actual) {
  std::vector<std::string> out;
  const auto& e = expected.nodes;
  const auto& a = actual.nodes;
  if (e.size() != a.size())
    out.push_back("node count " + std::to_string(e.size()) + " != " + std::to_string(a.size()));
  for (size_t i = 0; i < std::max(e.size(), a.size()); ++i) {
    if (i >= a.size()) {
      out.push_back(node_title(e[i]) + ": missing from actual");
    } else if (i >= e.size()) {
      out.push_back(node_title(a[i]) + ": not in expected");
    } else if (e[i].type != a[i].type) {
      out.push_back(node_title(e[i]) + ": type " + type_title(e[i].type) + " != " +
                    type_title(a[i].type));
    } else {
      diff_fields(e[i], a[i], out);
    }
  }
  return out;
}

}  // namespace smmu
