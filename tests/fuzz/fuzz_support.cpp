#include "tests/fuzz/fuzz_support.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

#include "hostprobe/probe.h"
#include "planner/plan_json.h"

namespace smmu::fuzz {

void broken(const char* what, const char* file, int line) {
  std::fprintf(stderr, "fuzz: invariant broken: %s (%s:%d)\n", what, file, line);
  std::abort();
}

namespace {

[[noreturn]] void setup_failed(const std::string& what) {
  std::fprintf(stderr, "fuzz: setup: %s\n", what.c_str());
  std::abort();
}

}  // namespace

std::string source_file(const std::string& path) {
  std::ifstream in(std::string(SMMU_SOURCE_DIR) + "/" + path, std::ios::binary);
  if (!in) setup_failed("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const HostTree& example_tree() {
  static const std::unique_ptr<HostTree> tree = [] {
    auto opened = open_disk_tree(std::string(SMMU_SOURCE_DIR) + "/examples/hosts/grace-gh200");
    if (!opened) setup_failed(opened.error().message);
    return std::move(opened.value());
  }();
  return *tree;
}

const Inventory& example_inventory() {
  static const Inventory inv = [] {
    auto probed = probe_host(example_tree());
    if (!probed) setup_failed(probed.error().message);
    return std::move(probed.value());
  }();
  return inv;
}

Plan plan_file(const std::string& path) {
  auto plan = plan_from_json_text(source_file(path));
  if (!plan) setup_failed(path + ": " + plan.error().message);
  return std::move(plan.value());
}

}  // namespace smmu::fuzz
