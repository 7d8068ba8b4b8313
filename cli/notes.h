// Notes: lines a command has for stderr ("smmu-plan: note: ..."), printed by
// cli::run only when the command succeeds, so that a failing run says one
// error line and nothing else.
#pragma once

#include <string>
#include <vector>

namespace smmu::cli {

void add_note(std::string line);  // repeats are kept once
std::vector<std::string> take_notes();

}  // namespace smmu::cli
