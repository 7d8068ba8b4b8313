#include "tests/run_cli.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

#include "common/subprocess.h"
#include "tests/test_paths.h"

namespace smmu::test {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

CliResult run_cli(const std::vector<std::string>& args, const std::string& input) {
  std::string dir = make_temp_dir();
  Redirects r{dir + "/in", dir + "/out", dir + "/err"};
  std::ofstream(r.in, std::ios::binary) << input;
  std::vector<std::string> argv = {binary_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  CliResult result;
  result.exit_code = run_process(argv, r);
  if (result.exit_code < 0) throw std::runtime_error("cannot start " + binary_path());
  result.out = slurp(r.out);
  result.err = slurp(r.err);
  return result;
}

void expect_cli_failure(const std::vector<std::string>& args, int code, const std::string& fragment) {
  auto r = run_cli(args);
  EXPECT_EQ(r.exit_code, code) << r.err;
  EXPECT_EQ(r.out, "");
  ASSERT_FALSE(r.err.empty());
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "more than one line: " << r.err;
  EXPECT_EQ(r.err.rfind("smmu-plan: error: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
}

}  // namespace smmu::test
