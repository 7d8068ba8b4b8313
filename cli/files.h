// Reading inputs and writing outputs for the CLI. An output file appears
// whole or not at all: it is written beside its destination and renamed.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace smmu::cli {

// Writes `data` to `path`, or to stdout when path is empty.
Status write_output(const std::string& path, std::string_view data);

// A whole input file ("-": standard input, as already open, so a process
// without /dev/stdin, e.g. a hook run from an initramfs, reads it too);
// errors are of `kind`, naming the path. A file longer than `max_bytes` is
// an error, found without reading more than that.
Result<std::string> read_input(const std::string& path, ErrorKind kind,
                               size_t max_bytes = std::string::npos);

}  // namespace smmu::cli
