#include "libvirt/client_library.h"

#include <gtest/gtest.h>

namespace smmu {
namespace {

// The build machine has libvirt's client library (libvirt-dev depends on it).
TEST(LibvirtClientLibrary, LoadsEveryCallOnce) {
  auto first = load_libvirt_client();
  ASSERT_TRUE(first) << first.error().message;
  const LibvirtClient& c = **first;
  EXPECT_NE(c.connect_open, nullptr);
  EXPECT_NE(c.domain_define_xml_flags, nullptr);
  EXPECT_NE(c.domain_free, nullptr);
  auto again = load_libvirt_client();
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *first) << "loaded once per process";
  // A real call through the table: the test driver runs in-process.
  virConnectPtr conn = c.connect_open_read_only("test:///default");
  ASSERT_NE(conn, nullptr) << c.last_error_message();
  unsigned long version = 0;
  EXPECT_EQ(c.connect_get_lib_version(conn, &version), 0);
  EXPECT_GE(version, 1002012u);
  c.connect_close(conn);
}

TEST(LibvirtClientLibrary, MissingLibraryNamesThePackage) {
  auto r = load_libvirt_client("libvirt-not-installed.so.0");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::Libvirt);
  EXPECT_EQ(r.error().message.rfind("--connect needs libvirt's client library (Debian package libvirt0): ", 0), 0u)
      << r.error().message;
  EXPECT_NE(r.error().message.find("libvirt-not-installed.so.0"), std::string::npos) << r.error().message;
}

// A library without libvirt's calls (libc) is refused by the first call missing.
TEST(LibvirtClientLibrary, LibraryWithoutTheCallsIsRefused) {
  auto r = load_libvirt_client("libc.so.6");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "libc.so.6 has no virSetErrorFunc; --connect needs libvirt >= 1.2.12");
}

}  // namespace
}  // namespace smmu
