// Where tests find the source tree (fixtures, goldens) and the built binary.
#pragma once

#include <string>

namespace smmu::test {

std::string source_dir();   // the checkout
std::string binary_path();  // the smmu-plan executable under test
// A fresh empty directory under the build's temp area, removed at exit.
std::string make_temp_dir();

}  // namespace smmu::test
