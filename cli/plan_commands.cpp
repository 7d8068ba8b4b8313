// `qemu-args` and `iort`, the commands that read a plan file, and `qemu-caps`.
#include <memory>

#include "cli/commands.h"
#include "cli/files.h"
#include "cli/notes.h"
#include "emit/iort.h"
#include "emit/iort_from_plan.h"
#include "emit/qemu_args.h"
#include "cli/plan_options.h"
#include "cli/qemu_target.h"

namespace smmu::cli {

Command add_qemu_args_command(CLI::App* sub) {
  struct Options {
    PlanOptions plan;
    QemuTargetOptions qemu;
  };
  auto opts = std::make_shared<Options>();
  opts->plan.add(sub);
  opts->qemu.add(sub);
  return {sub, [opts]() -> Status {
            SMMU_TRY(plan, opts->plan.load());
            SMMU_TRY(model, fit_for_target(guest_model(plan, opts->plan.form()), opts->qemu));
            std::string text;
            for (const auto& arg : qemu_args(model)) text += arg + "\n";
            return write_output("", text);
          }};
}

Command add_qemu_caps_command(CLI::App* sub) {
  struct Options {
    QemuTargetOptions qemu;
    std::string output;
  };
  auto opts = std::make_shared<Options>();
  opts->qemu.add(sub);
  sub->add_option("-o,--output", opts->output, "Write them to this file");
  return {sub, [opts]() -> Status {
            SMMU_TRY(target, opts->qemu.resolve());
            if (!target.note.empty()) add_note(target.note);
            return write_output(opts->output, target.json);
          }};
}

Command add_iort_command(CLI::App* sub) {
  struct Options {
    PlanOptions plan;
    bool json = false;
    std::string output;
  };
  auto opts = std::make_shared<Options>();
  opts->plan.add(sub);
  auto* json = sub->add_flag("--json", opts->json, "Print the decoded table as JSON");
  auto* out = sub->add_option("-o,--output", opts->output, "Write the binary table to this file");
  json->excludes(out);
  return {sub, [opts]() -> Status {
            SMMU_TRY(plan, opts->plan.load());
            std::vector<uint8_t> bytes = build_iort(iort_model(plan, opts->plan.form()));
            const std::string note = iort_model_note(plan, opts->plan.form());
            if (!opts->output.empty()) {
              if (!note.empty()) add_note(note);
              return write_output(opts->output,
                                  std::string_view(reinterpret_cast<const char*>(bytes.data()),
                                                   bytes.size()));
            }
            // Decoding our own bytes cannot fail; if it does, that is a bug.
            auto table = decode_iort(bytes, ErrorKind::PlanFile);
            if (!table) return table.error();
            if (opts->json) {
              auto j = iort_to_json(*table);
              if (!note.empty()) j["note"] = note;
              return write_output("", j.dump(2) + "\n");
            }
            return write_output("", iort_to_text(*table) + (note.empty() ? "" : "note: " + note + "\n"));
          }};
}

}  // namespace smmu::cli
