#include "common/file_text.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace smmu {
namespace {

Error cannot_read(ErrorKind kind, const std::string& name, int error) {
  return make_error(kind, "cannot read " + name + ": " + std::strerror(error));
}

}  // namespace

Result<std::string> read_fd_text(int fd, const std::string& name, ErrorKind kind, size_t max_bytes) {
  if (fd < 0) return cannot_read(kind, name, errno);
  // Room for all of it at once: what a regular file says it holds (and a
  // byte to see its end), else (a pipe: the hook's standard input) the
  // bound, up to 4 MiB (a domain's). Reserving only maps address space; a
  // page costs only once data lands in it, so the read touches each page
  // once, where growing from a bounce buffer copied every page twice or
  // more (docs/performance.md).
  struct stat st {};
  size_t room = std::min(max_bytes, size_t{4} << 20);
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0) {
    room = std::min(max_bytes, static_cast<size_t>(st.st_size));
  }
  std::string data;
  data.reserve(room + 1);
  char buf[16384];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int saved = errno;
      ::close(fd);
      return cannot_read(kind, name, saved);
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
    if (data.size() > max_bytes) {
      ::close(fd);
      return make_error(kind, name + ": larger than " + std::to_string(max_bytes) + " bytes");
    }
  }
  ::close(fd);
  return data;
}

Result<std::string> read_file_text(const std::string& path, ErrorKind kind, size_t max_bytes,
                                   const std::string& name) {
  return read_fd_text(::open(path.c_str(), O_RDONLY | O_CLOEXEC), name.empty() ? path : name, kind, max_bytes);
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

}  // namespace smmu
