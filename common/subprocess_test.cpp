#include "common/subprocess.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>

#include "tests/test_paths.h"

namespace smmu {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Whether PID is gone or a zombie (killed, waiting for its reaper).
bool dead(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), {});
  if (text.empty()) return true;
  auto paren = text.rfind(')');
  return paren != std::string::npos && paren + 2 < text.size() && text[paren + 2] == 'Z';
}

TEST(RunProcess, ExitCodeAndSignal) {
  EXPECT_EQ(run_process({"sh", "-c", "exit 3"}), 3);
  EXPECT_EQ(run_process({"sh", "-c", "exit 0"}), 0);
  EXPECT_EQ(run_process({"sh", "-c", "kill -9 $$"}), 128 + 9);
}

TEST(RunProcess, Redirects) {
  std::string dir = test::make_temp_dir();
  std::ofstream(dir + "/in") << "hello\n";
  Redirects r{dir + "/in", dir + "/out", dir + "/err"};
  EXPECT_EQ(run_process({"sh", "-c", "cat; echo oops >&2"}, r), 0);
  EXPECT_EQ(test::file_bytes(dir + "/out"), "hello\n");
  EXPECT_EQ(test::file_bytes(dir + "/err"), "oops\n");
  r.err_to_out = true;
  EXPECT_EQ(run_process({"sh", "-c", "echo a; echo b >&2"}, r), 0);
  EXPECT_EQ(test::file_bytes(dir + "/out"), "a\nb\n");
}

TEST(RunProcess, NotStarted) {
  errno = 0;
  int rc = run_process({"/nonexistent/smmu-plan-no-such-program"});
  // Natively posix_spawn reports the failed exec (-1, ENOENT). Under
  // qemu-user (the arm64 unit run) glibc's spawn cannot learn it and the
  // child exits 127, as a shell's would.
  if (rc != 127) {
    EXPECT_EQ(rc, -1);
    EXPECT_EQ(errno, ENOENT);
  }
  EXPECT_EQ(run_process({}), -1);
}

TEST(RunProcess, TimeoutKillsQuickly) {
  auto start = Clock::now();
  EXPECT_EQ(run_process({"sleep", "5"}, {}, 1), kTimedOut);
  double took = seconds_since(start);
  EXPECT_GE(took, 0.9);
  EXPECT_LT(took, 3.0);
}

TEST(RunProcess, TimeoutNotReachedGivesExitCode) {
  auto start = Clock::now();
  EXPECT_EQ(run_process({"sh", "-c", "exit 7"}, {}, 5), 7);
  EXPECT_EQ(run_process({"sh", "-c", "kill -9 $$"}, {}, 5), 128 + 9);
  EXPECT_LT(seconds_since(start), 2.0);  // no waiting out the timeout
}

TEST(RunProcess, TimeoutKillsWhatItStarted) {
  std::string dir = test::make_temp_dir();
  Redirects r;
  r.out = dir + "/pid";
  // The shell waits for a child of its own; the whole group must go.
  EXPECT_EQ(run_process({"sh", "-c", "sleep 30 & echo $!; wait"}, r, 1), kTimedOut);
  pid_t child = std::atoi(test::file_bytes(r.out).c_str());
  ASSERT_GT(child, 0);
  for (int i = 0; i < 100 && !dead(child); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_TRUE(dead(child)) << "sleep " << child << " outlived the timeout";
  if (!dead(child)) kill(child, SIGKILL);
}

TEST(FindOnPath, FindsAndMisses) {
  auto sh = find_on_path("sh");
  ASSERT_TRUE(sh.has_value());
  EXPECT_TRUE(sh->ends_with("/sh"));
  EXPECT_EQ(::access(sh->c_str(), X_OK), 0);
  EXPECT_FALSE(find_on_path("smmu-plan-no-such-program").has_value());
  EXPECT_FALSE(find_on_path("").has_value());
  EXPECT_EQ(find_on_path("/bin/sh"), std::optional<std::string>("/bin/sh"));
  EXPECT_FALSE(find_on_path("/nonexistent/sh").has_value());
  EXPECT_FALSE(find_on_path("/tmp").has_value());  // a directory is no program
}

TEST(FindOnPath, FollowsPath) {
  std::string dir = test::make_temp_dir();
  std::string prog = dir + "/smmu-plan-fake-tool";
  std::ofstream(prog) << "#!/bin/sh\n";
  std::string saved = std::getenv("PATH") ? std::getenv("PATH") : "";
  setenv("PATH", ("/nonexistent:" + dir).c_str(), 1);
  EXPECT_FALSE(find_on_path("smmu-plan-fake-tool").has_value());  // not executable yet
  chmod(prog.c_str(), 0755);
  EXPECT_EQ(find_on_path("smmu-plan-fake-tool"), std::optional<std::string>(prog));
  setenv("PATH", saved.c_str(), 1);
}

}  // namespace
}  // namespace smmu
