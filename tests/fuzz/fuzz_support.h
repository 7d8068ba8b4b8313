// What the libFuzzer harnesses share: a check that aborts (so libFuzzer
// saves the input as a reproducer) and the fixed inputs they combine with
// the fuzzed one, read once from the source tree.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "hostprobe/host_tree.h"
#include "hostprobe/inventory.h"
#include "planner/plan.h"

// An invariant of the code under test. Broken, it prints what and where and
// aborts: libFuzzer reports a crash and writes the input that broke it.
#define FUZZ_CHECK(cond, what) \
  ((cond) ? (void)0 : smmu::fuzz::broken(what, __FILE__, __LINE__))

namespace smmu::fuzz {

[[noreturn]] void broken(const char* what, const char* file, int line);

inline std::string_view text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A file of the source tree (path relative to it); aborts when unreadable.
std::string source_file(const std::string& path);

// examples/hosts/grace-gh200 opened as a saved tree, and its probe.
const HostTree& example_tree();
const Inventory& example_inventory();

// A plan file of the source tree, read as `plan` reads it.
Plan plan_file(const std::string& path);

}  // namespace smmu::fuzz
