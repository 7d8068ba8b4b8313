// Running another program and waiting for it: the one place smmu-plan (and
// its tests and benchmark) spawn processes.
#pragma once

#include <string>
#include <vector>

namespace smmu {

struct Redirects {
  std::string in = "/dev/null";  // stdin from this file
  std::string out;               // stdout to this file (truncated); empty: inherited
  std::string err;               // stderr to this file (truncated); empty: inherited
  bool err_to_out = false;       // stderr joins stdout instead
};

// Runs argv[0] (looked up in PATH when it has no '/') with `redirects`;
// its exit code, 128 + signal when killed, or -1 with errno set when it
// could not be started.
int run_process(const std::vector<std::string>& argv, const Redirects& redirects = {});

}  // namespace smmu
