// The libvirt hook's routing check: the domain XML libvirt hands the hook
// on stdin, checked against the grace-gh200 example host.
#include <string>

#include "libvirt/routing_check.h"
#include "tests/fuzz/fuzz_support.h"

using namespace smmu;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto& host = fuzz::example_tree();
  auto status = check_domain_routing(std::string(fuzz::text(data, size)), host);
  // On this (readable) host: the domain's fault, or a device it does not have.
  if (!status)
    FUZZ_CHECK(status.error().kind == ErrorKind::DomainXml || status.error().kind == ErrorKind::Request,
               "a refused domain is a domain XML or a device error");
  return 0;
}
