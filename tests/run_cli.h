// Runs the built smmu-plan binary the way a user or script does.
#pragma once

#include <string>
#include <vector>

namespace smmu::test {

struct CliResult {
  int exit_code = -1;
  std::string out, err;
};

// `input` is what the command reads on stdin.
CliResult run_cli(const std::vector<std::string>& args, const std::string& input = "");

}  // namespace smmu::test
