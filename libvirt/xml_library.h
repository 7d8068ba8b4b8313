// libxml2 (libxml2.so.2), loaded the first time a command checks domain XML
// the way libvirt reads it (xml_bounds.h, schema_check.h) and not before:
// linked, it brought ICU, liblzma and zlib, about 70 page faults, into every
// run, `--version` and the probe included (docs/performance.md). The
// declarations are libxml2's own headers; only the calls are looked up.
#pragma once

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>

#include "common/result.h"

namespace smmu {

struct LibXml2 {
  decltype(&::xmlNewParserCtxt) new_parser_ctxt;
  decltype(&::xmlFreeParserCtxt) free_parser_ctxt;
  decltype(&::xmlCtxtReadMemory) ctxt_read_memory;
  decltype(&::xmlCtxtGetLastError) ctxt_get_last_error;
  decltype(&::xmlReadFile) read_file;
  decltype(&::xmlReadMemory) read_memory;
  decltype(&::xmlFreeDoc) free_doc;
  decltype(&::xmlSetStructuredErrorFunc) set_structured_error_func;
  decltype(&::xmlXPathNewContext) xpath_new_context;
  decltype(&::xmlXPathFreeContext) xpath_free_context;
  decltype(&::xmlXPathEvalExpression) xpath_eval_expression;
  decltype(&::xmlXPathFreeObject) xpath_free_object;
  decltype(&::xmlRelaxNGNewParserCtxt) relaxng_new_parser_ctxt;
  decltype(&::xmlRelaxNGFreeParserCtxt) relaxng_free_parser_ctxt;
  decltype(&::xmlRelaxNGParse) relaxng_parse;
  decltype(&::xmlRelaxNGFree) relaxng_free;
  decltype(&::xmlRelaxNGNewValidCtxt) relaxng_new_valid_ctxt;
  decltype(&::xmlRelaxNGFreeValidCtxt) relaxng_free_valid_ctxt;
  decltype(&::xmlRelaxNGValidateDoc) relaxng_validate_doc;
};

// The soname of the libxml2 built against (CMakeLists.txt).
inline constexpr const char* kLibXml2 = SMMU_LIBXML2_SONAME;

// `soname`, loaded once per process and kept loaded (a later call with the
// same name returns the same table). ErrorKind::DomainXml, naming the
// library and the Debian package that ships it, when it is not installed or
// lacks a call.
Result<const LibXml2*> load_libxml2(const char* soname = kLibXml2);

}  // namespace smmu
