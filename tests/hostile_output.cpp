// Hostile output targets (-o FILE, and stdout itself): places nothing can be
// written, a full disk, a file size limit. Each is exit 7 leaving nothing
// behind: no temporary file, an earlier file as it was (cli/files.h).
#include <filesystem>

#include "cli/exit_codes.h"
#include "tests/hostile_table.h"

namespace smmu::test {
namespace hostile_output {

using namespace smmu::cli;

constexpr const char* kArea = "Output";

// For the shipped QEMU 11.1 (as every run here): no QEMU on PATH is asked.
Invocation plan_to(const std::string& target) {
  return {{"plan", "--root", example_host(), "--all-assignable", "--qemu-caps", "11.1", "-o", target}};
}

// A setup planning into dir/<name> after `prepare(dir/<name>)`.
RowSetup plan_into(std::string name, std::function<void(const std::string&)> prepare = {}) {
  return [name, prepare](const std::string& dir) {
    std::string target = dir + "/" + name;
    if (prepare) prepare(target);
    return plan_to(target);
  };
}

// A setup running `args` on grace-gh200's plan (whose path comes after --plan).
RowSetup on_plan(std::vector<std::string> args, std::string stdout_to = {}) {
  return [args, stdout_to](const std::string& dir) {
    Invocation run{{args.front(), "--plan", write_plan(dir, gh200_plan_json())}};
    run.args.insert(run.args.end(), args.begin() + 1, args.end());
    run.stdout_to = stdout_to;
    return run;
  };
}

}  // namespace hostile_output

std::vector<HostileRow> output_rows() {
  using namespace hostile_output;
  return {
      // No place for the file.
      {"MissingDirectory", kArea, plan_into("no/such/dir/p.json"), kExitOutput,
       "cannot create a file beside"},
      {"ParentIsAFile", kArea,
       [](const std::string& dir) {
         write_file(dir + "/file", "a file\n");
         return plan_to(dir + "/file/p.json");
       },
       kExitOutput, "/file/p.json: Not a directory"},
      {"DirectoryAsTarget", kArea, plan_into("adir", [](auto& t) { std::filesystem::create_directory(t); }),
       kExitOutput, "/adir: Is a directory"},
      {"NameTooLong", kArea, plan_into(repeated("a", 300)), kExitOutput, "File name too long"},
      {"DanglingSymlink", kArea, plan_into("p.json", [](auto& t) { make_link(t, "nowhere/p.json"); }),
       kExitOutput, "p.json: a symlink to nothing (No such file or directory)"},
      {"SymlinkLoop", kArea, plan_into("p.json", [](auto& t) { make_link(t, "p.json"); }), kExitOutput,
       "a symlink to nothing (Too many levels of symbolic links)"},
      // A full disk.
      {"DevFull", kArea, [](const std::string&) { return plan_to("/dev/full"); }, kExitOutput,
       "cannot write /dev/full: No space left on device"},
      {"SymlinkToDevFull", kArea, plan_into("p.json", [](auto& t) { make_link(t, "/dev/full"); }),
       kExitOutput, "cannot write /dev/full: No space left on device"},
      {"BinaryIortToDevFull", kArea, on_plan({"iort", "-o", "/dev/full"}), kExitOutput,
       "cannot write /dev/full: No space left on device"},
      {"QemuCapsToDevFull", kArea,
       [](const std::string&) {
         return Invocation{{"qemu-caps", "--qemu-caps", "11.1", "-o", "/dev/full"}};
       },
       kExitOutput, "cannot write /dev/full: No space left on device"},
      {"StdoutIsDevFull", kArea, on_plan({"qemu-args", "--qemu-caps", "11.1"}, "/dev/full"), kExitOutput,
       "cannot write to standard output: No space left on device"},
      // A file size limit (ulimit -f): an error, not SIGXFSZ killing the
      // process with its temporary file left behind.
      {"FileSizeLimitOnANewFile", kArea,
       [](const std::string& dir) {
         Invocation run = plan_to(dir + "/p.json");
         run.file_size_limit = true;
         return run;
       },
       kExitOutput, "p.json: File too large"},
      {"FileSizeLimitKeepsTheEarlierFile", kArea,
       [](const std::string& dir) {
         write_file(dir + "/p.json", "{\"an\": \"earlier plan\"}\n");
         Invocation run = plan_to(dir + "/p.json");
         run.file_size_limit = true;
         return run;
       },
       kExitOutput, "p.json: File too large"},
  };
}

}  // namespace smmu::test
