#include "tests/xml_edit.h"

#include <gtest/gtest.h>

#include <sstream>

namespace smmu::test {

std::string edited_xml(const std::string& xml, const std::function<void(pugi::xml_node)>& edit) {
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_string(xml.c_str())) << xml;
  edit(doc.document_element());
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw | pugi::format_no_declaration);
  return out.str();
}

}  // namespace smmu::test
