#include "common/subprocess.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>

extern char** environ;

namespace smmu {

int run_process(const std::vector<std::string>& argv, const Redirects& r) {
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
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    errno = rc;
    return -1;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace smmu
