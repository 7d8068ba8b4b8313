// Text read from outside (a sysfs name, an ACPI table's OEM ID) made safe to
// print: bytes other than printable ASCII become \xNN, so a dump or a
// message stays one line of plain text and a valid JSON string.
#pragma once

#include <string>
#include <string_view>

namespace smmu {

enum class Space { Escape, Keep };

// A name as Linux writes it in sysfs: printable ASCII without spaces, not
// empty (docs/linux-host.md, Reading a saved tree safely).
bool is_kernel_name(std::string_view name);

// Appends `c` as "\xNN" (lower-case hex).
void append_hex_escape(std::string& out, unsigned char c);

// Bytes outside 0x21..0x7e, and '\' itself, as "\xNN" (lower-case hex); a
// space is kept when `space` says so (ACPI pads its IDs with spaces).
std::string printable(std::string_view text, Space space = Space::Escape);

}  // namespace smmu
