// Asks a QEMU binary for its own property lists over QMP, the way libvirt
// probes each QEMU binary: `BINARY -machine none -nodefaults -display none
// -qmp stdio` with the commands on stdin, `device-list-properties` for every
// device smmu-plan emits and `qom-list-properties` for its objects and the
// virt machine. The answer is the JSON of qemu-caps/qemu-X.Y.json
// (qemu-caps/README.md), byte for byte, which emit/qemu_caps.h parses.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "common/result.h"

namespace smmu {

// What is asked, in this order (tests/data/fake-qemu/*.qmp answer in it):
// each name with the QOM type name
// the query gives QEMU. Changing it changes kQemuQueryVersion.
struct QemuQueryItem {
  std::string_view kind;  // the answer's section: "devices", "objects" or "machines"
  std::string_view name;  // the key in that section
  std::string_view type;  // the typename QEMU is asked about
};
inline constexpr std::array<QemuQueryItem, 8> kQemuQueryItems = {{
    {"devices", "arm-smmuv3", "arm-smmuv3"},
    {"devices", "pxb-pcie", "pxb-pcie"},
    {"devices", "pcie-root-port", "pcie-root-port"},
    {"devices", "vfio-pci", "vfio-pci"},
    {"devices", "virtio-rng-pci", "virtio-rng-pci"},
    {"objects", "iommufd", "iommufd"},
    {"objects", "acpi-generic-initiator", "acpi-generic-initiator"},
    {"machines", "virt", "virt-machine"},
}};

// Part of every cache key: a cached answer of another version is not used.
// Bump it when kQemuQueryItems or the answer's form changes.
inline constexpr int kQemuQueryVersion = 1;

struct QemuQueryOptions {
  std::string cache_dir;     // empty: no cache; see query_qemu_caps
  int timeout_seconds = 60;  // QEMU killed after this long; 0: no limit
};

// QEMU's answer in the shipped files' form: {"qemu": "X.Y", "devices": {...},
// "objects": {...}, "machines": {"virt": {...}}}, each driver's properties
// name -> type, keys sorted, one-space indent, a final newline. A driver
// QEMU answers with an error (a QEMU that lacks it) is left out.
//
// BINARY without a '/' is looked up in PATH. Every failure is one line,
// ErrorKind::Usage (the binary is the operator's choice, named on the
// command line or found in PATH), starting "--qemu BINARY: ": not found,
// not an executable file, no answer within the timeout ("timeout"), an
// answer over 4 MiB, or no QMP greeting or fewer answers than asked (with
// QEMU's exit status and the first line it printed on stderr, or else on
// stdout).
//
// With options.cache_dir, an answer is kept there in a file named after a
// hash of the binary's realpath, its st_dev, st_ino, st_size and st_mtime
// (ns), kQemuQueryVersion and the commands sent; such a file, when it holds
// a well-formed answer, is returned without running QEMU. The directory is
// made (0755) when missing, the file (0644) written atomically; a cache that
// cannot be read or written is only a slower query, never an error. The key
// sees the binary named, not what it runs: a wrapper script whose target
// changes keeps its cached answer.
Result<std::string> query_qemu_caps(const std::string& binary, const QemuQueryOptions& options);

// $XDG_CACHE_HOME/smmu-plan/qemu-caps, else $HOME/.cache/smmu-plan/qemu-caps
// (an empty or relative XDG_CACHE_HOME is ignored, as the XDG Base Directory
// specification says); "" when neither is set.
std::string default_qemu_cache_dir();

}  // namespace smmu
