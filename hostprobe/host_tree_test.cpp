// One contract, two implementations: the disk tree and the in-memory fake
// must answer every question the same way.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "hostprobe/host_tree.h"
#include "tests/memory_tree.h"
#include "tests/test_paths.h"

namespace smmu {
namespace {

namespace fs = std::filesystem;

// The layout every implementation is built with:
//   a/f ("hello"), a/sub/g, link_rel -> a/sub, link_abs -> /a, up -> a/sub/..,
//   escape -> ../../../../etc, a/sub/out -> ../../../../../../etc,
//   loop1 <-> loop2, dangling -> nowhere
struct Builder {
  virtual ~Builder() = default;
  virtual void file(const std::string& p, const std::string& data) = 0;
  virtual void link(const std::string& p, const std::string& target) = 0;
  virtual std::unique_ptr<HostTree> done() = 0;
};

struct DiskBuilder : Builder {
  std::string root = test::make_temp_dir();
  void file(const std::string& p, const std::string& data) override {
    fs::create_directories(fs::path(root + "/" + p).parent_path());
    std::ofstream(root + "/" + p) << data;
  }
  void link(const std::string& p, const std::string& target) override {
    fs::create_directories(fs::path(root + "/" + p).parent_path());
    fs::create_symlink(target, root + "/" + p);
  }
  std::unique_ptr<HostTree> done() override { return *open_disk_tree(root); }
};

struct MemoryBuilder : Builder {
  std::unique_ptr<MemoryTree> tree = std::make_unique<MemoryTree>();
  void file(const std::string& p, const std::string& data) override { tree->file(p, data); }
  void link(const std::string& p, const std::string& target) override { tree->link(p, target); }
  std::unique_ptr<HostTree> done() override { return std::move(tree); }
};

class HostTreeContract : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    std::unique_ptr<Builder> b;
    if (GetParam()) b = std::make_unique<DiskBuilder>();
    else b = std::make_unique<MemoryBuilder>();
    b->file("a/f", "hello");
    b->file("a/sub/g", "");
    b->link("link_rel", "a/sub");
    b->link("link_abs", "/a");
    b->link("up", "a/sub/..");
    b->link("a/sub/back", "../f");
    b->link("escape", "../../../../../etc");
    b->link("a/sub/out", "../../../../../../etc");
    b->link("loop1", "loop2");
    b->link("loop2", "loop1");
    b->link("dangling", "nowhere");
    tree = b->done();
  }
  std::unique_ptr<HostTree> tree;
};

TEST_P(HostTreeContract, ReadsFilesThroughLinks) {
  EXPECT_EQ(**tree->read_file("a/f"), "hello");
  EXPECT_EQ(**tree->read_file("link_abs/f"), "hello");
  EXPECT_EQ(**tree->read_file("link_rel/back"), "hello");
  EXPECT_EQ(**tree->read_file("link_rel/../f"), "hello");  // ".." is physical
  EXPECT_FALSE(tree->read_file("a/missing")->has_value());
  EXPECT_FALSE(tree->read_file("dangling")->has_value());
}

TEST_P(HostTreeContract, ListsAndResolves) {
  EXPECT_EQ(**tree->list_dir("link_abs"), (std::vector<std::string>{"f", "sub"}));
  EXPECT_FALSE(tree->list_dir("nope")->has_value());
  EXPECT_EQ(**tree->resolve("link_rel/back"), "a/f");
  EXPECT_EQ(**tree->resolve("up"), "a");
  EXPECT_EQ(*tree->kind("link_rel"), NodeKind::Directory);
  EXPECT_EQ(*tree->kind("a/f"), NodeKind::File);
  EXPECT_EQ(*tree->kind("dangling"), NodeKind::Missing);
  EXPECT_EQ(**tree->read_link("link_abs"), "/a");
  EXPECT_FALSE(tree->read_link("a/f")->has_value());  // not a link
}

TEST_P(HostTreeContract, NeverLeavesTheRoot) {
  // "../../etc" from the root stays at the root: there is no etc here.
  EXPECT_EQ(*tree->kind("escape"), NodeKind::Missing);
  EXPECT_FALSE(tree->read_file("escape/passwd")->has_value());
  EXPECT_EQ(**tree->resolve("../../a/f"), "a/f");
}

// The disk tree keeps a directory kind() was asked about (and one whose
// entries it read) for the reads in it that follow: the answers stay those
// of a walk from the root, links out of it and ".." included.
TEST_P(HostTreeContract, ADirectoryAskedAboutAnswersAsTheRootDoes) {
  EXPECT_EQ(*tree->kind("link_rel"), NodeKind::Directory);
  EXPECT_EQ(*tree->kind("link_rel"), NodeKind::Directory);
  EXPECT_EQ(**tree->read_link("link_rel/back"), "../f");
  EXPECT_EQ(**tree->read_file("link_rel/back"), "hello");
  EXPECT_EQ(**tree->resolve("link_rel/back"), "a/f");
  EXPECT_FALSE(tree->read_file("link_rel/out/passwd")->has_value());
  EXPECT_EQ(*tree->kind("link_rel/out"), NodeKind::Missing);
  EXPECT_EQ(*tree->kind("a"), NodeKind::Directory);
  EXPECT_EQ(**tree->read_file("a/sub/../f"), "hello");
  EXPECT_EQ(*tree->kind("a/f"), NodeKind::File);
  EXPECT_EQ(**tree->read_file("a/f"), "hello");
}

TEST_P(HostTreeContract, LoopsAreErrorsNamingThePath) {
  auto r = tree->read_file("loop1");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::HostTree);
  EXPECT_NE(r.error().message.find("loop1: cannot open: symlink loop"), std::string::npos)
      << r.error().message;
}

INSTANTIATE_TEST_SUITE_P(Both, HostTreeContract, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "Disk" : "Memory"; });

TEST(DiskTree, MissingRootIsOneLineError) {
  auto t = open_disk_tree("/nonexistent/smmu-plan-root");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().kind, ErrorKind::HostTree);
  EXPECT_EQ(t.error().message, "host root '/nonexistent/smmu-plan-root': No such file or directory");
}

// A directory the kernel lists over several getdents64 calls: every name
// once, sorted, "." and ".." left out.
TEST(DiskTree, ListsADirectoryLargerThanOneRead) {
  DiskBuilder b;
  fs::create_directories(b.root + "/dev");
  std::vector<std::string> expected;
  for (int i = 0; i < 400; ++i) {
    char number[8];
    std::snprintf(number, sizeof number, "%03d", i);
    std::string name = std::string(number) + std::string(200, 'v');  // a record of about 224 bytes
    fs::create_symlink("..", b.root + "/dev/" + name);                // one entry, no file to write
    expected.push_back(name);
  }
  auto names = b.done()->list_dir("dev");
  ASSERT_TRUE(names.ok()) << names.error().message;
  ASSERT_TRUE(names->has_value());
  EXPECT_EQ(**names, expected);  // about 90 KB of records: three reads of 32 KiB
}

TEST(DiskTree, UnreadableFileIsAnError) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads everything";
  DiskBuilder b;
  b.file("secret", "x");
  fs::permissions(b.root + "/secret", fs::perms::none);
  auto r = b.done()->read_file("secret");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("Permission denied"), std::string::npos);
}

}  // namespace
}  // namespace smmu

namespace smmu {
namespace {

// What a hostile saved tree plants where attributes should be: each read
// ends at once with one error naming it, never a hang or unbounded memory.
TEST(DiskTree, OnlyRegularFilesOfBoundedSizeAreRead) {
  DiskBuilder b;
  b.file("sys/ok", "0x10de\n");
  ASSERT_EQ(::mkfifo((b.root + "/sys/fifo").c_str(), 0600), 0);  // an open for reading would block
  std::string big(2u << 20, 'x');
  b.file("sys/big", big);
  bool chr = ::mknod((b.root + "/sys/zero").c_str(), S_IFCHR | 0600, makedev(1, 5)) == 0;  // /dev/zero
  auto tree = b.done();
  EXPECT_EQ(tree->read_file("sys/ok")->value(), "0x10de\n");
  auto fifo = tree->read_file("sys/fifo");
  ASSERT_FALSE(fifo.ok());
  EXPECT_EQ(fifo.error().kind, ErrorKind::HostTree);
  EXPECT_NE(fifo.error().message.find("sys/fifo: not a regular file (a FIFO)"), std::string::npos)
      << fifo.error().message;
  auto large = tree->read_file("sys/big");
  ASSERT_FALSE(large.ok());
  EXPECT_NE(large.error().message.find("sys/big: larger than 1048576 bytes"), std::string::npos)
      << large.error().message;
  if (chr) {
    auto zero = tree->read_file("sys/zero");
    ASSERT_FALSE(zero.ok());
    EXPECT_NE(zero.error().message.find("not a regular file (a character device)"), std::string::npos)
        << zero.error().message;
  }
}

}  // namespace
}  // namespace smmu
