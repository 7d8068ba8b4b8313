// One connection to libvirt through its loaded client library
// (libvirt/client_library.h), with the calls `apply --connect` and
// `hotplug --connect` make; libvirt's own errors become ErrorKind::Libvirt
// lines, and every handle is released when the session ends.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "libvirt/client_library.h"

namespace smmu {

class LibvirtSession {
 public:
  explicit LibvirtSession(const LibvirtClient& lv) : lv_(lv) {}
  LibvirtSession(const LibvirtSession&) = delete;
  LibvirtSession& operator=(const LibvirtSession&) = delete;
  ~LibvirtSession();

  // `what` and libvirt's last error message.
  Error error(const std::string& what) const;

  Status open(const std::string& uri, bool read_only);
  Result<unsigned long> lib_version(const std::string& uri);

  // nullptr (with libvirt's error to report) when libvirt has none.
  virDomainPtr lookup(const std::string& name);
  virDomainPtr define(const std::string& xml);  // validated against libvirt's schema

  // The definition (inactive) or, of a running domain, what it runs (live).
  Result<std::string> inactive_xml(virDomainPtr dom, const std::string& name);
  Result<std::string> live_xml(virDomainPtr dom, const std::string& name);
  Result<bool> is_active(virDomainPtr dom, const std::string& name);
  // virDomainAttachDeviceFlags / virDomainDetachDeviceFlags.
  Status attach(virDomainPtr dom, const std::string& xml, unsigned flags, const std::string& what);
  Status detach(virDomainPtr dom, const std::string& xml, unsigned flags, const std::string& what);

 private:
  virDomainPtr keep(virDomainPtr d);
  Result<std::string> xml_desc(virDomainPtr dom, unsigned flags, const std::string& name);

  const LibvirtClient& lv_;
  virConnectPtr conn_ = nullptr;
  std::vector<virDomainPtr> domains_;
};

}  // namespace smmu
