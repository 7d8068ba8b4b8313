// Where tests find the source tree (fixtures, goldens) and the built binary.
#pragma once

#include <string>

namespace smmu::test {

std::string source_dir();   // the checkout
std::string binary_path();  // the smmu-plan executable under test
// A fresh empty directory under the build's temp area, removed at exit.
std::string make_temp_dir();

// examples/hosts/<name> in the checkout.
std::string example_host(const std::string& name = "grace-gh200");
// tests/data/guest-samples/<name> in the checkout.
std::string guest_sample(const std::string& name);
// The whole file as bytes; empty when it cannot be read (the test's own
// comparison then says what is missing).
std::string file_bytes(const std::string& path);
// file_bytes of guest_sample(name).
std::string guest_sample_bytes(const std::string& name);

}  // namespace smmu::test
