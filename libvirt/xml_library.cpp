#include "libvirt/xml_library.h"

#include <string>

#include "common/shared_library.h"

namespace smmu {
namespace {

Result<LibXml2> open_libxml2(const char* soname) {
  SMMU_TRY(library, SharedLibrary::open(soname, ErrorKind::DomainXml,
                                        "reading domain XML as libvirt does needs libxml2", "libxml2"));
  LibXml2 x{};
  library.resolve("xmlNewParserCtxt", x.new_parser_ctxt);
  library.resolve("xmlFreeParserCtxt", x.free_parser_ctxt);
  library.resolve("xmlCtxtReadMemory", x.ctxt_read_memory);
  library.resolve("xmlCtxtGetLastError", x.ctxt_get_last_error);
  library.resolve("xmlReadFile", x.read_file);
  library.resolve("xmlReadMemory", x.read_memory);
  library.resolve("xmlFreeDoc", x.free_doc);
  library.resolve("xmlSetStructuredErrorFunc", x.set_structured_error_func);
  library.resolve("xmlXPathNewContext", x.xpath_new_context);
  library.resolve("xmlXPathFreeContext", x.xpath_free_context);
  library.resolve("xmlXPathEvalExpression", x.xpath_eval_expression);
  library.resolve("xmlXPathFreeObject", x.xpath_free_object);
  library.resolve("xmlRelaxNGNewParserCtxt", x.relaxng_new_parser_ctxt);
  library.resolve("xmlRelaxNGFreeParserCtxt", x.relaxng_free_parser_ctxt);
  library.resolve("xmlRelaxNGParse", x.relaxng_parse);
  library.resolve("xmlRelaxNGFree", x.relaxng_free);
  library.resolve("xmlRelaxNGNewValidCtxt", x.relaxng_new_valid_ctxt);
  library.resolve("xmlRelaxNGFreeValidCtxt", x.relaxng_free_valid_ctxt);
  library.resolve("xmlRelaxNGValidateDoc", x.relaxng_validate_doc);
  if (!library.missing().empty()) {
    return make_error(ErrorKind::DomainXml, std::string(soname) + " has no " + library.missing() +
                                                "; smmu-plan needs libxml2 >= 2.9");
  }
  return x;
}

}  // namespace

Result<const LibXml2*> load_libxml2(const char* soname) { return load_once(soname, &open_libxml2); }

}  // namespace smmu
