// `libvirt-hook`: run by libvirt as /etc/libvirt/hooks/qemu.d/smmu-plan with
// `OBJECT OPERATION SUB-OPERATION EXTRA` and the domain XML on stdin. On
// `prepare begin` it refuses (non-zero, one line that libvirt logs) a domain
// whose vSMMUs do not mirror the host's SMMUs; everything else passes. It
// never edits the domain and never calls back into libvirt.
//
// The installed hook is a file whose first line is `#!/usr/bin/smmu-plan
// libvirt-hook`, so the kernel puts the file's own path before libvirt's four
// arguments (docs/libvirt.md, Hooks): five arguments, the first is that file.
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/files.h"
#include "hostprobe/host_tree.h"
#include "libvirt/routing_check.h"
#include "libvirt/xml_bounds.h"

namespace smmu::cli {

Command add_hook_command(CLI::App* sub) {
  struct Options {
    std::vector<std::string> arguments;
    std::string root;
  };
  auto opts = std::make_shared<Options>();
  sub->add_option("arguments", opts->arguments,
                  "[HOOK-FILE] OBJECT OPERATION SUB-OPERATION [EXTRA]: the domain's name, prepare/start/..., "
                  "begin/end/..., '-'; HOOK-FILE when the kernel runs smmu-plan as the hook file's interpreter")
      ->required()
      ->expected(3, 5);
  sub->add_option("--root", opts->root, "Host root (default: $SMMU_HOOK_ROOT, else /)");
  return {sub, [opts]() -> Status {
            const auto& args = opts->arguments;
            const std::size_t first = args.size() == 5 ? 1 : 0;  // past the hook file
            const std::string& object = args[first];
            const std::string& operation = args[first + 1];
            const std::string& sub_operation = args[first + 2];
            // Always drain stdin (libvirt writes the whole XML to every hook),
            // but only prepare/begin may fail because of it.
            auto xml = read_input("-", ErrorKind::DomainXml, kMaxDomainXmlBytes);
            if (operation != "prepare" || sub_operation != "begin") return Ok{};
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
            return make_error(kind, "refusing to start " + object + ": " + routed.error().message);
          }};
}

}  // namespace smmu::cli
