// Byte counts as smmu-plan writes them, exactly: for QEMU in the largest
// unit that divides the count ("256G": its size suffixes are binary), for
// people unit by unit ("256 GiB + 32 MiB"); and read back as QEMU spells
// them (parse_size).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace smmu {

inline constexpr uint64_t kKiB = 1ull << 10, kMiB = 1ull << 20, kGiB = 1ull << 30,
                          kTiB = 1ull << 40;

// "1T", "256G", "32M", "4K", or the plain number.
std::string qemu_size(uint64_t bytes);
// "1 TiB", "256 GiB + 32 MiB", "12 bytes", "0 bytes".
std::string human_size(uint64_t bytes);

// "512G", "1t", "4096": decimal digits and an optional binary suffix K, M,
// G, T, P or E in either case, as QEMU reads a size (docs/qemu.md, Property
// types and GPU options; QEMU also takes fractions and a B suffix, which
// this does not).
// A Usage error naming the text for anything else, or 16 EiB or more.
Result<uint64_t> parse_size(std::string_view text);

// The smallest power of two >= n (1 for 0); none above 2^63.
std::optional<uint64_t> pow2_ceil(uint64_t n);
// a + b, or UINT64_MAX when that does not fit: sizes summed from a host's
// files never wrap to a small number.
inline uint64_t add_saturating(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }
inline bool is_pow2(uint64_t n) { return n != 0 && (n & (n - 1)) == 0; }

}  // namespace smmu
