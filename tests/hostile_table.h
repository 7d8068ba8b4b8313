// The table of hostile inputs: what an attacker or a broken system hands
// smmu-plan, one row each, run against the real binary by hostile_test.cpp
// with the exit code man smmu-plan (EXIT STATUS) documents for its class of
// error. The rows live in hostile_<area>.cpp, one file an area; this header
// holds the row type and the setup helpers they share.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "tests/test_paths.h"

namespace smmu::test {

// One run of smmu-plan, as a user or a script (or libvirt) starts it.
struct Invocation {
  std::vector<std::string> args;  // after the program name
  std::string stdin_text;
  std::vector<std::string> env;  // NAME=VALUE added to its environment
  std::string stdout_to;         // stdout goes to this file ("/dev/full") instead of being read
  bool file_size_limit = false;  // runs under `ulimit -f 1`
};

// Writes a row's inputs into `dir`, a fresh directory, and says how to run.
using RowSetup = std::function<Invocation(const std::string& dir)>;

struct HostileRow {
  std::string name;  // the test's name: letters, digits and '_'
  std::string area;
  RowSetup setup;
  int exit_code;
  // A failing row: part of its one error line. Exit 0 (accepted) and exit 8
  // (the guest differs; the differences are on stdout): part of stdout.
  std::string fragment;
  bool needs_root = false;  // mknod: skipped for other users
};

std::vector<HostileRow> host_tree_rows();
std::vector<HostileRow> request_rows();
std::vector<HostileRow> plan_file_rows();
std::vector<HostileRow> domain_xml_rows();
std::vector<HostileRow> hook_rows();
std::vector<HostileRow> guest_report_rows();
std::vector<HostileRow> output_rows();

// Each table file keeps its own helpers in a namespace named after it
// (hostile_plan, hostile_hook, ...), not an anonymous one: the tests compile in
// unity batches (tests/CMakeLists.txt), where those files meet.

// Setup helpers (hostile_test.cpp). Each throws std::runtime_error when it
// cannot do what it says, which fails the row naming the step.

// A copy of example host `name` at dir/host, symlinks kept as links.
std::string copy_host(const std::string& dir, const std::string& name = "grace-gh200");
// The sysfs directory of device `bdf` in a host tree (where its attributes
// are, not the sys/bus/pci/devices link to it).
std::string device_dir(const std::string& root, const std::string& bdf);
// `path` (which may exist: removed first, a symlink too) as a regular
// file, a FIFO or a symlink to `target`.
void write_file(const std::string& path, std::string_view data);
void make_fifo(const std::string& path);
void make_link(const std::string& path, const std::string& target);
// `path` as a character device (mknod; root only).
void make_char_device(const std::string& path, unsigned major, unsigned minor);
std::string read_file(const std::string& path);
// `text` with its first `from` replaced by `to`; throws when there is none.
std::string replaced(std::string text, std::string_view from, std::string_view to);
// `unit` repeated `times` times: the large inputs are built, not stored.
std::string repeated(std::string_view unit, size_t times);

// The plan of grace-gh200 with every assignable device (two vSMMUs: pxb0
// holds 0002:01:00.0, pxb1 the GPU 0009:01:00.0), as plan -o writes it.
nlohmann::json gh200_plan_json(unsigned hotplug_ports = 0);
// `plan` written to dir/plan.json; its path.
std::string write_plan(const std::string& dir, const nlohmann::json& plan);
// The libvirt domain smmu-plan writes for gh200_plan_json(hotplug_ports)
// into its default domain: what libvirt hands the hook.
std::string gh200_domain_xml(unsigned hotplug_ports = 0);

}  // namespace smmu::test
