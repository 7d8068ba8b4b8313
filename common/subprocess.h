// Running another program and waiting for it: the one place smmu-plan (and
// its tests and benchmark) spawn processes.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace smmu {

struct Redirects {
  std::string in = "/dev/null";  // stdin from this file
  std::string out;               // stdout to this file (truncated); empty: inherited
  std::string err;               // stderr to this file (truncated); empty: inherited
  bool err_to_out = false;       // stderr joins stdout instead
};

// What run_process returns when the program outlived its timeout and was
// killed; distinct from every exit code (0..255, 128 + signal) and from -1.
inline constexpr int kTimedOut = -2;

// Runs argv[0] (looked up in PATH when it has no '/') with `redirects`;
// its exit code, 128 + signal when killed, or -1 with errno set when it
// could not be started.
//
// With timeout_seconds > 0 the program runs in a process group of its own,
// and when it has not exited after that many seconds the whole group gets
// SIGKILL (what it started dies with it) and the result is kTimedOut. Being
// in its own group, it then does not get the terminal's Ctrl-C either.
int run_process(const std::vector<std::string>& argv, const Redirects& redirects = {},
                int timeout_seconds = 0);

// Where execvp would find NAME: the first executable regular file NAME in
// $PATH's directories ("/bin:/usr/bin" when PATH is unset, an empty entry
// the current directory); NAME itself, if executable, when it has a '/'.
std::optional<std::string> find_on_path(const std::string& name);

}  // namespace smmu
