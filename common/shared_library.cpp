#include "common/shared_library.h"

#include <dlfcn.h>

namespace smmu {

Result<SharedLibrary> SharedLibrary::open(const char* soname, ErrorKind kind, const std::string& need,
                                          const char* package) {
  void* handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = dlerror();
    return make_error(kind, need + " (Debian package " + package + "): " + (why ? why : "unknown error"));
  }
  return SharedLibrary(handle);
}

void* SharedLibrary::symbol(const char* name) const { return dlsym(handle_, name); }

}  // namespace smmu
