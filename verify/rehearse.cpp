#include "verify/rehearse.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "emit/qemu_args.h"

extern char** environ;

namespace smmu {
namespace {

namespace fs = std::filesystem;

Error testbed_error(const std::string& what) { return make_error(ErrorKind::Testbed, what); }

Result<std::string> make_work_dir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/smmu-rehearse-XXXXXX";
  if (!::mkdtemp(tmpl.data())) {
    return testbed_error("cannot create a work directory: " + std::string(std::strerror(errno)));
  }
  return tmpl;
}

// Runs `program args...` with stdout and stderr appended to `log`; its exit code.
Result<int> run(const std::vector<std::string>& argv, const std::string& log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid;
  int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return testbed_error("cannot run " + argv[0] + ": " + std::strerror(rc));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// The last line of the boot script's own output: its one-line reason.
std::string last_line(const std::string& text) {
  auto end = text.find_last_not_of("\n");
  if (end == std::string::npos) return "no output";
  auto begin = text.rfind('\n', end);
  return text.substr(begin == std::string::npos ? 0 : begin + 1, end - (begin == std::string::npos ? 0 : begin + 1) + 1);
}

}  // namespace

Result<Rehearsal> rehearse(const Plan& plan, const std::string& testbed_dir) {
  std::string boot = testbed_dir + "/boot";
  if (::access(boot.c_str(), X_OK) != 0) {
    return testbed_error("no test bed at " + testbed_dir +
                         " (expected an executable 'boot'; build one with tests/e2e/testbed.sh prepare)");
  }
  SMMU_TRY(work, make_work_dir());
  std::string args_file = work + "/topology.args";
  {
    std::ofstream out(args_file);
    for (const auto& arg : qemu_args(plan, EmitForm::StandIns)) out << arg << "\n";
  }
  std::string boot_log = work + "/boot.log";
  SMMU_TRY(code, run({boot, args_file, work}, boot_log));
  if (code != 0) {
    return testbed_error("the guest did not report: " + last_line(slurp(boot_log)) + " (kept " +
                         work + ")");
  }
  SMMU_TRY(report, parse_console_log(slurp(work + "/console.log")));
  SMMU_TRY(verdict, verify_guest(plan, EmitForm::StandIns, report));
  Rehearsal r{std::move(verdict), work};
  if (r.verdict.differences.empty()) {
    std::error_code ec;
    fs::remove_all(work, ec);
    r.work_dir.clear();
  }
  return r;
}

}  // namespace smmu
