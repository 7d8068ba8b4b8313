// An in-memory HostTree for tests: any host layout, including broken ones
// (dangling or looping links, unreadable files, devices that vanish while
// being probed), is a few lines of setup.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "hostprobe/host_tree.h"

namespace smmu {

class MemoryTree final : public HostTree {
 public:
  // Parent directories are created as needed.
  MemoryTree& file(const std::string& path, std::string content);
  MemoryTree& dir(const std::string& path);
  MemoryTree& link(const std::string& path, std::string target);
  // Reads of this path fail as if permission were denied.
  MemoryTree& deny(const std::string& path);
  // A vfio character device at `path` whose IOMMU_GET_HW_INFO gives `answer`.
  // A plain file() there is read as a recorded answer instead.
  MemoryTree& hw_info(const std::string& path, HwInfoAnswer answer);
  // Removes the path and everything below it.
  void remove(const std::string& path);
  // Called with the path before every access; tests use it to change the
  // tree mid-probe.
  void on_access(std::function<void(MemoryTree&, std::string_view)> hook) { hook_ = std::move(hook); }

  Result<std::optional<std::string>> read_file(std::string_view path) const override;
  Result<std::optional<std::string>> read_link(std::string_view path) const override;
  Result<std::optional<std::vector<std::string>>> list_dir(std::string_view path) const override;
  Result<NodeKind> kind(std::string_view path) const override;
  Result<std::optional<std::string>> resolve(std::string_view path) const override;
  Result<HwInfoAnswer> iommu_hw_info(std::string_view path) const override;
  std::string describe(std::string_view path) const override { return "mem:/" + std::string(path); }

 private:
  struct Node {
    enum Type { File, Dir, Link } type = Dir;
    std::string data;  // file contents or link target
    bool denied = false;
  };
  enum class Walk { Found, Missing, Loop };
  struct Resolved {
    Walk walk = Walk::Missing;
    std::string path;  // canonical path when found
  };

  Resolved walk(std::string_view path, bool follow_last) const;
  void touch(std::string_view path) const;
  void make_parents(const std::string& path);

  std::map<std::string, Node> nodes_{{"", Node{}}};
  std::map<std::string, HwInfoAnswer> hw_info_;  // canonical path -> answer
  std::function<void(MemoryTree&, std::string_view)> hook_;
};

}  // namespace smmu
