// HostTree on the real filesystem. Every lookup goes through openat2(2) with
// RESOLVE_IN_ROOT, so the kernel itself confines resolution to the root.
//
// The probe reads a device's attributes and links one after another, and
// walking "sys/bus/pci/devices/<bdf>" (a symlink into sys/devices/...) from
// the root for each one was most of its time. So read_file and read_link keep
// their parent directory open until asked about another one (and kind keeps
// a directory it is asked about), and read_file and list_dir open a leaf of
// the kept directory from there, with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS:
// a leaf that is a symlink (or "..") still goes the whole way from the root,
// so the answers are the same. (On a live host a device removed while its
// directory is kept reads as missing from then on, as a removed device does.)
// Not for concurrent use.
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <utility>

#include "hostprobe/host_tree.h"
#include "hostprobe/hw_info_text.h"
#include "hostprobe/iommufd_query.h"

namespace smmu {
namespace {

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  Fd& operator=(Fd&& o) noexcept {
    std::swap(fd_, o.fd_);
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// More than any sysfs attribute (a page) or firmware table the probe reads.
constexpr size_t kMaxFileBytes = 1u << 20;

const char* file_type(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISDIR(mode)) return "a directory";
  return "not a file";
}

std::pair<std::string_view, std::string_view> split_parent(std::string_view path) {
  auto slash = path.rfind('/');
  if (slash == std::string_view::npos) return {".", path};
  return {path.substr(0, slash), path.substr(slash + 1)};
}

class DiskTree final : public HostTree {
 public:
  DiskTree(std::string root, Fd root_fd, bool device_nodes)
      : root_(std::move(root)), root_fd_(std::move(root_fd)), device_nodes_(device_nodes) {}

  Result<std::optional<std::string>> read_file(std::string_view path) const override {
    keep_directory(split_parent(path).first);  // if that fails, the open below says why
    // O_NONBLOCK: a FIFO planted in a saved tree must not block the open
    // (docs/linux-host.md, Reading a saved tree safely).
    int fd = open_from_kept_parent(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) return missing_or_error<std::string>(path);
    Fd guard(fd);
    // What is not a regular file shows as an empty read (a FIFO without a
    // writer, /dev/null), an error (EAGAIN) or no end (/dev/zero): only then
    // is the type asked, which keeps an attribute read at one open and its
    // reads (an fstat each cost a tenth of a probe, smmu-plan-bench).
    std::string data;
    char buf[4096];
    for (;;) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n < 0) {
        if (errno == EINTR) continue;
        int err = errno;
        SMMU_CHECK(regular_file(fd, path));
        errno = err;
        return os_error(path, "cannot read");
      }
      if (n == 0) break;
      data.append(buf, static_cast<size_t>(n));
      if (data.size() > kMaxFileBytes) {
        SMMU_CHECK(regular_file(fd, path));
        return make_error(ErrorKind::HostTree, describe(path) + ": larger than " +
                                                   std::to_string(kMaxFileBytes) + " bytes, which no "
                                                   "attribute or firmware table the probe reads is");
      }
    }
    if (data.empty()) SMMU_CHECK(regular_file(fd, path));
    return std::optional<std::string>(std::move(data));
  }

  Result<std::optional<std::string>> read_link(std::string_view path) const override {
    auto [parent, leaf] = split_parent(path);
    int dir = keep_directory(parent);
    if (dir < 0) return missing_or_error<std::string>(path);
    char buf[4096];
    ssize_t n = ::readlinkat(dir, std::string(leaf).c_str(), buf, sizeof buf);
    if (n < 0) {
      // EINVAL: the path exists but is not a symlink; treat as "no link".
      if (errno == ENOENT || errno == EINVAL) return std::optional<std::string>();
      return os_error(path, "cannot read link");
    }
    return std::optional<std::string>(std::string(buf, static_cast<size_t>(n)));
  }

  Result<std::optional<std::vector<std::string>>> list_dir(std::string_view path) const override {
    int fd = open_from_kept_parent(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return missing_or_error<std::vector<std::string>>(path);
    Fd guard(fd);
    // getdents64 on the descriptor itself: fdopendir's fstat and two fcntl
    // calls were an eighth of a probe's system calls (docs/performance.md).
    // The kernel gives whole records, each d_reclen long and 8-byte aligned.
    std::vector<std::string> names;
    alignas(8) char buf[32768];
    for (;;) {
      ssize_t n = ::getdents64(fd, buf, sizeof buf);
      if (n < 0) {
        if (errno == EINTR) continue;
        return os_error(path, "cannot list");
      }
      if (n == 0) break;
      for (ssize_t at = 0; at < n;) {
        const auto* e = reinterpret_cast<const dirent64*>(buf + at);
        at += e->d_reclen;
        std::string_view name = e->d_name;
        if (name != "." && name != "..") names.emplace_back(name);
      }
    }
    std::sort(names.begin(), names.end());
    return std::optional<std::vector<std::string>>(std::move(names));
  }

  // A directory asked about is kept: what is asked next is mostly what is
  // in it (a device's attributes and links after its directory).
  Result<NodeKind> kind(std::string_view path) const override {
    if (kept_dir_.get() >= 0 && path == kept_dir_path_) return NodeKind::Directory;
    int fd = open_in_root(path, O_PATH | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT || errno == ENOTDIR) return NodeKind::Missing;
      return os_error(path, "cannot look up");
    }
    Fd guard(fd);
    struct stat st {};
    if (::fstat(fd, &st) != 0) return os_error(path, "cannot stat");
    if (!S_ISDIR(st.st_mode)) return NodeKind::File;
    kept_dir_ = std::move(guard);
    kept_dir_path_ = path;
    return NodeKind::Directory;
  }

  Result<std::optional<std::string>> resolve(std::string_view path) const override {
    int fd = open_in_root(path, O_PATH | O_CLOEXEC);
    if (fd < 0) return missing_or_error<std::string>(path);
    Fd guard(fd);
    auto full = fd_path(fd);
    if (!full) return os_error(path, "cannot resolve");
    auto root = fd_path(root_fd_.get());
    if (!root) return os_error(".", "cannot resolve");
    std::string prefix = *root == "/" ? "/" : *root + "/";
    if (*full == *root) return std::optional<std::string>(".");
    if (full->compare(0, prefix.size(), prefix) != 0) {
      return make_error(ErrorKind::HostTree, describe(path) + ": resolves outside the root");
    }
    return std::optional<std::string>(full->substr(prefix.size()));
  }

  Result<HwInfoAnswer> iommu_hw_info(std::string_view path) const override {
    const std::string device = describe(path);
    int fd = open_in_root(path, O_PATH | O_CLOEXEC);
    if (fd < 0) return HwInfoAnswer::none(hw_info_failure(HwInfoStep::OpenDevice, errno, device));
    Fd guard(fd);
    struct stat st {};
    if (::fstat(fd, &st) != 0) return os_error(path, "cannot stat");
    if (S_ISREG(st.st_mode)) {
      // An unreadable recording reads as a device we may not open.
      Fd readable(open_in_root(path, O_RDONLY | O_CLOEXEC));
      if (readable.get() < 0) {
        return HwInfoAnswer::none(hw_info_failure(HwInfoStep::OpenDevice, errno, device));
      }
      SMMU_TRY(text, read_file(path));
      if (!text) return HwInfoAnswer::none(hw_info_failure(HwInfoStep::OpenDevice, ENOENT, device));
      return parse_hw_info_text(*text, device);
    }
    if (!S_ISCHR(st.st_mode)) {
      return make_error(ErrorKind::HostTree,
                        device + ": neither a vfio character device nor a recorded hw_info answer");
    }
    // A saved tree never reaches hardware: a device node in it gets no ioctl.
    if (!device_nodes_) {
      return make_error(ErrorKind::HostTree, device + ": a device node in a saved tree; record its "
                                                      "answer as a file (hw_info text) instead");
    }
    Fd dev(open_in_root(path, O_RDWR | O_CLOEXEC));
    if (dev.get() < 0) return HwInfoAnswer::none(hw_info_failure(HwInfoStep::OpenDevice, errno, device));
    Fd iommu(open_in_root("dev/iommu", O_RDWR | O_CLOEXEC));
    if (iommu.get() < 0) return HwInfoAnswer::none(hw_info_failure(HwInfoStep::OpenIommu, errno, device));
    return query_hw_info(dev.get(), iommu.get(), device);
  }

  // Refuses what is not a regular file (docs/linux-host.md, Reading a saved
  // tree safely).
  Status regular_file(int fd, std::string_view path) const {
    struct stat st {};
    if (::fstat(fd, &st) != 0) return os_error(path, "cannot stat");
    if (S_ISREG(st.st_mode)) return Ok{};
    return make_error(ErrorKind::HostTree, describe(path) + ": not a regular file (" + file_type(st.st_mode) +
                                               "); sysfs attributes are files");
  }

  std::string describe(std::string_view path) const override {
    if (root_ == "/") return "/" + std::string(path);
    return root_ + "/" + std::string(path);
  }

 private:
  int open_in_root(std::string_view path, int flags) const {
    return open_at(root_fd_.get(), path, flags, RESOLVE_IN_ROOT);
  }

  // open_in_root(path, flags), from the kept directory when that is the
  // parent and the leaf is neither a symlink nor "..".
  int open_from_kept_parent(std::string_view path, int flags) const {
    auto [parent, leaf] = split_parent(path);
    if (kept_dir_.get() >= 0 && parent == kept_dir_path_) {
      int fd = open_at(kept_dir_.get(), leaf, flags, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS);
      if (fd >= 0 || (errno != ELOOP && errno != EXDEV)) return fd;
    }
    return open_in_root(path, flags);
  }

  // Keeps the directory `path` open in place of the one kept so far; its fd,
  // or -1 with errno set when it cannot be opened.
  int keep_directory(std::string_view path) const {
    if (kept_dir_.get() < 0 || path != kept_dir_path_) {
      int fd = open_in_root(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
      if (fd < 0) return -1;
      kept_dir_ = Fd(fd);
      kept_dir_path_ = path;
    }
    return kept_dir_.get();
  }

  static int open_at(int dir, std::string_view path, int flags, uint64_t resolve) {
    open_how how{};
    how.flags = static_cast<uint64_t>(flags);
    how.resolve = resolve | RESOLVE_NO_MAGICLINKS;
    std::string p(path.empty() ? "." : path);
    for (;;) {
      long fd = ::syscall(SYS_openat2, dir, p.c_str(), &how, sizeof how);
      if (fd >= 0 || errno != EAGAIN) return static_cast<int>(fd);
      // EAGAIN: a rename raced the lookup; the kernel asks us to retry.
    }
  }

  static std::optional<std::string> fd_path(int fd) {
    char link[64], buf[4096];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = ::readlink(link, buf, sizeof buf);
    if (n < 0) return std::nullopt;
    return std::string(buf, static_cast<size_t>(n));
  }

  template <typename T>
  Result<std::optional<T>> missing_or_error(std::string_view path) const {
    if (errno == ENOENT || errno == ENOTDIR) return std::optional<T>();
    return os_error(path, "cannot open");
  }

  Error os_error(std::string_view path, const char* what) const {
    int err = errno;
    std::string reason = err == ELOOP ? "symlink loop or too many links" : std::strerror(err);
    return make_error(ErrorKind::HostTree, describe(path) + ": " + what + ": " + reason);
  }

  std::string root_;
  Fd root_fd_;
  bool device_nodes_;
  mutable std::string kept_dir_path_;
  mutable Fd kept_dir_;
};

}  // namespace

Result<std::unique_ptr<HostTree>> open_disk_tree(const std::string& root) {
  return open_disk_tree(root, root == "/");
}

Result<std::unique_ptr<HostTree>> open_disk_tree(const std::string& root, bool device_nodes) {
  int fd = ::open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return make_error(ErrorKind::HostTree,
                      "host root '" + root + "': " + std::strerror(errno));
  }
  std::string name = root;
  while (name.size() > 1 && name.back() == '/') name.pop_back();
  return std::unique_ptr<HostTree>(new DiskTree(name, Fd(fd), device_nodes));
}

}  // namespace smmu
