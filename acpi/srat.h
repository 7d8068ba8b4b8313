// The SRAT's Generic Initiator Affinity structures (ACPI 6.5, 5.2.16.6): the
// proximity domain of each device that initiates memory accesses, as QEMU
// writes one per acpi-generic-initiator. A PCI device handle is the segment
// (2 bytes, little-endian), then the bus byte, then the devfn byte (seen in
// QEMU 11.1's tables: "fe 00" for 0000:fe:00.0). The only part of the SRAT verify
// reads; the other structures (processors, memory) are skipped.
#pragma once

#include <cstdint>
#include <vector>

#include "common/bdf.h"
#include "common/result.h"

namespace smmu {

struct SratGenericInitiator {
  uint32_t proximity_domain = 0;
  bool pci = false;      // a PCI device handle (else an ACPI one: no BDF)
  Bdf bdf;               // segment as the domain, bus and devfn from the handle
  bool enabled = false;  // flags bit 0
};

// Every Generic Initiator Affinity structure, in table order. A table that
// is not an SRAT, or whose lengths run past its bytes, is an error of
// `kind_on_error` naming the byte offset.
Result<std::vector<SratGenericInitiator>> decode_srat_generic_initiators(
    const std::vector<uint8_t>& bytes, ErrorKind kind_on_error);

}  // namespace smmu
