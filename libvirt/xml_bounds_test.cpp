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

// What pugixml reads but libxml2, and so libvirt, refuses.
TEST(XmlBounds, WhatLibvirtWouldNotReadIsNotWellFormed) {
  EXPECT_TRUE(check_well_formed("<domain><devices/></domain>"));
  // Entities stay references: neither substituted nor fetched.
  EXPECT_TRUE(check_well_formed("<!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><domain>&x;</domain>"));
  pugi::xml_document doc;
  const std::string lt = "<domain><controller type=\"p<x/>ci\"/></domain>";
  ASSERT_TRUE(doc.load_string(lt.c_str())) << "pugixml reads it";
  auto s = check_well_formed(lt);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().kind, ErrorKind::DomainXml);
  EXPECT_EQ(s.error().message.rfind("domain XML is not well-formed: ", 0), 0u) << s.error().message;
  EXPECT_NE(s.error().message.find("(line 1)"), std::string::npos) << s.error().message;
  const std::string twice = "<domain>\n<alias name='a' name='ua-smmuplan-pxb0'/></domain>";
  ASSERT_TRUE(doc.load_string(twice.c_str())) << "pugixml reads it";
  auto t = check_well_formed(twice);
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().message.find("(line 2)"), std::string::npos) << t.error().message;
  EXPECT_FALSE(check_well_formed(""));
}

// Found by fuzz.domain_merge: a prefix that is no XML name binding QEMU's
// namespace. libxml2 keeps the document, so the namespace check refuses it.
TEST(XmlBounds, NamespaceErrorsAreRefused) {
  const std::string digit =
      "<domain xmlns:8qemu='http://libvirt.org/schemas/domain/qemu/1.0'><devices/></domain>";
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(digit.c_str())) << "pugixml reads it";
  auto s = check_well_formed(digit);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message.rfind("domain XML is not namespace-well-formed: ", 0), 0u) << s.error().message;
  EXPECT_NE(s.error().message.find("(line 1)"), std::string::npos) << s.error().message;
  auto undeclared = check_well_formed("<domain><qemu:commandline/></domain>");
  ASSERT_FALSE(undeclared);
  EXPECT_NE(undeclared.error().message.find("namespace-well-formed"), std::string::npos);
  EXPECT_TRUE(check_well_formed(
      "<domain xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'><qemu:commandline/></domain>"));
}

}  // namespace
}  // namespace smmu
