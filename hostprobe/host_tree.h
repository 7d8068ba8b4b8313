// The one seam through which the probe reads a host: a directory tree rooted
// at "/" on a live host, or at a saved copy (--root DIR holding sys/ and dev/),
// or held in memory by tests. Paths are relative to the root ("sys/bus/pci")
// and resolve as the kernel resolves them — symlinks followed, ".." taken
// physically — but never above the root: an absolute link target means
// "from the root", so a saved tree can never reach into the real host.
//
// Missing paths are not errors here (std::nullopt); anything else that stops
// a read (permission, a symlink loop, I/O) is an ErrorKind::HostTree naming
// the path.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "hostprobe/hw_info.h"

namespace smmu {

enum class NodeKind { Missing, File, Directory };

class HostTree {
 public:
  virtual ~HostTree() = default;

  // Whole contents of a regular file.
  virtual Result<std::optional<std::string>> read_file(std::string_view path) const = 0;
  // The target of a symlink, as stored (not resolved).
  virtual Result<std::optional<std::string>> read_link(std::string_view path) const = 0;
  // Entry names of a directory, sorted, without "." and "..".
  virtual Result<std::optional<std::vector<std::string>>> list_dir(std::string_view path) const = 0;
  // What the path resolves to (following every symlink).
  virtual Result<NodeKind> kind(std::string_view path) const = 0;
  // The canonical path (no symlinks, relative to the root) the path resolves to.
  virtual Result<std::optional<std::string>> resolve(std::string_view path) const = 0;
  // What IOMMU_GET_HW_INFO answers through the vfio cdev at `path`
  // ("dev/vfio/devices/vfio3"): the ioctls themselves (hostprobe/
  // iommufd_query.h) when it is a character device, the recorded answer
  // (hostprobe/hw_info_text.h) when it is a regular file. A missing node, no
  // permission, no /dev/iommu or an old kernel is an answer with a reason; a
  // malformed recording is an ErrorKind::HostTree.
  virtual Result<HwInfoAnswer> iommu_hw_info(std::string_view path) const = 0;

  // For messages: how the root is named to the user ("/", "examples/hosts/x").
  virtual std::string describe(std::string_view path) const = 0;
};

// The real filesystem below `root`. Fails when root is not a directory.
// Only regular files are read, up to 1 MiB each. A character device at a
// vfio cdev path gets the real IOMMU_GET_HW_INFO ioctls only with
// `device_nodes`, which is the live host's (root "/") by default: a saved
// tree never reaches hardware (docs/linux-host.md, Reading a saved tree
// safely).
Result<std::unique_ptr<HostTree>> open_disk_tree(const std::string& root);
Result<std::unique_ptr<HostTree>> open_disk_tree(const std::string& root, bool device_nodes);

}  // namespace smmu
