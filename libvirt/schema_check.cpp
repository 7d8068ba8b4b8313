#include "libvirt/schema_check.h"

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xpath.h>

#include <memory>
#include <vector>

#include "libvirt/features.h"

namespace smmu {
namespace {

Error bad(const std::string& what) { return make_error(ErrorKind::DomainXml, what); }

template <typename T, void (*Free)(T*)>
struct Freer {
  void operator()(T* p) const { Free(p); }
};
using Doc = std::unique_ptr<xmlDoc, Freer<xmlDoc, xmlFreeDoc>>;

bool schema_has(xmlDoc* doc, const char* xpath) {
  std::unique_ptr<xmlXPathContext, Freer<xmlXPathContext, xmlXPathFreeContext>> ctx(
      xmlXPathNewContext(doc));
  std::unique_ptr<xmlXPathObject, Freer<xmlXPathObject, xmlXPathFreeObject>> found(
      xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(xpath), ctx.get()));
  return found && found->nodesetval && found->nodesetval->nodeNr > 0;
}

// Collects libxml2's messages instead of letting it print them.
struct Messages {
  std::vector<std::string> lines;
  static void collect(void* self, const xmlError* e) {
    std::string msg = e && e->message ? e->message : "unknown error";
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    if (e && e->line > 0) msg += " (line " + std::to_string(e->line) + ")";
    static_cast<Messages*>(self)->lines.push_back(msg);
  }
};

Status check_version(const std::string& schema_dir, EmitForm form) {
  for (const auto& f : libvirt_features::kAll) {
    if (!libvirt_features::used_by(f, form)) continue;
    std::string file = schema_dir + "/" + f.schema_file;
    Doc doc(xmlReadFile(file.c_str(), nullptr, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
    if (!doc) return bad("no libvirt schema at " + file + " (is libvirt installed?)");
    if (!schema_has(doc.get(), f.xpath)) {
      return bad("the libvirt on this machine (schemas in " + schema_dir + ") is too old: " +
                 f.what + " needs libvirt >= " + libvirt_features::release(f.since));
    }
  }
  return Ok{};
}

}  // namespace

Status check_domain_xml(const std::string& xml, EmitForm form, const std::string& schema_dir) {
  SMMU_CHECK(check_version(schema_dir, form));
  Messages messages;
  xmlSetStructuredErrorFunc(&messages, reinterpret_cast<xmlStructuredErrorFunc>(&Messages::collect));
  struct Restore {
    ~Restore() { xmlSetStructuredErrorFunc(nullptr, nullptr); }
  } restore;

  std::string rng = schema_dir + "/domain.rng";
  std::unique_ptr<xmlRelaxNGParserCtxt, Freer<xmlRelaxNGParserCtxt, xmlRelaxNGFreeParserCtxt>> pctx(
      xmlRelaxNGNewParserCtxt(rng.c_str()));
  std::unique_ptr<xmlRelaxNG, Freer<xmlRelaxNG, xmlRelaxNGFree>> schema(
      pctx ? xmlRelaxNGParse(pctx.get()) : nullptr);
  if (!schema) return bad("cannot load libvirt's schema " + rng);
  Doc doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "domain.xml", nullptr,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
  if (!doc) return bad("domain XML is not well-formed");
  std::unique_ptr<xmlRelaxNGValidCtxt, Freer<xmlRelaxNGValidCtxt, xmlRelaxNGFreeValidCtxt>> vctx(
      xmlRelaxNGNewValidCtxt(schema.get()));
  messages.lines.clear();
  if (xmlRelaxNGValidateDoc(vctx.get(), doc.get()) != 0) {
    return bad("the domain XML does not validate against " + rng + ": " +
               (messages.lines.empty() ? "invalid" : messages.lines.front()));
  }
  return Ok{};
}

}  // namespace smmu
