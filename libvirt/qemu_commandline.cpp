#include "libvirt/qemu_commandline.h"

#include <set>

#include "libvirt/qemu_override.h"

namespace smmu {
namespace {

constexpr const char* kHighmem = "highmem-mmio-size=";
constexpr const char* kGenericInitiator = "acpi-generic-initiator,";

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// The value of `key=` in a QEMU option string "type,a=1,key=2".
std::string field(const std::string& options, const std::string& key) {
  size_t at = options.find("," + key + "=");
  if (at == std::string::npos) return {};
  at += key.size() + 2;
  return options.substr(at, options.find(',', at) - at);
}

bool sets_highmem(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (starts_with(a, kHighmem)) return true;
  }
  return false;
}

// The NUMA node ids `-numa` and acpi-generic-initiator options give.
std::set<std::string> node_ids(const std::vector<std::string>& values) {
  std::set<std::string> ids;
  for (size_t i = 0; i + 1 < values.size(); ++i) {
    if (values[i] == "-numa" && starts_with(values[i + 1], "node,")) ids.insert(field(values[i + 1], "nodeid"));
    if (values[i] == "-object" && starts_with(values[i + 1], kGenericInitiator)) {
      ids.insert(field(values[i + 1], "node"));
    }
  }
  ids.erase("");
  return ids;
}

// The operator's own -numa nodes and generic initiators may not use the
// plan's GPU nodes: QEMU refuses a node given twice, and the next apply
// could not tell theirs from ours.
Status check_nodes_free(const std::vector<std::string>& theirs, const std::vector<std::string>& args) {
  const std::set<std::string> ours = node_ids(args);
  for (const auto& id : node_ids(theirs)) {
    if (ours.count(id)) {
      return make_error(ErrorKind::DomainXml,
                        "domain XML: its <qemu:commandline> already gives NUMA node " + id +
                            ", a GPU node of the plan; plan the GPU nodes above the domain's own "
                            "(--gpu-first-numa-node) or remove that node");
    }
  }
  return Ok{};
}

// An acpi-generic-initiator option whose id has our prefix.
bool is_our_initiator(const std::string& value, const std::string& our_prefix) {
  return starts_with(value, kGenericInitiator) && starts_with(field(value, "id"), our_prefix);
}

// The positions of our earlier arguments in `values`: our generic
// initiators, the -numa nodes they name, and a -machine highmem-mmio-size=
// when `args` gives one.
std::set<size_t> our_arguments(const std::vector<std::string>& values, const std::string& our_prefix,
                               const std::vector<std::string>& args) {
  // Our generic initiators first: the -numa nodes to drop are those they name.
  std::set<std::string> our_nodes;
  std::set<size_t> ours;
  for (size_t i = 0; i + 1 < values.size(); ++i) {
    if (values[i] == "-object" && is_our_initiator(values[i + 1], our_prefix)) {
      our_nodes.insert(field(values[i + 1], "node"));
      ours.insert({i, i + 1});
    }
  }
  for (size_t i = 0; i + 1 < values.size(); ++i) {
    bool numa = values[i] == "-numa" && starts_with(values[i + 1], "node,nodeid=") &&
                our_nodes.count(values[i + 1].substr(12)) > 0;
    bool highmem = values[i] == "-machine" && starts_with(values[i + 1], kHighmem) && sets_highmem(args);
    if (numa || highmem) ours.insert({i, i + 1});
  }
  return ours;
}

// What stays of the operator's must hold nothing of ours, or the next
// apply would find (and drop) what this one kept: a generic initiator of
// ours out of its pair, or a pair that removing ours made adjacent
// ("-object" "-object" "<ours>" "<ours>" leaves "-object" "<ours>"). An
// operator's own use of our ids stays (`-set device.ua-smmuplan-dev0.x=y`).
Status check_nothing_of_ours_kept(const std::vector<std::string>& theirs, const std::string& our_prefix,
                                  const std::vector<std::string>& args) {
  auto adjacent = our_arguments(theirs, our_prefix, args);
  for (size_t i = 0; i < theirs.size(); ++i) {
    if (adjacent.count(i) || is_our_initiator(theirs[i], our_prefix)) {
      return make_error(ErrorKind::DomainXml, "domain XML: its <qemu:commandline> has an argument '" + theirs[i] +
                                                  "' of smmu-plan's out of place (its pair broken); remove it, "
                                                  "an apply writes its own");
    }
  }
  return Ok{};
}

}  // namespace

Status set_qemu_commandline(pugi::xml_node domain, const std::string& our_prefix,
                            const std::vector<std::string>& args) {
  const std::string q = qemu_namespace_prefix(domain, !args.empty());
  const std::string name = q + "commandline", arg_name = q + "arg";
  pugi::xml_node line = domain.child(name.c_str());
  if (line) {
    std::vector<pugi::xml_node> items;
    std::vector<std::string> values;
    for (auto a : line.children(arg_name.c_str())) {
      items.push_back(a);
      values.emplace_back(a.attribute("value").value());
    }
    const std::set<size_t> doomed = our_arguments(values, our_prefix, args);
    std::vector<std::string> theirs;
    for (size_t i = 0; i < values.size(); ++i) {
      if (!doomed.count(i)) theirs.push_back(values[i]);
    }
    SMMU_CHECK(check_nothing_of_ours_kept(theirs, our_prefix, args));
    SMMU_CHECK(check_nodes_free(theirs, args));
    for (size_t i : doomed) line.remove_child(items[i]);
  }
  if (args.empty()) {
    if (line && !line.first_child()) domain.remove_child(line);
    return Ok{};
  }
  if (!line) line = domain.append_child(name.c_str());
  for (const auto& a : args) line.append_child(arg_name.c_str()).append_attribute("value") = a.c_str();
  return Ok{};
}

}  // namespace smmu
