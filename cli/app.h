#pragma once

namespace smmu::cli {

// Parses the command line, runs one subcommand, prints at most one error
// line on stderr, and returns the exit code (cli/exit_codes.h).
int run(int argc, char** argv);

}  // namespace smmu::cli
