// `libvirt-hook`: run by libvirt as /etc/libvirt/hooks/qemu.d/smmu-plan with
// `OBJECT OPERATION SUB-OPERATION EXTRA` and the domain XML on stdin. On
// `prepare begin` it refuses (non-zero, one line that libvirt logs) a domain
// whose vSMMUs do not mirror the host's SMMUs; everything else passes. It
// never edits the domain and never calls back into libvirt.
#include <cstdlib>
#include <memory>

#include "cli/commands.h"
#include "cli/files.h"
#include "hostprobe/host_tree.h"
#include "libvirt/routing_check.h"
#include "libvirt/xml_bounds.h"

namespace smmu::cli {

Command add_hook_command(CLI::App* sub) {
  struct Options {
    std::string object, operation, sub_operation, extra;
    std::string root;
  };
  auto opts = std::make_shared<Options>();
  sub->add_option("object", opts->object, "Domain name")->required();
  sub->add_option("operation", opts->operation, "prepare, start, started, ...")->required();
  sub->add_option("sub-operation", opts->sub_operation, "begin, end, ...")->required();
  sub->add_option("extra", opts->extra, "Extra argument ('-')");
  sub->add_option("--root", opts->root, "Host root (default: $SMMU_HOOK_ROOT, else /)");
  return {sub, [opts]() -> Status {
            // Always drain stdin (libvirt writes the whole XML to every hook),
            // but only prepare/begin may fail because of it.
            auto xml = read_input("-", ErrorKind::DomainXml, kMaxDomainXmlBytes);
            if (opts->operation != "prepare" || opts->sub_operation != "begin") return Ok{};
            if (!xml) return xml.error();
            std::string root = opts->root;
            if (root.empty()) {
              const char* env = std::getenv("SMMU_HOOK_ROOT");
              root = env && *env ? env : "/";
            }
            SMMU_TRY(tree, open_disk_tree(root));
            Status routed = check_domain_routing(*xml, *tree);
            if (routed) return Ok{};
            // A hostdev of a device the host lacks is the domain's fault
            // (exit 11, as for every refusal of the hook); a broken host
            // tree stays exit 3.
            ErrorKind kind = routed.error().kind == ErrorKind::HostTree ? ErrorKind::HostTree : ErrorKind::DomainXml;
            return make_error(kind, "refusing to start " + opts->object + ": " + routed.error().message);
          }};
}

}  // namespace smmu::cli
