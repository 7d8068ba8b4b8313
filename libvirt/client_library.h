// libvirt's client library (libvirt.so.0), loaded when `apply --connect`
// needs it and not before: linked into the binary it brought ~55 shared
// libraries (gnutls, curl, krb5, ldap, ssh, glib) into every run, the hook's
// and the probe's too (docs/libvirt.md, The client library, loaded on use).
// The declarations are libvirt's own headers; only the calls are looked up.
#pragma once

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "common/result.h"

namespace smmu {

// The libvirt calls `apply --connect` and `hotplug --connect` make, resolved in the loaded library.
struct LibvirtClient {
  decltype(&::virSetErrorFunc) set_error_func;
  decltype(&::virGetLastErrorMessage) last_error_message;
  decltype(&::virEventRegisterDefaultImpl) event_register_default_impl;
  decltype(&::virConnectOpen) connect_open;
  decltype(&::virConnectOpenReadOnly) connect_open_read_only;
  decltype(&::virConnectClose) connect_close;
  decltype(&::virConnectGetLibVersion) connect_get_lib_version;
  decltype(&::virDomainLookupByName) domain_lookup_by_name;
  decltype(&::virDomainGetXMLDesc) domain_get_xml_desc;
  decltype(&::virDomainDefineXMLFlags) domain_define_xml_flags;
  decltype(&::virDomainFree) domain_free;
  decltype(&::virDomainIsActive) domain_is_active;
  decltype(&::virDomainAttachDeviceFlags) domain_attach_device_flags;
  decltype(&::virDomainDetachDeviceFlags) domain_detach_device_flags;
};

inline constexpr const char* kLibvirtClientLibrary = "libvirt.so.0";

// The client library `soname`, loaded once per process and kept loaded (a
// later call with the same name returns the same table). ErrorKind::Libvirt,
// naming the library and the Debian package that ships it, when it is not
// installed or lacks a call.
Result<const LibvirtClient*> load_libvirt_client(const char* soname = kLibvirtClientLibrary);

}  // namespace smmu
