#include "tests/run_cli.h"

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

}  // namespace smmu::test
