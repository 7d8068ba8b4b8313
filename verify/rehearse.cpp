#include "verify/rehearse.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "common/file_text.h"
#include "common/subprocess.h"
#include "emit/qemu_args.h"

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

// The last line of the boot script's own output: its one-line reason.
std::string last_line(const std::string& text) {
  auto end = text.find_last_not_of("\n");
  if (end == std::string::npos) return "no output";
  auto begin = text.rfind('\n', end);
  return text.substr(begin == std::string::npos ? 0 : begin + 1, end - (begin == std::string::npos ? 0 : begin + 1) + 1);
}

}  // namespace

Result<Rehearsal> rehearse(const Plan& plan, const GuestModel& stand_ins, const std::string& testbed_dir) {
  std::string boot = testbed_dir + "/boot";
  if (::access(boot.c_str(), X_OK) != 0) {
    return testbed_error("no test bed at " + testbed_dir +
                         " (expected an executable 'boot'; build one with tests/e2e/testbed.sh prepare)");
  }
  SMMU_TRY(work, make_work_dir());
  std::string args_file = work + "/topology.args";
  {
    std::ofstream out(args_file);
    for (const auto& arg : qemu_args(stand_ins)) out << arg << "\n";
  }
  std::string boot_log = work + "/boot.log";
  Redirects to_log;
  to_log.out = boot_log;
  to_log.err_to_out = true;
  int code = run_process({boot, args_file, work}, to_log);
  if (code < 0) return testbed_error("cannot run " + boot + ": " + std::strerror(errno));
  if (code != 0) {
    auto log = read_file_text(boot_log, ErrorKind::Testbed, kMaxConsoleLogBytes);
    return testbed_error("the guest did not report: " + (log ? last_line(*log) : log.error().message) +
                         " (kept " + work + ")");
  }
  SMMU_TRY(console, read_file_text(work + "/console.log", ErrorKind::Testbed, kMaxConsoleLogBytes));
  // boot says how QEMU ended; whether the guest reported is the parser's to say.
  auto report = parse_console_log(console);
  if (!report) {
    return testbed_error("the guest did not report: " + report.error().message + " (kept " + work + ")");
  }
  SMMU_TRY(verdict, verify_guest(plan, EmitForm::StandIns, *report));
  Rehearsal r{std::move(verdict), work};
  if (r.verdict.differences.empty()) {
    std::error_code ec;
    fs::remove_all(work, ec);
    r.work_dir.clear();
  }
  return r;
}

}  // namespace smmu
