#include "cli/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace smmu::cli {
namespace {

Error os_error(ErrorKind kind, const char* what, const std::string& path) {
  return make_error(kind, std::string(what) + " " + path + ": " + std::strerror(errno));
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

Status write_output(const std::string& path, std::string_view data) {
  if (path.empty() || path == "-") {
    if (!write_all(STDOUT_FILENO, data)) {
      return os_error(ErrorKind::Output, "cannot write to", "standard output");
    }
    return Ok{};
  }
  std::string tmp = path + ".tmp-XXXXXX";
  int fd = ::mkstemp(tmp.data());
  if (fd < 0) return os_error(ErrorKind::Output, "cannot create a file beside", path);
  bool ok = ::fchmod(fd, 0644) == 0 && write_all(fd, data) && ::fsync(fd) == 0;
  int saved = errno;
  ok = ::close(fd) == 0 && ok;
  if (ok && ::rename(tmp.c_str(), path.c_str()) == 0) return Ok{};
  if (ok) saved = errno;
  ::unlink(tmp.c_str());
  errno = saved;
  return os_error(ErrorKind::Output, "cannot write", path);
}

Result<std::string> read_input(const std::string& file, ErrorKind kind, size_t max_bytes) {
  const bool stdin_ = file == "-";
  const std::string path = stdin_ ? "standard input" : file;
  int fd = stdin_ ? ::fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0) : ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return os_error(kind, "cannot read", path);
  std::string data;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int saved = errno;
      ::close(fd);
      errno = saved;
      return os_error(kind, "cannot read", path);
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
    if (data.size() > max_bytes) {
      ::close(fd);
      return make_error(kind, path + ": larger than " + std::to_string(max_bytes) + " bytes");
    }
  }
  ::close(fd);
  return data;
}

}  // namespace smmu::cli
