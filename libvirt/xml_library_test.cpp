#include "libvirt/xml_library.h"

#include <gtest/gtest.h>

#include <string>

namespace smmu {
namespace {

// The build machine has libxml2 (libxml2-dev depends on it).
TEST(LibXml2Library, LoadsEveryCallOnce) {
  EXPECT_EQ(std::string(kLibXml2).rfind("libxml2.so.", 0), 0u) << kLibXml2;
  auto first = load_libxml2();
  ASSERT_TRUE(first) << first.error().message;
  const LibXml2& x = **first;
  EXPECT_NE(x.ctxt_read_memory, nullptr);
  EXPECT_NE(x.relaxng_validate_doc, nullptr);
  auto again = load_libxml2();
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *first) << "loaded once per process";
  // A real call through the table.
  const std::string xml = "<domain type='kvm'/>";
  xmlDoc* doc = x.read_memory(xml.data(), static_cast<int>(xml.size()), "t.xml", nullptr, XML_PARSE_NONET);
  ASSERT_NE(doc, nullptr);
  x.free_doc(doc);
}

TEST(LibXml2Library, MissingLibraryNamesThePackage) {
  auto r = load_libxml2("libxml2-not-installed.so.2");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::DomainXml);
  EXPECT_EQ(r.error().message.rfind("reading domain XML as libvirt does needs libxml2 (Debian package libxml2): ", 0),
            0u)
      << r.error().message;
  EXPECT_NE(r.error().message.find("libxml2-not-installed.so.2"), std::string::npos) << r.error().message;
}

// A library without libxml2's calls (libc) is refused by the first call missing.
TEST(LibXml2Library, LibraryWithoutTheCallsIsRefused) {
  auto r = load_libxml2("libc.so.6");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "libc.so.6 has no xmlNewParserCtxt; smmu-plan needs libxml2 >= 2.9");
}

}  // namespace
}  // namespace smmu
