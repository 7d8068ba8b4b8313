#include "hostprobe/qemu_query.h"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/scoped_env.h"
#include "tests/test_paths.h"

namespace smmu {
namespace {

namespace fs = std::filesystem;
using test::ScopedEnv;

std::string fake(const std::string& name) { return test::source_dir() + "/tests/data/fake-qemu/" + name; }

// How often a fake QEMU that logs ($FAKE_QEMU_LOG) was started.
int runs(const std::string& log) {
  std::istringstream in(test::file_bytes(log));
  int n = 0;
  for (std::string line; std::getline(in, line);) n += line.starts_with("ARGS ");
  return n;
}

std::string error_of(const std::string& binary, int timeout = 10) {
  auto r = query_qemu_caps(binary, {"", timeout});
  EXPECT_FALSE(r.ok()) << binary << " answered";
  if (r.ok()) return "";
  EXPECT_EQ(r.error().kind, ErrorKind::Usage);
  EXPECT_EQ(r.error().message.find('\n'), std::string::npos) << r.error().message;
  EXPECT_TRUE(r.error().message.starts_with("--qemu " + binary + ": ")) << r.error().message;
  return r.error().message;
}

TEST(QemuQuery, AnswersAsQemuCapsPyRecords) {
  auto r = query_qemu_caps(fake("good"), {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, test::file_bytes(test::source_dir() + "/qemu-caps/qemu-11.1.json"));
}

TEST(QemuQuery, AsksWhatQemuCapsPyAsks) {
  std::string log = test::make_temp_dir() + "/log";
  ScopedEnv env("FAKE_QEMU_LOG", log.c_str());
  ASSERT_TRUE(query_qemu_caps(fake("good"), {}).ok());
  auto dlp = [](const char* t) {
    return std::string(R"({"arguments":{"typename":")") + t + R"("},"execute":"device-list-properties"})" "\n";
  };
  auto qlp = [](const char* t) {
    return std::string(R"({"arguments":{"typename":")") + t + R"("},"execute":"qom-list-properties"})" "\n";
  };
  EXPECT_EQ(test::file_bytes(log), "ARGS -machine none -nodefaults -display none -qmp stdio\n"
                                   R"({"execute":"qmp_capabilities"})" "\n" +
                                       dlp("arm-smmuv3") + dlp("pxb-pcie") + dlp("pcie-root-port") +
                                       dlp("vfio-pci") + dlp("virtio-rng-pci") + qlp("iommufd") +
                                       qlp("acpi-generic-initiator") + qlp("virt-machine") +
                                       R"({"execute":"quit"})" "\n");
}

TEST(QemuQuery, DriverAnsweredWithErrorIsLeftOut) {
  auto r = query_qemu_caps(fake("smmu-error"), {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto want = nlohmann::json::parse(test::file_bytes(test::source_dir() + "/qemu-caps/qemu-11.1.json"));
  ASSERT_TRUE(want["devices"].contains("arm-smmuv3"));
  want["devices"].erase("arm-smmuv3");
  EXPECT_EQ(*r, want.dump(1) + "\n");
}

TEST(QemuQuery, NoQmpSaysWhatItPrinted) {
  std::string m = error_of(fake("garbage"));
  EXPECT_NE(m.find("no QMP greeting"), std::string::npos) << m;
  EXPECT_NE(m.find("exit status 0; it printed 'Usage: garbage [OPTION]... FILE'"), std::string::npos) << m;
  m = error_of(fake("no-greeting"));
  EXPECT_NE(m.find("no QMP greeting"), std::string::npos) << m;
}

TEST(QemuQuery, FewerAnswersThanAsked) {
  std::string m = error_of(fake("short"));
  EXPECT_NE(m.find("2 answers of 8 asked (exit status 139; it printed "
                   "'qemu-system-aarch64: Segmentation fault')"),
            std::string::npos)
      << m;
}

TEST(QemuQuery, RefusedCommandLineGivesStderrFirstLine) {
  std::string m = error_of(fake("fails"));
  EXPECT_NE(m.find("exit status 1; it printed 'qemu-system-aarch64: -qmp stdio: could not connect"),
            std::string::npos)
      << m;
  EXPECT_EQ(m.find("second line"), std::string::npos) << m;
}

TEST(QemuQuery, HangIsATimeout) {
  auto start = std::chrono::steady_clock::now();
  std::string m = error_of(fake("hang"), 2);
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_NE(m.find("timeout"), std::string::npos) << m;
  EXPECT_LT(took, 5.0);
}

TEST(QemuQuery, EndlessAnswerIsRefused) {
  std::string m = error_of(fake("flood"));
  EXPECT_NE(m.find("its answer: larger than 4194304 bytes"), std::string::npos) << m;
}

TEST(QemuQuery, MissingOrNotExecutable) {
  EXPECT_EQ(error_of("/nonexistent/qemu-system-aarch64"),
            "--qemu /nonexistent/qemu-system-aarch64: not found");
  EXPECT_EQ(error_of("smmu-plan-no-such-qemu"), "--qemu smmu-plan-no-such-qemu: not found in PATH");
  EXPECT_EQ(error_of(fake("good.qmp")), "--qemu " + fake("good.qmp") + ": not an executable file");
  EXPECT_EQ(error_of(fake("")), "--qemu " + fake("") + ": not an executable file");  // a directory
}

TEST(QemuQuery, BareNameIsLookedUpInPath) {
  ScopedEnv path("PATH", (fake("") + ":/usr/bin:/bin").c_str());
  auto r = query_qemu_caps("good", {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, test::file_bytes(test::source_dir() + "/qemu-caps/qemu-11.1.json"));
}

// A copy of the logging fake QEMU, whose file the cache tests may change.
struct CacheBed {
  std::string dir = test::make_temp_dir();
  std::string qemu = dir + "/bin/qemu-system-aarch64";
  std::string cache = dir + "/home/.cache/smmu-plan/qemu-caps";  // not there yet
  std::string log = dir + "/log";
  CacheBed() {
    fs::create_directories(dir + "/bin");
    fs::copy_file(fake("good"), qemu);
    fs::copy_file(fake("good.qmp"), dir + "/bin/good.qmp");
  }
  std::vector<std::string> entries() const {
    std::vector<std::string> out;
    if (!fs::exists(cache)) return out;
    for (const auto& e : fs::directory_iterator(cache)) out.push_back(e.path().string());
    return out;
  }
};

TEST(QemuQueryCache, SecondQueryRunsNoQemu) {
  CacheBed bed;
  ScopedEnv env("FAKE_QEMU_LOG", bed.log.c_str());
  mode_t old_mask = ::umask(022);
  auto first = query_qemu_caps(bed.qemu, {bed.cache});
  ::umask(old_mask);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(runs(bed.log), 1);
  auto entries = bed.entries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_TRUE(entries[0].ends_with(".json")) << entries[0];
  EXPECT_EQ(test::file_bytes(entries[0]), *first);
  struct stat st;
  ASSERT_EQ(::stat(entries[0].c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
  ASSERT_EQ(::stat(bed.cache.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0755u);

  auto second = query_qemu_caps(bed.qemu, {bed.cache});
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(*second, *first);
  EXPECT_EQ(runs(bed.log), 1);

  // What is cached is what is answered: another (well-formed) answer in the
  // entry comes back as it is.
  std::string other = "{\n \"devices\": {},\n \"machines\": {},\n \"objects\": {},\n \"qemu\": \"9.9\"\n}\n";
  std::ofstream(entries[0], std::ios::binary | std::ios::trunc) << other;
  auto third = query_qemu_caps(bed.qemu, {bed.cache});
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(*third, other);
  EXPECT_EQ(runs(bed.log), 1);

  // Without a cache directory, QEMU is asked every time.
  ASSERT_TRUE(query_qemu_caps(bed.qemu, {}).ok());
  EXPECT_EQ(runs(bed.log), 2);
}

TEST(QemuQueryCache, ChangedBinaryIsAskedAnew) {
  CacheBed bed;
  ScopedEnv env("FAKE_QEMU_LOG", bed.log.c_str());
  ASSERT_TRUE(query_qemu_caps(bed.qemu, {bed.cache}).ok());
  EXPECT_EQ(runs(bed.log), 1);
  struct stat st;
  ASSERT_EQ(::stat(bed.qemu.c_str(), &st), 0);
  timespec times[2] = {st.st_atim, st.st_mtim};
  times[1].tv_nsec = (times[1].tv_nsec + 1) % 1000000000;  // the same second, 1 ns on
  ASSERT_EQ(::utimensat(AT_FDCWD, bed.qemu.c_str(), times, 0), 0);
  ASSERT_TRUE(query_qemu_caps(bed.qemu, {bed.cache}).ok());
  EXPECT_EQ(runs(bed.log), 2);
  EXPECT_EQ(bed.entries().size(), 2u);
  // A binary put in its place (same path, size and mtime; another inode).
  std::string copy = bed.dir + "/bin/copy";
  fs::copy_file(bed.qemu, copy);
  ASSERT_EQ(::utimensat(AT_FDCWD, copy.c_str(), times, 0), 0);
  fs::rename(copy, bed.qemu);
  ASSERT_TRUE(query_qemu_caps(bed.qemu, {bed.cache}).ok());
  EXPECT_EQ(runs(bed.log), 3);
  // Another path to the same file is the same binary.
  fs::create_symlink(bed.qemu, bed.dir + "/link");
  ASSERT_TRUE(query_qemu_caps(bed.dir + "/link", {bed.cache}).ok());
  EXPECT_EQ(runs(bed.log), 3);
}

TEST(QemuQueryCache, CorruptEntryIsAskedAnew) {
  CacheBed bed;
  ScopedEnv env("FAKE_QEMU_LOG", bed.log.c_str());
  auto first = query_qemu_caps(bed.qemu, {bed.cache});
  ASSERT_TRUE(first.ok());
  auto entries = bed.entries();
  ASSERT_EQ(entries.size(), 1u);
  int expected_runs = 1;
  for (std::string corrupt : {first->substr(0, first->size() / 2),           // cut short
                              std::string("{\"qemu\": \"11.1\"}\n"),          // not all of it
                              first->substr(0, first->size() - 1),           // not as written
                              std::string()}) {
    std::ofstream(entries[0], std::ios::binary | std::ios::trunc) << corrupt;
    auto again = query_qemu_caps(bed.qemu, {bed.cache});
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_EQ(*again, *first);
    EXPECT_EQ(runs(bed.log), ++expected_runs) << "corrupt entry used: " << corrupt.substr(0, 40);
    EXPECT_EQ(test::file_bytes(entries[0]), *first);  // and written anew
  }
  EXPECT_EQ(bed.entries().size(), 1u);  // no temporary file left behind
}

TEST(QemuQueryCache, UnwritableCacheIsNoError) {
  CacheBed bed;
  std::string file = bed.dir + "/a-file";
  std::ofstream(file) << "x";
  auto r = query_qemu_caps(bed.qemu, {file + "/cache"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, test::file_bytes(test::source_dir() + "/qemu-caps/qemu-11.1.json"));
}

TEST(QemuQueryCache, DefaultDirectory) {
  {
    ScopedEnv xdg("XDG_CACHE_HOME", "/x/cache");
    ScopedEnv home("HOME", "/home/u");
    EXPECT_EQ(default_qemu_cache_dir(), "/x/cache/smmu-plan/qemu-caps");
  }
  {
    ScopedEnv xdg("XDG_CACHE_HOME", "relative");
    ScopedEnv home("HOME", "/home/u");
    EXPECT_EQ(default_qemu_cache_dir(), "/home/u/.cache/smmu-plan/qemu-caps");
  }
  {
    ScopedEnv xdg("XDG_CACHE_HOME", nullptr);
    ScopedEnv home("HOME", nullptr);
    EXPECT_EQ(default_qemu_cache_dir(), "");
  }
}

}  // namespace
}  // namespace smmu
