// Reading inputs and writing outputs for the CLI.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace smmu::cli {

// Writes `data` to `path`, or to stdout when path is empty or "-", the way
// an operator's target expects it (docs/linux-host.md, Writing files):
//  - a regular file is replaced atomically (a temporary file beside it,
//    renamed over it), keeping the target's mode, owner and POSIX ACL; when
//    the owner cannot be kept (not root, another user's file), the file is
//    rewritten in place instead, which keeps them but is not atomic;
//  - a symlink is written through: the file it names is replaced and the
//    link stays; a link to nothing is refused;
//  - anything else that exists (a character device such as /dev/null, a
//    pipe, /dev/stdout) is opened and written as it is;
//  - a new file is created 0644.
// SIGXFSZ is blocked while writing, so a file size limit is an error (EFBIG)
// and the temporary file is removed, never a kill that leaves it behind.
// Errors are ErrorKind::Output naming the path and the reason.
Status write_output(const std::string& path, std::string_view data);

// A whole input file ("-": standard input, as already open, so a process
// without /dev/stdin, e.g. a hook run from an initramfs, reads it too);
// errors are of `kind`, naming the path. A file longer than `max_bytes` is
// an error, found without reading more than that.
Result<std::string> read_input(const std::string& path, ErrorKind kind,
                               size_t max_bytes = std::string::npos);

}  // namespace smmu::cli
