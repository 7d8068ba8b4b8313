#include "libvirt/xml_bounds.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "libvirt/xml_library.h"

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

Status check_well_formed(const std::string& xml) {
  SMMU_TRY(x, load_libxml2());
  std::unique_ptr<xmlParserCtxt, decltype(x->free_parser_ctxt)> ctxt(x->new_parser_ctxt(), x->free_parser_ctxt);
  if (!ctxt) return make_error(ErrorKind::DomainXml, "domain XML: cannot start libxml2");
  // Only whether it is well-formed is asked, never the tree: libxml2's
  // parser checks it (and namespaces) whatever the SAX handlers build, so
  // the element and text handlers go. The DTD handlers stay, so declared
  // entities are known as libvirt knows them. For the hook, which libvirt
  // starts for every guest, that spares most of the parse's memory.
  xmlSAXHandler* sax = ctxt->sax;
  sax->startElementNs = nullptr;
  sax->endElementNs = nullptr;
  sax->startElement = nullptr;
  sax->endElement = nullptr;
  sax->characters = nullptr;
  sax->ignorableWhitespace = nullptr;
  sax->cdataBlock = nullptr;
  sax->comment = nullptr;
  sax->processingInstruction = nullptr;
  sax->reference = nullptr;
  std::unique_ptr<xmlDoc, decltype(x->free_doc)> doc(
      x->ctxt_read_memory(ctxt.get(), xml.data(), static_cast<int>(xml.size()), "domain.xml", nullptr,
                          XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING),
      x->free_doc);
  if (doc && ctxt->wellFormed && ctxt->nsWellFormed) return Ok{};
  // A namespace error (a prefix that is no XML name, or one never declared)
  // leaves libxml2's document readable, but not as its author meant: an
  // `xmlns:8qemu` is then a plain attribute, and a merge that reused the
  // prefix would write elements no parser reads. Refused like the rest.
  const char* what = doc && ctxt->wellFormed ? "namespace-well-formed" : "well-formed";
  const xmlError* e = x->ctxt_get_last_error(ctxt.get());
  std::string why = e && e->message ? e->message : "unreadable";
  while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
  if (e && e->line > 0) why += " (line " + std::to_string(e->line) + ")";
  return make_error(ErrorKind::DomainXml, std::string("domain XML is not ") + what + ": " + why);
}

Status load_domain(pugi::xml_document& doc, const std::string& xml) {
  auto refuse = [](const std::string& why) { return make_error(ErrorKind::DomainXml, "domain XML: " + why); };
  if (xml.size() > kMaxDomainXmlBytes) {
    return refuse("larger than " + std::to_string(kMaxDomainXmlBytes) + " bytes; no libvirt domain is");
  }
  auto parsed = doc.load_string(xml.c_str(), pugi::parse_default | pugi::parse_comments);
  if (!parsed) return refuse(std::string(parsed.description()) + " at byte " + std::to_string(parsed.offset));
  SMMU_CHECK(check_xml_bounds(doc));
  SMMU_CHECK(check_well_formed(xml));
  if (std::string(doc.document_element().name()) != "domain") return refuse("the root element is not <domain>");
  return Ok{};
}

}  // namespace smmu
