#include "tests/memory_tree.h"

#include <cerrno>
#include <deque>

#include "hostprobe/hw_info_text.h"
#include "hostprobe/iommufd_query.h"

namespace smmu {
namespace {

std::deque<std::string> split(std::string_view path) {
  std::deque<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (end > start) parts.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

std::string join(const std::string& dir, const std::string& name) {
  return dir.empty() ? name : dir + "/" + name;
}

std::string parent_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

Error loop_error(const MemoryTree& t, std::string_view path) {
  return make_error(ErrorKind::HostTree,
                    t.describe(path) + ": cannot open: symlink loop or too many links");
}

}  // namespace

void MemoryTree::make_parents(const std::string& path) {
  for (std::string p = parent_of(path); !p.empty(); p = parent_of(p)) nodes_.try_emplace(p);
}

MemoryTree& MemoryTree::file(const std::string& path, std::string content) {
  make_parents(path);
  nodes_[path] = Node{Node::File, std::move(content)};
  hw_info_.erase(path);  // a plain file there is a recorded answer
  return *this;
}

MemoryTree& MemoryTree::dir(const std::string& path) {
  make_parents(path);
  nodes_.try_emplace(path);
  return *this;
}

MemoryTree& MemoryTree::link(const std::string& path, std::string target) {
  make_parents(path);
  nodes_[path] = Node{Node::Link, std::move(target)};
  return *this;
}

MemoryTree& MemoryTree::deny(const std::string& path) {
  nodes_.at(path).denied = true;
  return *this;
}

MemoryTree& MemoryTree::hw_info(const std::string& path, HwInfoAnswer answer) {
  file(path, "");
  hw_info_[path] = std::move(answer);
  return *this;
}

void MemoryTree::remove(const std::string& path) {
  auto it = nodes_.lower_bound(path);
  while (it != nodes_.end() &&
         (it->first == path || it->first.compare(0, path.size() + 1, path + "/") == 0)) {
    hw_info_.erase(it->first);
    it = nodes_.erase(it);
  }
}

void MemoryTree::touch(std::string_view path) const {
  if (hook_) hook_(const_cast<MemoryTree&>(*this), path);
}

// Resolves like the kernel's path walk: links are followed (absolute targets
// from the root), ".." is physical, and 40 links make a loop.
MemoryTree::Resolved MemoryTree::walk(std::string_view path, bool follow_last) const {
  std::deque<std::string> todo = split(path);
  std::string cur;
  int links = 0;
  while (!todo.empty()) {
    std::string name = std::move(todo.front());
    todo.pop_front();
    if (name == ".") continue;
    if (name == "..") {
      cur = parent_of(cur);
      continue;
    }
    std::string next = join(cur, name);
    auto it = nodes_.find(next);
    if (it == nodes_.end()) return {Walk::Missing, {}};
    const Node& node = it->second;
    if (node.type == Node::Link && (follow_last || !todo.empty())) {
      if (++links > 40) return {Walk::Loop, {}};
      auto target = split(node.data);
      todo.insert(todo.begin(), target.begin(), target.end());
      if (!node.data.empty() && node.data[0] == '/') cur.clear();
      continue;
    }
    if (node.type == Node::File && !todo.empty()) return {Walk::Missing, {}};
    cur = next;
  }
  return {Walk::Found, cur};
}

Result<std::optional<std::string>> MemoryTree::read_file(std::string_view path) const {
  touch(path);
  auto r = walk(path, true);
  if (r.walk == Walk::Loop) return loop_error(*this, path);
  if (r.walk == Walk::Missing) return std::optional<std::string>();
  const Node& node = nodes_.at(r.path);
  if (node.denied) {
    return make_error(ErrorKind::HostTree, describe(path) + ": cannot open: Permission denied");
  }
  if (node.type != Node::File) {
    return make_error(ErrorKind::HostTree, describe(path) + ": cannot read: Is a directory");
  }
  return std::optional<std::string>(node.data);
}

Result<std::optional<std::string>> MemoryTree::read_link(std::string_view path) const {
  touch(path);
  auto r = walk(path, false);
  if (r.walk == Walk::Loop) return loop_error(*this, path);
  if (r.walk == Walk::Missing) return std::optional<std::string>();
  const Node& node = nodes_.at(r.path);
  if (node.type != Node::Link) return std::optional<std::string>();
  return std::optional<std::string>(node.data);
}

Result<std::optional<std::vector<std::string>>> MemoryTree::list_dir(std::string_view path) const {
  touch(path);
  auto r = walk(path, true);
  if (r.walk == Walk::Loop) return loop_error(*this, path);
  if (r.walk == Walk::Missing) return std::optional<std::vector<std::string>>();
  const Node& node = nodes_.at(r.path);
  if (node.denied) {
    return make_error(ErrorKind::HostTree, describe(path) + ": cannot open: Permission denied");
  }
  if (node.type != Node::Dir) return std::optional<std::vector<std::string>>();
  std::vector<std::string> names;
  std::string prefix = r.path.empty() ? "" : r.path + "/";
  for (auto it = nodes_.upper_bound(prefix); it != nodes_.end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    std::string rest = it->first.substr(prefix.size());
    if (!rest.empty() && rest.find('/') == std::string::npos) names.push_back(rest);
  }
  return std::optional<std::vector<std::string>>(std::move(names));
}

Result<NodeKind> MemoryTree::kind(std::string_view path) const {
  touch(path);
  auto r = walk(path, true);
  if (r.walk == Walk::Loop) return loop_error(*this, path);
  if (r.walk == Walk::Missing) return NodeKind::Missing;
  return nodes_.at(r.path).type == Node::Dir ? NodeKind::Directory : NodeKind::File;
}

Result<std::optional<std::string>> MemoryTree::resolve(std::string_view path) const {
  touch(path);
  auto r = walk(path, true);
  if (r.walk == Walk::Loop) return loop_error(*this, path);
  if (r.walk == Walk::Missing) return std::optional<std::string>();
  return std::optional<std::string>(r.path.empty() ? "." : r.path);
}

Result<HwInfoAnswer> MemoryTree::iommu_hw_info(std::string_view path) const {
  touch(path);
  const std::string device = describe(path);
  auto r = walk(path, true);
  if (r.walk == Walk::Loop) return loop_error(*this, path);
  if (r.walk == Walk::Missing) {
    return HwInfoAnswer::none(hw_info_failure(HwInfoStep::OpenDevice, ENOENT, device));
  }
  const Node& node = nodes_.at(r.path);
  if (node.denied) return HwInfoAnswer::none(hw_info_failure(HwInfoStep::OpenDevice, EACCES, device));
  if (auto it = hw_info_.find(r.path); it != hw_info_.end()) return it->second;
  if (node.type != Node::File) {
    return make_error(ErrorKind::HostTree,
                      device + ": neither a vfio character device nor a recorded hw_info answer");
  }
  return parse_hw_info_text(node.data, device);
}

}  // namespace smmu
