#include "common/subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <ctime>

extern char** environ;

namespace smmu {
namespace {

// waitpid for PID, blocking; its exit code or 128 + signal, -1 on failure.
int wait_for(pid_t pid, int options, bool* exited) {
  int status = 0;
  for (;;) {
    pid_t got = waitpid(pid, &status, options);
    if (got == pid) break;
    if (got == 0) {  // WNOHANG and still running
      *exited = false;
      return 0;
    }
    if (errno != EINTR) return -1;
  }
  *exited = true;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Polls PID until it exits or DEADLINE passes: a few milliseconds late at
// worst, and no signal handler or pidfd to set up.
int wait_until(pid_t pid, std::chrono::steady_clock::time_point deadline) {
  auto nap = std::chrono::milliseconds(1);
  for (;;) {
    bool exited = false;
    int code = wait_for(pid, WNOHANG, &exited);
    if (code < 0 || exited) return code;
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) break;
    auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline - now);
    auto d = std::min<std::chrono::nanoseconds>(nap, left);
    timespec ts{static_cast<time_t>(d.count() / 1000000000), static_cast<long>(d.count() % 1000000000)};
    nanosleep(&ts, nullptr);
    nap = std::min(nap * 2, std::chrono::milliseconds(20));
  }
  kill(-pid, SIGKILL);  // its group, pgid == pid (POSIX_SPAWN_SETPGROUP 0)
  kill(pid, SIGKILL);
  bool exited = false;
  if (wait_for(pid, 0, &exited) < 0) return -1;
  return kTimedOut;
}

bool executable_file(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

int run_process(const std::vector<std::string>& argv, const Redirects& r, int timeout_seconds) {
  if (argv.empty()) {
    errno = EINVAL;
    return -1;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, r.in.c_str(), O_RDONLY, 0);
  const int create = O_WRONLY | O_CREAT | O_TRUNC;
  if (!r.out.empty()) posix_spawn_file_actions_addopen(&actions, 1, r.out.c_str(), create, 0644);
  if (r.err_to_out) {
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
  } else if (!r.err.empty()) {
    posix_spawn_file_actions_addopen(&actions, 2, r.err.c_str(), create, 0644);
  }
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  if (timeout_seconds > 0) {
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
  }
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid;
  auto start = std::chrono::steady_clock::now();
  int rc = posix_spawnp(&pid, args[0], &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    errno = rc;
    return -1;
  }
  if (timeout_seconds > 0) return wait_until(pid, start + std::chrono::seconds(timeout_seconds));
  bool exited = false;
  return wait_for(pid, 0, &exited);
}

std::optional<std::string> find_on_path(const std::string& name) {
  if (name.empty()) return std::nullopt;
  if (name.find('/') != std::string::npos) {
    if (executable_file(name)) return name;
    return std::nullopt;
  }
  const char* env = std::getenv("PATH");
  std::string path = env ? env : "/bin:/usr/bin";
  size_t begin = 0;
  for (;;) {
    size_t end = path.find(':', begin);
    std::string dir = path.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (executable_file(candidate)) return candidate;
    if (end == std::string::npos) return std::nullopt;
    begin = end + 1;
  }
}

}  // namespace smmu
