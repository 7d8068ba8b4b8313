// A plan file, and everything emitted from it. Whatever the file says, a
// plan that reads is emitted with exactly the planned parts: the argv is
// (flag, option) pairs, one per model item, each option exactly its item's
// fields (no value opens a field or an option of its own); the domain XML
// holds one expander, one <iommu> and one root port controller per planned
// one and re-applying it changes nothing; our IORT decodes with one SMMUv3
// node per vSMMU.
#include <pugixml.hpp>

#include <set>
#include <string>

#include "acpi/iort_table.h"
#include "emit/iort.h"
#include "emit/iort_from_plan.h"
#include "emit/qemu_args.h"
#include "libvirt/domain_xml.h"
#include "planner/plan_json.h"
#include "tests/fuzz/fuzz_support.h"

using namespace smmu;

namespace {

// Fields of an option as QEMU splits it: at each ',' not doubled.
size_t option_fields(const std::string& option) {
  size_t fields = 1;
  for (size_t i = 0; i < option.size(); ++i) {
    if (option[i] != ',') continue;
    if (i + 1 < option.size() && option[i + 1] == ',') { ++i; continue; }
    ++fields;
  }
  return fields;
}

size_t count(const pugi::xml_document& doc, const char* xpath) {
  return doc.select_nodes(xpath).size();
}

void check_args(const GuestModel& model) {
  const auto args = qemu_args(model);
  FUZZ_CHECK(args.size() == 2 * model.items.size(), "two argv words per model item");
  for (size_t i = 0; i < model.items.size(); ++i) {
    const auto& item = model.items[i];
    FUZZ_CHECK(args[2 * i] == option_flag(item.kind), "each option after its flag");
    const auto& option = args[2 * i + 1];
    FUZZ_CHECK(!option.empty() && option[0] != '-', "an option is no flag");
    FUZZ_CHECK(option.find_first_of("\n\r") == std::string::npos, "an option is one line");
    FUZZ_CHECK(option_fields(option) == item.props.size() + (item.driver.empty() ? 0 : 1),
               "an option has its item's fields, no more");
  }
}

void check_xml(const Plan& plan, EmitForm form) {
  auto xml = merge_topology(plan, form, default_domain_xml(form));
  if (!xml) return;  // a plan libvirt cannot express is refused, not mangled
  pugi::xml_document doc;
  FUZZ_CHECK(doc.load_string(xml->c_str()), "our domain XML parses");
  size_t ports = 0;
  for (const auto& v : plan.vsmmus) ports += v.root_ports.size();
  FUZZ_CHECK(count(doc, "/domain/devices/controller[@model='pcie-expander-bus']") == plan.vsmmus.size(),
             "one pxb per vSMMU");
  FUZZ_CHECK(count(doc, "/domain/devices/iommu[@model='smmuv3']") == plan.vsmmus.size(),
             "one <iommu> per vSMMU");
  FUZZ_CHECK(count(doc, "/domain/devices/controller[@model='pcie-root-port']") == ports,
             "one root port controller per planned port");
  if (form == EmitForm::Real)
    FUZZ_CHECK(count(doc, "/domain/devices/hostdev") == plan.devices.size(), "one hostdev per device");
  auto again = merge_topology(plan, form, *xml);
  FUZZ_CHECK(again.ok() && *again == *xml, "applying twice changes nothing");
}

void check_iort(const Plan& plan, EmitForm form) {
  auto table = decode_iort(build_iort(iort_model(plan, form)), ErrorKind::PlanFile);
  FUZZ_CHECK(table.ok(), "our IORT decodes");
  size_t smmus = 0;
  for (const auto& node : table->nodes) smmus += node.type == 4;
  FUZZ_CHECK(smmus == plan.vsmmus.size(), "one SMMUv3 node per vSMMU");
  FUZZ_CHECK(diff_iort(*table, *table).empty(), "our IORT equals itself");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto plan = plan_from_json_text(std::string(fuzz::text(data, size)));
  if (!plan) {
    FUZZ_CHECK(plan.error().kind == ErrorKind::PlanFile, "a bad plan file is a plan file error");
    return 0;
  }
  for (EmitForm form : {EmitForm::Real, EmitForm::StandIns}) {
    check_args(guest_model(*plan, form));
    check_xml(*plan, form);
    check_iort(*plan, form);
  }
  return 0;
}
