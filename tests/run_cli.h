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

// The failure contract: exit `code`, nothing on stdout, one line on stderr
// "smmu-plan: error: ..." containing `fragment` (gtest expectations).
void expect_cli_failure(const std::vector<std::string>& args, int code, const std::string& fragment);

}  // namespace smmu::test
