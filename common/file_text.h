// A whole file read into memory, bounded: the one reader of the CLI's input
// files, QEMU's answers and their cache, and a test bed's console log; and
// the one loop that writes all of a buffer.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace smmu {

// The text of `path`, read to its end, or an error of `kind`: "cannot read
// NAME: <reason>", or "NAME: larger than MAX bytes" once more than
// `max_bytes` have been read (no more is). NAME is `name`, else the path.
Result<std::string> read_file_text(const std::string& path, ErrorKind kind, size_t max_bytes,
                                   const std::string& name = "");

// The same from an open descriptor, which is closed.
Result<std::string> read_fd_text(int fd, const std::string& name, ErrorKind kind, size_t max_bytes);

// Writes all of `data` to `fd`, resuming after EINTR and short writes;
// false (errno set) when a write fails.
bool write_all(int fd, std::string_view data);

}  // namespace smmu
