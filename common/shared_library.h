// A shared library opened on use (dlopen) and kept open for the rest of the
// process, for the libraries only some commands need: linked into the binary
// they would be mapped and relocated by every run, the hook's and the probe's
// too (docs/performance.md).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "common/result.h"

namespace smmu {

class SharedLibrary {
 public:
  // `soname` loaded with its own symbols kept to itself (RTLD_LOCAL), all
  // resolved now. When it cannot be: "<need> (Debian package <package>):
  // <the loader's reason>", e.g. need "--connect needs libvirt's client library".
  static Result<SharedLibrary> open(const char* soname, ErrorKind kind, const std::string& need,
                                    const char* package);

  // Sets `out` to the function `name`; the first one missing is kept.
  template <typename F>
  void resolve(const char* name, F& out) {
    out = reinterpret_cast<F>(symbol(name));
    if (!out && missing_.empty()) missing_ = name;
  }
  // The first function resolve() did not find; empty when all were there.
  const std::string& missing() const { return missing_; }

 private:
  explicit SharedLibrary(void* handle) : handle_(handle) {}
  void* symbol(const char* name) const;

  void* handle_;  // never closed: libraries may keep threads and atexit handlers
  std::string missing_;
};

// The table `open(soname)` makes of a library's calls, made once per soname
// and kept for the rest of the process (a later call returns the same table).
template <typename Table>
Result<const Table*> load_once(const char* soname, Result<Table> (*open)(const char*)) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<Table>> loaded;
  std::lock_guard<std::mutex> lock(mutex);
  auto& slot = loaded[soname];
  if (!slot) {
    SMMU_TRY(table, open(soname));
    slot = std::make_unique<Table>(table);
  }
  return static_cast<const Table*>(slot.get());
}

}  // namespace smmu
