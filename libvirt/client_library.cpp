#include "libvirt/client_library.h"

#include <string>

#include "common/shared_library.h"

namespace smmu {
namespace {

Result<LibvirtClient> open_client(const char* soname) {
  SMMU_TRY(library, SharedLibrary::open(soname, ErrorKind::Libvirt, "--connect needs libvirt's client library",
                                        "libvirt0"));
  LibvirtClient c{};
  library.resolve("virSetErrorFunc", c.set_error_func);
  library.resolve("virGetLastErrorMessage", c.last_error_message);
  library.resolve("virEventRegisterDefaultImpl", c.event_register_default_impl);
  library.resolve("virConnectOpen", c.connect_open);
  library.resolve("virConnectOpenReadOnly", c.connect_open_read_only);
  library.resolve("virConnectClose", c.connect_close);
  library.resolve("virConnectGetLibVersion", c.connect_get_lib_version);
  library.resolve("virDomainLookupByName", c.domain_lookup_by_name);
  library.resolve("virDomainGetXMLDesc", c.domain_get_xml_desc);
  library.resolve("virDomainDefineXMLFlags", c.domain_define_xml_flags);
  library.resolve("virDomainFree", c.domain_free);
  library.resolve("virDomainIsActive", c.domain_is_active);
  library.resolve("virDomainAttachDeviceFlags", c.domain_attach_device_flags);
  library.resolve("virDomainDetachDeviceFlags", c.domain_detach_device_flags);
  if (!library.missing().empty()) {
    return make_error(ErrorKind::Libvirt, std::string(soname) + " has no " + library.missing() +
                                              "; --connect needs libvirt >= 1.2.12");
  }
  return c;
}

}  // namespace

Result<const LibvirtClient*> load_libvirt_client(const char* soname) { return load_once(soname, &open_client); }

}  // namespace smmu
