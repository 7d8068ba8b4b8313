// What goes to stderr as one "smmu-plan: error:" or "note:" line. Messages
// quote what they were given (a BDF, a file's line, a name from a saved
// tree), and hostile input may hold a newline, an ESC sequence for the
// terminal, a NUL or bytes that are not UTF-8: those become \xNN, so a
// message stays one line of text whatever it echoes (man smmu-plan, EXIT
// STATUS).
#pragma once

#include <string>
#include <string_view>

namespace smmu::cli {

// `message` with control bytes (below 0x20, 0x7f) and bytes of no valid
// UTF-8 sequence written as \xNN; everything else, UTF-8 included, as it is.
std::string one_line(std::string_view message);

}  // namespace smmu::cli
