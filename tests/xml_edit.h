// For tests of what edits a libvirt domain: the text of an XML document
// after an edit of its root element.
#pragma once

#include <pugixml.hpp>

#include <functional>
#include <string>

namespace smmu::test {

// `xml` parsed (a failure fails the test), `edit` run on its root element,
// saved raw without a declaration.
std::string edited_xml(const std::string& xml, const std::function<void(pugi::xml_node)>& edit);

}  // namespace smmu::test
