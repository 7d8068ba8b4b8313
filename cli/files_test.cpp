#include "cli/files.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "tests/test_paths.h"

namespace smmu::cli {
namespace {

namespace fs = std::filesystem;

struct stat stat_of(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
  return st;
}

// The names in `dir`: a temporary file left behind shows here.
std::vector<std::string> names(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(WriteOutput, ANewFileIs0644) {
  fs::path dir = test::make_temp_dir();
  ASSERT_TRUE(write_output((dir / "a").string(), "new\n"));
  EXPECT_EQ(test::file_bytes(dir / "a"), "new\n");
  EXPECT_EQ(stat_of(dir / "a").st_mode & 07777, 0644u);
  EXPECT_EQ(names(dir), std::vector<std::string>{"a"});
}

TEST(WriteOutput, AReplacedFileKeepsItsModeAndOwner) {
  fs::path dir = test::make_temp_dir(), file = dir / "domain.xml";
  std::ofstream(file) << "old";
  ASSERT_EQ(::chmod(file.c_str(), 0600), 0);
  const bool root = ::geteuid() == 0;
  if (root) {
    ASSERT_EQ(::chown(file.c_str(), 65534, 65534), 0);
  }
  ino_t before = stat_of(file).st_ino;
  ASSERT_TRUE(write_output(file.string(), "new"));
  struct stat st = stat_of(file);
  EXPECT_EQ(test::file_bytes(file), "new");
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  if (root) {
    EXPECT_EQ(st.st_uid, 65534u);
    EXPECT_EQ(st.st_gid, 65534u);
    EXPECT_NE(st.st_ino, before) << "a regular file is replaced, not rewritten";
  }
  EXPECT_EQ(names(dir), std::vector<std::string>{"domain.xml"});
}

TEST(WriteOutput, ASymlinkIsWrittenThroughAndStays) {
  fs::path dir = test::make_temp_dir();
  fs::create_directory(dir / "real");
  std::ofstream(dir / "real" / "vm.xml") << "old";
  ASSERT_EQ(::chmod((dir / "real" / "vm.xml").c_str(), 0640), 0);
  fs::create_symlink("real/vm.xml", dir / "link.xml");
  ASSERT_TRUE(write_output((dir / "link.xml").string(), "new"));
  EXPECT_TRUE(fs::is_symlink(dir / "link.xml"));
  EXPECT_EQ(test::file_bytes(dir / "real" / "vm.xml"), "new");
  EXPECT_EQ(stat_of(dir / "real" / "vm.xml").st_mode & 07777, 0640u);
  EXPECT_EQ(names(dir / "real"), std::vector<std::string>{"vm.xml"});
}

TEST(WriteOutput, ASymlinkToNothingIsRefused) {
  fs::path dir = test::make_temp_dir();
  fs::create_symlink("missing/vm.xml", dir / "link.xml");
  auto s = write_output((dir / "link.xml").string(), "new");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().kind, ErrorKind::Output);
  EXPECT_NE(s.error().message.find("a symlink to nothing"), std::string::npos) << s.error().message;
  EXPECT_TRUE(fs::is_symlink(dir / "link.xml"));
  EXPECT_EQ(names(dir), std::vector<std::string>{"link.xml"});
}

TEST(WriteOutput, ADeviceIsWrittenNotReplaced) {
  ASSERT_TRUE(write_output("/dev/null", "anything"));
  EXPECT_TRUE(S_ISCHR(stat_of("/dev/null").st_mode));
  auto dir = write_output(test::make_temp_dir(), "x");
  ASSERT_FALSE(dir);
  EXPECT_NE(dir.error().message.find("Is a directory"), std::string::npos) << dir.error().message;
}

TEST(WriteOutput, AFileSizeLimitIsAnErrorThatLeavesNothingBehind) {
  fs::path dir = test::make_temp_dir(), file = dir / "plan.json";
  std::ofstream(file) << "old";
  struct rlimit old {};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
  struct rlimit small = old;
  small.rlim_cur = 1024;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  auto s = write_output(file.string(), std::string(4096, 'x'));  // SIGXFSZ would kill the test
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &old), 0);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("File too large"), std::string::npos) << s.error().message;
  EXPECT_EQ(test::file_bytes(file), "old");
  EXPECT_EQ(names(dir), std::vector<std::string>{"plan.json"});
}

}  // namespace
}  // namespace smmu::cli
