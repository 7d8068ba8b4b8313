#include "cli/files.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "common/file_text.h"

namespace smmu::cli {
namespace {

constexpr const char* kAclXattr = "system.posix_acl_access";

Error failed(const char* what, const std::string& path, int err) {
  return make_error(ErrorKind::Output, std::string(what) + " " + path + ": " + std::strerror(err));
}

// SIGXFSZ blocked for the scope: a write past RLIMIT_FSIZE fails with EFBIG.
class BlockFileSizeSignal {
 public:
  BlockFileSizeSignal() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGXFSZ);
    pthread_sigmask(SIG_BLOCK, &set, &old_);
  }
  ~BlockFileSizeSignal() {
    // Drop a pending SIGXFSZ of ours before unblocking, so it kills nobody.
    sigset_t pending;
    if (sigpending(&pending) == 0 && sigismember(&pending, SIGXFSZ)) {
      timespec zero{0, 0};
      sigset_t set;
      sigemptyset(&set);
      sigaddset(&set, SIGXFSZ);
      sigtimedwait(&set, nullptr, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

 private:
  sigset_t old_;
};

// Writes into something that is not a regular file, as it is.
Status write_special(const std::string& path, std::string_view data) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return failed("cannot open", path, errno);
  bool ok = write_all(fd, data);
  int err = errno;
  ok = ::close(fd) == 0 && ok;
  if (!ok) return failed("cannot write", path, err ? err : errno);
  return Ok{};
}

// Rewrites an existing regular file in place: owner, mode and ACL stay.
Status write_in_place(const std::string& path, std::string_view data) {
  int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return failed("cannot open", path, errno);
  bool ok = write_all(fd, data) && ::fsync(fd) == 0;
  int err = errno;
  ok = ::close(fd) == 0 && ok;
  if (!ok) return failed("cannot write", path, err ? err : errno);
  return Ok{};
}

// Gives the temporary file what the target had; false (errno set) when the
// owner cannot be given.
bool take_over(int fd, int target_fd, const struct stat& target) {
  if (::fchmod(fd, target.st_mode & 07777) != 0) return false;
  if ((target.st_uid != ::geteuid() || target.st_gid != ::getegid()) &&
      ::fchown(fd, target.st_uid, target.st_gid) != 0) {
    return false;
  }
  // The ACL, when the target has one (best effort: a file system without
  // ACLs has none to keep).
  ssize_t n = ::fgetxattr(target_fd, kAclXattr, nullptr, 0);
  if (n > 0) {
    std::vector<char> acl(static_cast<size_t>(n));
    n = ::fgetxattr(target_fd, kAclXattr, acl.data(), acl.size());
    if (n > 0 && ::fsetxattr(fd, kAclXattr, acl.data(), static_cast<size_t>(n), 0) != 0) return false;
  }
  // fchmod after fchown: chown clears set-id bits.
  return ::fchmod(fd, target.st_mode & 07777) == 0;
}

// Replaces regular file `path` (or creates it) through a temporary file
// beside it; `target_fd` is the existing file, or -1.
Status replace(const std::string& path, std::string_view data, int target_fd, const struct stat* target) {
  std::string tmp = path + ".tmp-XXXXXX";
  int fd = ::mkostemp(tmp.data(), O_CLOEXEC);
  if (fd < 0) return failed("cannot create a file beside", path, errno);
  bool owned = target ? take_over(fd, target_fd, *target) : ::fchmod(fd, 0644) == 0;
  int err = errno;
  if (!owned && target && err == EPERM) {
    // Another user's file that we may write but not give away: in place.
    ::close(fd);
    ::unlink(tmp.c_str());
    return write_in_place(path, data);
  }
  bool ok = owned && write_all(fd, data) && ::fsync(fd) == 0;
  if (!ok) err = errno;
  ok = ::close(fd) == 0 && ok;
  if (ok && ::rename(tmp.c_str(), path.c_str()) == 0) return Ok{};
  if (ok) err = errno;
  ::unlink(tmp.c_str());
  return failed("cannot write", path, err);
}

Status write_regular_or_special(const std::string& given, std::string_view data) {
  BlockFileSizeSignal no_sigxfsz;
  std::string path = given;
  struct stat link;
  if (::lstat(given.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) {
    char* resolved = ::realpath(given.c_str(), nullptr);
    if (!resolved) {
      return make_error(ErrorKind::Output, given + ": a symlink to nothing (" + std::strerror(errno) +
                                               "); write to the file it should name");
    }
    path = resolved;
    std::free(resolved);
  }
  int target_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (target_fd < 0) {
    if (errno != ENOENT) return failed("cannot open", path, errno);
    return replace(path, data, -1, nullptr);
  }
  struct stat target;
  if (::fstat(target_fd, &target) != 0) {
    int err = errno;
    ::close(target_fd);
    return failed("cannot read", path, err);
  }
  if (S_ISDIR(target.st_mode)) {
    ::close(target_fd);
    return failed("cannot write", path, EISDIR);
  }
  if (!S_ISREG(target.st_mode)) {
    ::close(target_fd);
    return write_special(path, data);
  }
  Status s = replace(path, data, target_fd, &target);
  ::close(target_fd);
  return s;
}

Error os_error(ErrorKind kind, const char* what, const std::string& path) {
  return make_error(kind, std::string(what) + " " + path + ": " + std::strerror(errno));
}

}  // namespace

Status write_output(const std::string& path, std::string_view data) {
  if (path.empty() || path == "-") {
    if (!write_all(STDOUT_FILENO, data)) {
      return os_error(ErrorKind::Output, "cannot write to", "standard output");
    }
    return Ok{};
  }
  return write_regular_or_special(path, data);
}

Result<std::string> read_input(const std::string& file, ErrorKind kind, size_t max_bytes) {
  if (file != "-") return read_file_text(file, kind, max_bytes);
  return read_fd_text(::fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0), "standard input", kind, max_bytes);
}

}  // namespace smmu::cli
