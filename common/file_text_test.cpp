#include "common/file_text.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "tests/test_paths.h"

namespace smmu {
namespace {

TEST(FileText, ReadsAWholeFileWithinItsBound) {
  const std::string path = test::make_temp_dir() + "/f";
  std::ofstream(path) << std::string(70000, 'x');  // more than one read
  auto whole = read_file_text(path, ErrorKind::PlanFile, 70000);
  ASSERT_TRUE(whole.ok()) << whole.error().message;
  EXPECT_EQ(whole->size(), 70000u);
  auto over = read_file_text(path, ErrorKind::PlanFile, 69999, "the plan");
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().kind, ErrorKind::PlanFile);
  EXPECT_EQ(over.error().message, "the plan: larger than 69999 bytes");
}

TEST(FileText, AnEndlessFileStopsAtTheBoundAndAMissingOneSaysWhy) {
  auto endless = read_file_text("/dev/zero", ErrorKind::GuestReport, 1 << 16);
  ASSERT_FALSE(endless.ok());
  EXPECT_EQ(endless.error().message, "/dev/zero: larger than 65536 bytes");
  auto missing = read_file_text("/nonexistent/f", ErrorKind::Testbed, 10);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::Testbed);
  EXPECT_EQ(missing.error().message, "cannot read /nonexistent/f: No such file or directory");
  auto bad_fd = read_fd_text(-1, "standard input", ErrorKind::Usage, 10);
  EXPECT_FALSE(bad_fd.ok());
}

// Read as they come, not as they say: a pipe says no size (and may hold
// more than the 4 MiB reserved for one), a /proc file says 0.
TEST(FileText, PipesAndFilesOfNoStatedSizeAreReadWhole) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const std::string sent((5u << 20) + 3, 'p');
  std::thread writer([&] {
    write_all(fds[1], sent);
    ::close(fds[1]);
  });
  auto got = read_fd_text(fds[0], "standard input", ErrorKind::DomainXml, 8u << 20);
  writer.join();
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(*got, sent);
  auto maps = read_file_text("/proc/self/maps", ErrorKind::Usage, 1 << 20);
  ASSERT_TRUE(maps.ok()) << maps.error().message;
  EXPECT_NE(maps->find("[stack]"), std::string::npos);
}

TEST(FileText, WriteAllWritesEveryByteOrSaysItCouldNot) {
  const std::string path = test::make_temp_dir() + "/w";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT, 0600);
  ASSERT_GE(fd, 0);
  EXPECT_TRUE(write_all(fd, std::string(200000, 'y')));
  ::close(fd);
  auto back = read_file_text(path, ErrorKind::Output, 200000);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, std::string(200000, 'y'));
  EXPECT_FALSE(write_all(-1, "x"));
}

}  // namespace
}  // namespace smmu
