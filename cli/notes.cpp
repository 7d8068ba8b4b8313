#include "cli/notes.h"

#include <algorithm>
#include <utility>

namespace smmu::cli {
namespace {

std::vector<std::string>& pending() {
  static std::vector<std::string> notes;
  return notes;
}

}  // namespace

void add_note(std::string line) {
  auto& notes = pending();
  if (std::find(notes.begin(), notes.end(), line) == notes.end()) notes.push_back(std::move(line));
}

std::vector<std::string> take_notes() { return std::exchange(pending(), {}); }

}  // namespace smmu::cli
