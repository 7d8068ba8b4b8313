#include "libvirt/schema_check.h"

#include <memory>
#include <vector>

#include "libvirt/features.h"
#include "libvirt/xml_library.h"

namespace smmu {
namespace {

Error bad(const std::string& what) { return make_error(ErrorKind::DomainXml, what); }

// Owns what libxml2 made, freed by libxml2's own call for it.
template <typename T>
using Owned = std::unique_ptr<T, void (*)(T*)>;

bool schema_has(const LibXml2& x, xmlDoc* doc, const char* xpath) {
  Owned<xmlXPathContext> ctx(x.xpath_new_context(doc), x.xpath_free_context);
  Owned<xmlXPathObject> found(x.xpath_eval_expression(reinterpret_cast<const xmlChar*>(xpath), ctx.get()),
                              x.xpath_free_object);
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

Status check_version(const LibXml2& x, const std::string& schema_dir, EmitForm form) {
  for (const auto& f : libvirt_features::kAll) {
    if (!libvirt_features::used_by(f, form)) continue;
    std::string file = schema_dir + "/" + f.schema_file;
    Owned<xmlDoc> doc(x.read_file(file.c_str(), nullptr, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING),
                      x.free_doc);
    if (!doc) return bad("no libvirt schema at " + file + " (is libvirt installed?)");
    if (!schema_has(x, doc.get(), f.xpath)) {
      return bad("the libvirt on this machine (schemas in " + schema_dir + ") is too old: " +
                 f.what + " needs libvirt >= " + libvirt_features::release(f.since));
    }
  }
  return Ok{};
}

}  // namespace

Status check_domain_xml(const std::string& xml, EmitForm form, const std::string& schema_dir) {
  SMMU_TRY(x, load_libxml2());
  SMMU_CHECK(check_version(*x, schema_dir, form));
  Messages messages;
  x->set_structured_error_func(&messages, reinterpret_cast<xmlStructuredErrorFunc>(&Messages::collect));
  struct Restore {
    const LibXml2* x;
    ~Restore() { x->set_structured_error_func(nullptr, nullptr); }
  } restore{x};

  std::string rng = schema_dir + "/domain.rng";
  Owned<xmlRelaxNGParserCtxt> pctx(x->relaxng_new_parser_ctxt(rng.c_str()), x->relaxng_free_parser_ctxt);
  Owned<xmlRelaxNG> schema(pctx ? x->relaxng_parse(pctx.get()) : nullptr, x->relaxng_free);
  if (!schema) return bad("cannot load libvirt's schema " + rng);
  Owned<xmlDoc> doc(x->read_memory(xml.data(), static_cast<int>(xml.size()), "domain.xml", nullptr,
                                   XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING),
                    x->free_doc);
  if (!doc) return bad("domain XML is not well-formed");
  Owned<xmlRelaxNGValidCtxt> vctx(x->relaxng_new_valid_ctxt(schema.get()), x->relaxng_free_valid_ctxt);
  messages.lines.clear();
  if (x->relaxng_validate_doc(vctx.get(), doc.get()) != 0) {
    return bad("the domain XML does not validate against " + rng + ": " +
               (messages.lines.empty() ? "invalid" : messages.lines.front()));
  }
  return Ok{};
}

}  // namespace smmu
