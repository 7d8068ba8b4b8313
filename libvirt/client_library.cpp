#include "libvirt/client_library.h"

#include <dlfcn.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace smmu {
namespace {

std::string dl_error() {
  const char* e = dlerror();
  return e ? e : "unknown error";
}

// Sets `out` to the call `name`; the first call missing is kept in `missing`.
template <typename F>
void resolve(void* handle, const char* name, F& out, std::string& missing) {
  out = reinterpret_cast<F>(dlsym(handle, name));
  if (!out && missing.empty()) missing = name;
}

Result<LibvirtClient> open_client(const char* soname) {
  // RTLD_LOCAL: libvirt's symbols serve these pointers only. Never closed:
  // libvirt keeps threads and atexit handlers of its own.
  void* handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    return make_error(ErrorKind::Libvirt, "--connect needs libvirt's client library (Debian package libvirt0): " +
                                              dl_error());
  }
  LibvirtClient c{};
  std::string missing;
  resolve(handle, "virSetErrorFunc", c.set_error_func, missing);
  resolve(handle, "virGetLastErrorMessage", c.last_error_message, missing);
  resolve(handle, "virEventRegisterDefaultImpl", c.event_register_default_impl, missing);
  resolve(handle, "virConnectOpen", c.connect_open, missing);
  resolve(handle, "virConnectOpenReadOnly", c.connect_open_read_only, missing);
  resolve(handle, "virConnectClose", c.connect_close, missing);
  resolve(handle, "virConnectGetLibVersion", c.connect_get_lib_version, missing);
  resolve(handle, "virDomainLookupByName", c.domain_lookup_by_name, missing);
  resolve(handle, "virDomainGetXMLDesc", c.domain_get_xml_desc, missing);
  resolve(handle, "virDomainDefineXMLFlags", c.domain_define_xml_flags, missing);
  resolve(handle, "virDomainFree", c.domain_free, missing);
  resolve(handle, "virDomainIsActive", c.domain_is_active, missing);
  resolve(handle, "virDomainAttachDeviceFlags", c.domain_attach_device_flags, missing);
  resolve(handle, "virDomainDetachDeviceFlags", c.domain_detach_device_flags, missing);
  if (!missing.empty()) {
    return make_error(ErrorKind::Libvirt, std::string(soname) + " has no " + missing +
                                              "; --connect needs libvirt >= 1.2.12");
  }
  return c;
}

}  // namespace

Result<const LibvirtClient*> load_libvirt_client(const char* soname) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<LibvirtClient>> loaded;
  std::lock_guard<std::mutex> lock(mutex);
  auto& slot = loaded[soname];
  if (!slot) {
    SMMU_TRY(client, open_client(soname));
    slot = std::make_unique<LibvirtClient>(client);
  }
  return static_cast<const LibvirtClient*>(slot.get());
}

}  // namespace smmu
