#include "libvirt/xml_bounds.h"

#include <gtest/gtest.h>

#include <string>

namespace smmu {
namespace {

Status bounds_of(const std::string& xml) {
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_string(xml.c_str()));
  return check_xml_bounds(doc);
}

TEST(XmlBounds, DeepOrHugeDocumentsAreRefusedBeforeAnyWalk) {
  EXPECT_TRUE(bounds_of("<domain><devices><hostdev><source><address/></source></hostdev></devices></domain>"));
  std::string deep;
  for (int i = 0; i < 10000; ++i) deep += "<a>";
  for (int i = 0; i < 10000; ++i) deep += "</a>";
  auto d = bounds_of(deep);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().kind, ErrorKind::DomainXml);
  EXPECT_EQ(d.error().message, "domain XML: nested deeper than 64 levels; no libvirt domain is");
  std::string wide = "<domain>";
  for (int i = 0; i < 30000; ++i) wide += "<x/>";
  wide += "</domain>";
  auto w = bounds_of(wide);
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().message, "domain XML: more than 20000 nodes; no libvirt domain has that many");
  // 64 levels below the document are fine.
  std::string at_limit;
  for (int i = 0; i < 63; ++i) at_limit += "<a>";
  for (int i = 0; i < 63; ++i) at_limit += "</a>";
  EXPECT_TRUE(bounds_of(at_limit));
}

}  // namespace
}  // namespace smmu
