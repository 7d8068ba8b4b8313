#include "libvirt/api_session.h"

#include <cstdlib>
#include <memory>

namespace smmu {
namespace {

// libvirt prints every error on stderr by default; we report our own line.
void quiet(void*, virErrorPtr) {}

}  // namespace

LibvirtSession::~LibvirtSession() {
  for (auto* d : domains_) lv_.domain_free(d);
  if (conn_) lv_.connect_close(conn_);
}

Error LibvirtSession::error(const std::string& what) const {
  const char* detail = lv_.last_error_message();
  return make_error(ErrorKind::Libvirt, what + ": " + (detail ? detail : "unknown error"));
}

Status LibvirtSession::open(const std::string& uri, bool read_only) {
  lv_.set_error_func(nullptr, quiet);
  // Drivers that run in-process (qemu:///embed) need an event loop registered.
  if (lv_.event_register_default_impl() < 0) return error("cannot start libvirt's event loop");
  conn_ = read_only ? lv_.connect_open_read_only(uri.c_str()) : lv_.connect_open(uri.c_str());
  if (!conn_) return error("cannot connect to " + uri);
  return Ok{};
}

Result<unsigned long> LibvirtSession::lib_version(const std::string& uri) {
  unsigned long version = 0;
  if (lv_.connect_get_lib_version(conn_, &version) < 0) return error("cannot ask " + uri + " for its version");
  return version;
}

virDomainPtr LibvirtSession::keep(virDomainPtr d) {
  if (d) domains_.push_back(d);
  return d;
}

virDomainPtr LibvirtSession::lookup(const std::string& name) {
  return keep(lv_.domain_lookup_by_name(conn_, name.c_str()));
}

virDomainPtr LibvirtSession::define(const std::string& xml) {
  return keep(lv_.domain_define_xml_flags(conn_, xml.c_str(), VIR_DOMAIN_DEFINE_VALIDATE));
}

Result<std::string> LibvirtSession::xml_desc(virDomainPtr dom, unsigned flags, const std::string& name) {
  std::unique_ptr<char, decltype(&std::free)> xml(lv_.domain_get_xml_desc(dom, flags), &std::free);
  if (!xml) return error("cannot read the definition of " + name);
  return std::string(xml.get());
}

Result<std::string> LibvirtSession::inactive_xml(virDomainPtr dom, const std::string& name) {
  return xml_desc(dom, VIR_DOMAIN_XML_INACTIVE, name);
}

Result<std::string> LibvirtSession::live_xml(virDomainPtr dom, const std::string& name) {
  return xml_desc(dom, 0, name);
}

Result<bool> LibvirtSession::is_active(virDomainPtr dom, const std::string& name) {
  int active = lv_.domain_is_active(dom);
  if (active < 0) return error("cannot ask whether " + name + " runs");
  return active == 1;
}

Status LibvirtSession::attach(virDomainPtr dom, const std::string& xml, unsigned flags, const std::string& what) {
  if (lv_.domain_attach_device_flags(dom, xml.c_str(), flags) < 0) return error(what);
  return Ok{};
}

Status LibvirtSession::detach(virDomainPtr dom, const std::string& xml, unsigned flags, const std::string& what) {
  if (lv_.domain_detach_device_flags(dom, xml.c_str(), flags) < 0) return error(what);
  return Ok{};
}

}  // namespace smmu
