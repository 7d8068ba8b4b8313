// The recorded IOMMU_GET_HW_INFO answer a saved host tree keeps where a live
// host has the vfio character device (dev/vfio/devices/vfioN as a regular
// file), so saved example hosts carry fixed register values. ASCII text, one
// item a line, '#' starts a comment, numbers in hex (0x...) or decimal:
//
//   type 2                                      out_data_type (2: ARM SMMUv3)
//   idr 0x0c4f77bb 0x02739c10 0 0x00001734 0 0x00000475   SMMU_IDR0..5
//   iidr 0x4870043b                             SMMU_IIDR
//   aidr 0x00000002                             SMMU_AIDR
//   cmdqv 1 7 4        optional: Tegra241 CMDQV version, log2vcmdqs, log2vsids
//
// or, for a host that could not answer, one line
//
//   unavailable Permission denied opening /dev/iommu
//
// An empty file (a tree saved before answers were recorded) answers
// "unavailable" too. `type`, `idr`, `iidr` and `aidr` are required, each once.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "hostprobe/hw_info.h"

namespace smmu {

// A malformed recording is an ErrorKind::HostTree "<where>: line N: ...".
Result<HwInfoAnswer> parse_hw_info_text(std::string_view text, const std::string& where);

}  // namespace smmu
