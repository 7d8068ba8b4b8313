#include "tests/test_paths.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <vector>

namespace smmu::test {
namespace {

struct TempDirs {
  std::vector<std::filesystem::path> dirs;
  ~TempDirs() {
    std::error_code ec;
    for (auto& d : dirs) std::filesystem::remove_all(d, ec);
  }
};

TempDirs& temp_dirs() {
  static TempDirs t;
  return t;
}

}  // namespace

std::string source_dir() { return SMMU_SOURCE_DIR; }
std::string binary_path() { return SMMU_BINARY; }

std::string make_temp_dir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "smmu-test-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  temp_dirs().dirs.emplace_back(tmpl);
  return tmpl;
}

std::string example_host(const std::string& name) { return source_dir() + "/examples/hosts/" + name; }

std::string guest_sample(const std::string& name) { return source_dir() + "/tests/data/guest-samples/" + name; }

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::string guest_sample_bytes(const std::string& name) { return file_bytes(guest_sample(name)); }

}  // namespace smmu::test
