// `libvirt-xml` and `apply --domain-xml`: the plan as libvirt domain XML.
#include <cstdlib>
#include <memory>

#include "cli/commands.h"
#include "cli/plan_options.h"
#include "cli/qemu_target.h"
#include "libvirt/api_apply.h"
#include "libvirt/domain_xml.h"
#include "libvirt/schema_check.h"
#include "libvirt/xml_bounds.h"

namespace smmu::cli {
namespace {

struct LibvirtOptions {
  PlanOptions plan;
  QemuTargetOptions qemu;
  std::string schemas;
  void add(CLI::App* sub) {
    plan.add(sub);
    qemu.add(sub);
    sub->add_option("--libvirt-schemas", schemas,
                    "libvirt RelaxNG schemas to check against (default: $SMMU_LIBVIRT_SCHEMAS, "
                    "else /usr/share/libvirt/schemas)");
  }
  std::string schema_dir() const {
    if (!schemas.empty()) return schemas;
    const char* env = std::getenv("SMMU_LIBVIRT_SCHEMAS");
    return env && *env ? env : kLibvirtSchemaDir;
  }
  // The merged and checked XML: nothing is printed or written before this holds.
  // The plan's model, fitted to the QEMU libvirt will start.
  Result<GuestModel> model(const Plan& plan_value) const {
    return fit_for_target(guest_model(plan_value, plan.form()), qemu);
  }
  Result<std::string> merged(const std::string& base_xml) const {
    SMMU_TRY(plan_value, plan.load());
    SMMU_TRY(fitted, model(plan_value));
    SMMU_TRY(xml, merge_topology(plan_value, fitted, base_xml));
    SMMU_CHECK(check_domain_xml(xml, plan.form(), schema_dir()));
    return xml;
  }
};

Result<std::string> read_domain(const std::string& path) {
  return read_input(path, ErrorKind::DomainXml, kMaxDomainXmlBytes);
}

}  // namespace

Command add_libvirt_xml_command(CLI::App* sub) {
  struct Options {
    LibvirtOptions lv;
    std::string base, output;
  };
  auto opts = std::make_shared<Options>();
  opts->lv.add(sub);
  sub->add_option("--domain-xml", opts->base, "Base domain to merge into (default: a minimal "
                                              "aarch64 UEFI/ACPI domain)");
  sub->add_option("-o,--output", opts->output, "Write the XML to this file");
  return {sub, [opts]() -> Status {
            std::string base;
            if (opts->base.empty()) {
              base = default_domain_xml(opts->lv.plan.form());
            } else {
              SMMU_TRY(text, read_domain(opts->base));
              base = std::move(text);
            }
            SMMU_TRY(xml, opts->lv.merged(base));
            return write_output(opts->output, xml);
          }};
}

Command add_apply_command(CLI::App* sub) {
  struct Options {
    LibvirtOptions lv;
    std::string domain_xml, output;
    ApiApplyRequest api;
  };
  auto opts = std::make_shared<Options>();
  opts->lv.add(sub);
  auto* file = sub->add_option("--domain-xml", opts->domain_xml, "Domain definition file to update");
  auto* out = sub->add_option("-o,--output", opts->output,
                              "With --domain-xml: write the result here instead of updating the file");
  auto* uri = sub->add_option("--connect", opts->api.uri, "libvirt URI (qemu:///system, ...)");
  auto* name = sub->add_option("--domain", opts->api.domain, "With --connect: the domain to update");
  auto* dry = sub->add_flag("--dry-run", opts->api.dry_run,
                            "With --connect: print the new definition, define nothing");
  file->excludes(uri)->excludes(name)->excludes(dry);
  out->needs(file);
  uri->needs(name);
  name->needs(uri);
  return {sub, [opts]() -> Status {
            if (opts->api.uri.empty()) {
              if (opts->domain_xml.empty()) {
                return make_error(ErrorKind::Usage, "apply needs --domain-xml FILE or --connect URI --domain NAME");
              }
              SMMU_TRY(base, read_domain(opts->domain_xml));
              SMMU_TRY(xml, opts->lv.merged(base));
              return write_output(opts->output.empty() ? opts->domain_xml : opts->output, xml);
            }
            // libvirt validates the definition against its own schema.
            SMMU_TRY(plan, opts->lv.plan.load());
            SMMU_TRY(model, opts->lv.model(plan));
            SMMU_TRY(result, apply_through_libvirt(plan, opts->lv.plan.form(), model, opts->api));
            if (!result.defined) return write_output("", result.xml);
            return write_output("", "applied the plan to " + opts->api.domain + " at " +
                                        opts->api.uri + ": " + std::to_string(plan.vsmmus.size()) +
                                        " vSMMUs, " + std::to_string(plan.devices.size()) +
                                        " devices\n");
          }};
}

}  // namespace smmu::cli
