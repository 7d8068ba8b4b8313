// `hotplug` and `unplug`: one device onto a spare root port of its host
// SMMU's vSMMU in a running guest, or off again (planner/hotplug.h), as a
// QMP or HMP command or the libvirt element, with the plan after the change.
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/files.h"
#include "cli/notes.h"
#include "cli/plan_options.h"
#include "cli/qemu_target.h"
#include "cli/request_options.h"
#include "emit/hotplug_command.h"
#include "libvirt/api_hotplug.h"
#include "libvirt/hotplug_xml.h"
#include "libvirt/xml_bounds.h"
#include "planner/hotplug.h"
#include "planner/plan_json.h"

namespace smmu::cli {
namespace {

// What both commands share: the plan, the device, how to say it, and where
// the plan after goes.
struct ChangeOptions {
  PlanOptions plan;
  QemuTargetOptions qemu;
  std::string device, format = "qmp", domain_xml, output;
  bool json = false;
  ApiHotplugRequest api;

  void add(CLI::App* sub, const char* verb) {
    plan.add(sub);
    qemu.add(sub);
    sub->add_option("--device", device, std::string("Host PCI device to ") + verb + " (BDF)")->required();
    auto* fmt = sub->add_option("--format", format,
                                "qmp: a QMP command (one JSON line); hmp: the monitor line; libvirt: the "
                                "element for virsh attach-device/detach-device (needs --domain-xml)")
                    ->check(CLI::IsMember({"qmp", "hmp", "libvirt"}));
    auto* file = sub->add_option("--domain-xml", domain_xml,
                                 "With --format libvirt: the domain as libvirt has it (virsh dumpxml), whose "
                                 "controller indexes name the buses");
    sub->add_option("-o,--output", output, "Write the plan after the change to this file");
    sub->add_flag("--json", json, "Print the command and the placement as JSON");
    auto* uri = sub->add_option("--connect", api.uri,
                                std::string("libvirt URI: ") + verb + " through libvirt's API instead of printing");
    auto* name = sub->add_option("--domain", api.domain, "With --connect: the domain");
    auto* dry = sub->add_flag("--dry-run", api.dry_run, "With --connect: print the element, change nothing");
    uri->excludes(file)->excludes(fmt)->needs(name);
    name->needs(uri);
    dry->needs(uri);
  }

  Result<Bdf> bdf() const {
    auto b = parse_bdf(device);
    if (!b) return make_error(ErrorKind::Usage, "--device: " + b.error().message);
    return b;
  }

  // The device's item in the plan's model, fitted to the target QEMU.
  Result<ModelItem> endpoint(const Plan& plan_value, const std::string& id) const {
    SMMU_TRY(model, fit_for_target(guest_model(plan_value, plan.form()), qemu));
    return endpoint_item(model, id);
  }

  // The command for `id`, a device of `plan` (for unplug, the plan before),
  // or with --connect what libvirt did.
  Result<std::string> command(const Plan& plan_value, const std::string& id, PortUse use) const {
    if (format != "libvirt" && !domain_xml.empty()) {
      return make_error(ErrorKind::Usage, "--domain-xml goes with --format libvirt only");
    }
    if (!api.uri.empty()) {
      SMMU_TRY(item, endpoint(plan_value, id));
      SMMU_TRY(done, hotplug_through_libvirt(item, use, api));
      if (!done.done) return done.xml;
      return std::string(use == PortUse::Attach ? "attached " : "detached ") + id +
             (use == PortUse::Attach ? " to " : " from ") + api.domain + " at " + api.uri +
             (done.live ? " (running: live and in its definition)" : " (its definition: the domain is not running)");
    }
    const MonitorFormat monitor = format == "hmp" ? MonitorFormat::Hmp : MonitorFormat::Qmp;
    if (use == PortUse::Detach && format != "libvirt") return device_del_command(id, monitor);
    SMMU_TRY(item, endpoint(plan_value, id));
    if (format != "libvirt") return device_add_command(item, monitor);
    if (domain_xml.empty()) {
      return make_error(ErrorKind::Usage, "--format libvirt needs --domain-xml FILE (virsh dumpxml DOMAIN)");
    }
    SMMU_TRY(domain, read_input(domain_xml, ErrorKind::DomainXml, kMaxDomainXmlBytes));
    return hotplug_device_xml(item, domain, use);
  }

  // The plan after first, then the command: a failed write prints nothing.
  // A running guest keeps its root ports (planner/hotplug.h), so `after`
  // places the device, whether it just came or just left.
  Status finish(const Plan& after, const DevicePlan& device_plan, const std::string& text) const {
    if (api.dry_run) {
      add_note("dry run: libvirt was not changed and no plan was written");
    } else if (!output.empty()) {
      Status written = write_output(output, plan_to_json(after).dump(2) + "\n");
      // Through libvirt the guest has already changed: say so, and what to keep.
      if (!written && !api.uri.empty()) {
        return make_error(written.error().kind, text + ", but the plan after it was not written (" +
                                                    written.error().message + "); run the same command without --connect, with -o FILE, to "
                                                    "write it without changing libvirt again");
      }
      SMMU_CHECK(written);
    } else {
      add_note("the plan file is unchanged: give -o FILE to keep the plan after the change");
    }
    if (!json) return write_output("", text.ends_with('\n') ? text : text + "\n");
    nlohmann::ordered_json j;
    const VsmmuPlan& vsmmu = after.vsmmu_of(device_plan);
    j["id"] = device_plan.id;
    j["host_bdf"] = device_plan.host_bdf.str();
    j["guest_bdf"] = after.guest_bdf(device_plan).str();
    j["vsmmu"] = vsmmu.id;
    j["host_smmu"] = vsmmu.host_smmu;
    j["root_port"] = device_plan.root_port;
    j["format"] = api.uri.empty() ? format : "libvirt-api";
    j["command"] = text;
    return write_output("", j.dump(2) + "\n");
  }
};

}  // namespace

Command add_hotplug_command(CLI::App* sub) {
  struct Options {
    ChangeOptions change;
    HostOptions host;
  };
  auto opts = std::make_shared<Options>();
  opts->change.add(sub, "hotplug");
  opts->host.add(sub);
  return {sub, [opts]() -> Status {
            const ChangeOptions& c = opts->change;
            SMMU_TRY(bdf, c.bdf());
            SMMU_TRY(plan, c.plan.load());
            SMMU_TRY(inv, opts->host.probe());
            SMMU_TRY(hot, plan_hotplug(plan, inv, bdf));
            SMMU_TRY(text, c.command(hot.plan, hot.device.id, PortUse::Attach));
            const VsmmuPlan& vsmmu = hot.plan.vsmmu_of(hot.device);
            add_note(hot.device.id + " (" + bdf.str() + ") goes on " + hot.device.root_port +
                     ": the guest sees it at " + hot.plan.guest_bdf(hot.device).str() + " behind " + vsmmu.id +
                     " (" + vsmmu.host_smmu + ")");
            if (!hot.note.empty()) add_note(hot.note);
            return c.finish(hot.plan, hot.device, text);
          }};
}

Command add_unplug_command(CLI::App* sub) {
  auto opts = std::make_shared<ChangeOptions>();
  opts->add(sub, "unplug");
  return {sub, [opts]() -> Status {
            SMMU_TRY(bdf, opts->bdf());
            SMMU_TRY(plan, opts->plan.load());
            SMMU_TRY(after, plan_unplug(plan, bdf));
            const DevicePlan device = *planned_device(plan, bdf);  // plan_unplug found it
            SMMU_TRY(text, opts->command(plan, device.id, PortUse::Detach));
            add_note(device.id + " (" + bdf.str() + ") leaves " + device.root_port + ", spare again");
            return opts->finish(after, device, text);
          }};
}

}  // namespace smmu::cli
