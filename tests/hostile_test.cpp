// Runs the table of hostile inputs (tests/hostile_table.h): every row is its
// own test, Hostile/HostileInput.KeepsTheCliContract/<Area>_<Name>, holding
// smmu-plan to what it promises scripts whatever it is handed (man
// smmu-plan, EXIT STATUS):
//  - a refusal exits with the documented code, prints nothing on stdout and
//    exactly one "smmu-plan: error: " line on stderr, and writes nothing: its
//    directory (inputs, any -o target) is as it was, no temporary file left;
//  - an accepted input gives sane output: text without control bytes, JSON
//    that parses;
//  - every run ends within 30 s, and no run shows a file of the host's.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <ostream>
#include <sstream>
#include <stdexcept>

#include "cli/exit_codes.h"
#include "common/subprocess.h"
#include "hostprobe/probe.h"
#include "libvirt/domain_xml.h"
#include "planner/plan_json.h"
#include "planner/planner.h"
#include "tests/hostile_table.h"
#include "tests/test_paths.h"

namespace smmu::test {

namespace fs = std::filesystem;

// ---- setup helpers (hostile_table.h) ----

std::string copy_host(const std::string& dir, const std::string& name) {
  std::string root = dir + "/host";
  fs::copy(example_host(name), root, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  return root;
}

std::string device_dir(const std::string& root, const std::string& bdf) {
  return fs::canonical(root + "/sys/bus/pci/devices/" + bdf).string();
}

namespace {

// Clears the way for a new node at `path` (a symlink is removed, not followed).
void clear(const std::string& path) {
  std::error_code ec;
  fs::remove(path, ec);
  if (ec) throw std::runtime_error("cannot remove " + path + ": " + ec.message());
}

void check_errno(int rc, const std::string& what) {
  if (rc != 0) throw std::runtime_error(what + ": " + std::strerror(errno));
}

}  // namespace

void write_file(const std::string& path, std::string_view data) {
  clear(path);
  std::ofstream out(path, std::ios::binary);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  if (!out.flush()) throw std::runtime_error("cannot write " + path);
}

void make_fifo(const std::string& path) {
  clear(path);
  check_errno(::mkfifo(path.c_str(), 0644), "mkfifo " + path);
}

void make_link(const std::string& path, const std::string& target) {
  clear(path);
  fs::create_symlink(target, path);
}

void make_char_device(const std::string& path, unsigned major, unsigned minor) {
  clear(path);
  check_errno(::mknod(path.c_str(), S_IFCHR | 0644, makedev(major, minor)), "mknod " + path);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::string replaced(std::string text, std::string_view from, std::string_view to) {
  auto at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("no '" + std::string(from) + "' to replace");
  return text.replace(at, from.size(), to);
}

std::string repeated(std::string_view unit, size_t times) {
  std::string out;
  out.reserve(unit.size() * times);
  for (size_t i = 0; i < times; ++i) out += unit;
  return out;
}

namespace {

template <typename T>
T value_or_throw(Result<T> r, const char* what) {
  if (!r) throw std::runtime_error(std::string(what) + ": " + r.error().message);
  return std::move(*r);
}

Plan gh200_plan(unsigned hotplug_ports) {
  auto tree = value_or_throw(open_disk_tree(example_host()), "open grace-gh200");
  auto inventory = value_or_throw(probe_host(*tree), "probe grace-gh200");
  PlanRequest request;
  request.all_assignable = true;
  request.hotplug_ports = hotplug_ports;
  return value_or_throw(make_plan(inventory, request), "plan grace-gh200");
}

}  // namespace

nlohmann::json gh200_plan_json(unsigned hotplug_ports) { return plan_to_json(gh200_plan(hotplug_ports)); }

std::string write_plan(const std::string& dir, const nlohmann::json& plan) {
  std::string path = dir + "/plan.json";
  write_file(path, plan.dump(2));
  return path;
}

std::string gh200_domain_xml(unsigned hotplug_ports) {
  return value_or_throw(
      merge_topology(gh200_plan(hotplug_ports), EmitForm::Real, default_domain_xml(EmitForm::Real)),
      "merge into the default domain");
}

// ---- the runner ----

namespace {

constexpr int kTimeoutSeconds = 30;

// Everything below `dir` (links not followed): path -> a file's bytes, a
// link's target, or its kind.
std::map<std::string, std::string> snapshot(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    std::string rel = e.path().lexically_relative(dir).string();  // fs::relative follows links
    auto st = e.symlink_status();
    if (fs::is_symlink(st)) {
      out[rel] = "link to " + fs::read_symlink(e.path()).string();
    } else if (fs::is_regular_file(st)) {
      out[rel] = "file " + read_file(e.path().string());
    } else {
      out[rel] = fs::is_directory(st) ? "directory" : "special";
    }
  }
  return out;
}

// The first path `after` holds otherwise than `before`, or "".
std::string first_change(const std::map<std::string, std::string>& before,
                         const std::map<std::string, std::string>& after) {
  for (const auto& [path, what] : after) {
    auto it = before.find(path);
    if (it == before.end()) return path + " appeared";
    if (it->second != what) return path + " changed";
  }
  for (const auto& [path, what] : before) {
    if (!after.count(path)) return path + " vanished";
  }
  return "";
}

std::vector<std::string> command_line(const Invocation& run) {
  std::vector<std::string> argv;
  if (!run.env.empty()) {
    argv.push_back("/usr/bin/env");
    argv.insert(argv.end(), run.env.begin(), run.env.end());
  }
  // As cli_test's OutputErrors: the limit applies to smmu-plan, exec'd.
  if (run.file_size_limit) argv.insert(argv.end(), {"/bin/sh", "-c", "ulimit -f 1 && exec \"$0\" \"$@\""});
  argv.push_back(binary_path());
  argv.insert(argv.end(), run.args.begin(), run.args.end());
  return argv;
}

// Text a terminal shows as it is: no control bytes but newline and tab.
void expect_sane_text(const std::string& text, const char* stream) {
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
      ADD_FAILURE() << stream << " holds control byte " << int(c) << " at " << i;
      return;
    }
  }
}

void expect_one_error_line(const std::string& err, const std::string& fragment) {
  ASSERT_FALSE(err.empty()) << "no error line";
  EXPECT_EQ(err.find('\n'), err.size() - 1) << "not exactly one line: " << err;
  EXPECT_EQ(err.rfind("smmu-plan: error: ", 0), 0u) << err;
  EXPECT_NE(err.find(fragment), std::string::npos) << "no '" << fragment << "' in: " << err;
}

std::vector<HostileRow> all_rows() {
  std::vector<HostileRow> rows;
  for (auto area : {host_tree_rows, request_rows, plan_file_rows, domain_xml_rows, hook_rows,
                    guest_report_rows, output_rows}) {
    auto some = area();
    rows.insert(rows.end(), some.begin(), some.end());
  }
  return rows;
}

}  // namespace

// gtest prints a failing row by its name, not its bytes.
void PrintTo(const HostileRow& row, std::ostream* os) { *os << row.area << "_" << row.name; }

namespace {

class HostileInput : public ::testing::TestWithParam<HostileRow> {};

TEST_P(HostileInput, KeepsTheCliContract) {
  const HostileRow& row = GetParam();
  if (row.needs_root && ::geteuid() != 0) GTEST_SKIP() << "needs root (mknod)";
  std::string dir = make_temp_dir();
  Invocation run;
  try {
    run = row.setup(dir);
  } catch (const std::exception& e) {
    FAIL() << "setup: " << e.what();
  }
  const auto before = snapshot(dir);

  std::string io = make_temp_dir();
  write_file(io + "/in", run.stdin_text);
  Redirects redirects{io + "/in", run.stdout_to.empty() ? io + "/out" : run.stdout_to, io + "/err"};
  int rc = run_process(command_line(run), redirects, kTimeoutSeconds);
  ASSERT_NE(rc, kTimedOut) << "timeout: no answer within " << kTimeoutSeconds << " s";
  ASSERT_GE(rc, 0) << "cannot start " << binary_path();
  std::string out = run.stdout_to.empty() ? read_file(redirects.out) : "";
  std::string err = read_file(redirects.err);

  EXPECT_EQ(rc, row.exit_code) << "stderr: " << err;
  // Neither an external entity nor a link out of a saved tree reaches the host's files.
  EXPECT_EQ((out + err).find("root:x:0:0:"), std::string::npos) << "/etc/passwd leaked";
  expect_sane_text(out, "stdout");
  expect_sane_text(err, "stderr");
  if (row.exit_code == cli::kExitOk) {
    EXPECT_NE(out.find(row.fragment), std::string::npos) << "no '" << row.fragment << "' in: " << out;
    if (std::find(run.args.begin(), run.args.end(), "--json") != run.args.end()) {
      EXPECT_FALSE(nlohmann::json::parse(out, nullptr, false).is_discarded()) << "not JSON: " << out;
    }
    std::istringstream lines(err);
    for (std::string line; std::getline(lines, line);) {
      EXPECT_EQ(line.rfind("smmu-plan: note: ", 0), 0u) << "not a note: " << line;
    }
    return;
  }
  if (row.exit_code == cli::kExitMismatch) {  // verify: the differences are on stdout
    EXPECT_NE(out.find(row.fragment), std::string::npos) << "no '" << row.fragment << "' in: " << out;
    expect_one_error_line(err, "guest differs from the plan");
  } else {
    EXPECT_EQ(out, "");
    expect_one_error_line(err, row.fragment);
  }
  // Nothing written: every input and -o target as it was, no temporary left.
  EXPECT_EQ(first_change(before, snapshot(dir)), "") << "in " << dir;
}

INSTANTIATE_TEST_SUITE_P(Hostile, HostileInput, ::testing::ValuesIn(all_rows()),
                         [](const ::testing::TestParamInfo<HostileRow>& info) {
                           return info.param.area + "_" + info.param.name;
                         });

}  // namespace
}  // namespace smmu::test
