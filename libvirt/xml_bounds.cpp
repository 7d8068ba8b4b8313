#include "libvirt/xml_bounds.h"

#include <string>
#include <utility>
#include <vector>

namespace smmu {

Status check_xml_bounds(const pugi::xml_document& doc) {
  // Iterative: a recursive walk would itself overflow the stack on deep input.
  std::vector<std::pair<pugi::xml_node, size_t>> stack = {{doc, 0}};
  size_t nodes = 0;
  while (!stack.empty()) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    if (++nodes > kMaxDomainXmlNodes) {
      return make_error(ErrorKind::DomainXml, "domain XML: more than " + std::to_string(kMaxDomainXmlNodes) +
                                                  " nodes; no libvirt domain has that many");
    }
    if (depth > kMaxDomainXmlDepth) {
      return make_error(ErrorKind::DomainXml, "domain XML: nested deeper than " +
                                                  std::to_string(kMaxDomainXmlDepth) +
                                                  " levels; no libvirt domain is");
    }
    for (auto child : node.children()) stack.emplace_back(child, depth + 1);
  }
  return Ok{};
}

}  // namespace smmu
