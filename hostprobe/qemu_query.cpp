#include "hostprobe/qemu_query.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/file_text.h"
#include "common/subprocess.h"

namespace smmu {
namespace {

using nlohmann::json;

// More than the lists of any QEMU yet (qemu-11.1's transcript is 14 KiB).
constexpr size_t kMaxAnswer = 4u << 20;

// What QEMU reads on stdin: qmp_capabilities, one query per item, quit.
std::string qmp_commands() {
  std::string text = json{{"execute", "qmp_capabilities"}}.dump() + "\n";
  for (const auto& item : kQemuQueryItems) {
    const char* command = item.kind == "devices" ? "device-list-properties" : "qom-list-properties";
    text += json{{"execute", command}, {"arguments", {{"typename", std::string(item.type)}}}}.dump() + "\n";
  }
  return text + json{{"execute", "quit"}}.dump() + "\n";
}

// The shipped files' form (Python's json.dumps(caps, indent=1, sort_keys=True) + "\n"):
// nlohmann's objects are sorted maps, and ensure_ascii escapes as Python does.
std::string canonical(const json& caps) { return caps.dump(1, ' ', true) + "\n"; }

// The first non-blank line, trimmed and cut short: what goes in a message.
std::string first_line(const std::string& text) {
  size_t begin = 0;
  while (begin < text.size()) {
    size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(begin, end - begin);
    const char* space = " \t\r\f\v";
    size_t a = line.find_first_not_of(space);
    if (a != std::string::npos) {
      line = line.substr(a, line.find_last_not_of(space) - a + 1);
      return line.size() > 200 ? line.substr(0, 200) + "..." : line;
    }
    begin = end + 1;
  }
  return "";
}

// A private directory for QEMU's stdin, stdout and stderr, gone with it.
struct WorkDir {
  std::string path;
  ~WorkDir() {
    std::error_code ec;
    if (!path.empty()) std::filesystem::remove_all(path, ec);
  }
};

bool write_file(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  bool ok = write_all(fd, text);
  return ::close(fd) == 0 && ok;
}

// The replies QEMU printed, one JSON object a line, turned into the caps
// JSON; WHY_NOT set (and nullopt) when they are not a full answer.
std::optional<std::string> caps_from_replies(const std::string& out, std::string* why_not) {
  std::optional<json> greeting;
  std::vector<json> answers;
  size_t begin = 0;
  while (begin < out.size()) {
    size_t end = out.find('\n', begin);
    if (end == std::string::npos) end = out.size();
    json reply = json::parse(out.begin() + begin, out.begin() + end, nullptr, false);
    begin = end + 1;
    if (reply.is_discarded() || !reply.is_object()) continue;  // only replies count
    if (reply.contains("QMP") && !greeting) greeting = reply;
    if (reply.contains("return") || reply.contains("error")) answers.push_back(std::move(reply));
  }
  if (!greeting) {
    *why_not = "no QMP greeting";
    return std::nullopt;
  }
  auto member = [](const json* j, const char* key) -> const json* {
    if (!j || !j->is_object()) return nullptr;
    auto it = j->find(key);
    return it == j->end() ? nullptr : &*it;
  };
  const json* version = member(member(member(&*greeting, "QMP"), "version"), "qemu");
  const json* major = member(version, "major");
  const json* minor = member(version, "minor");
  if (!major || !minor || !major->is_number_integer() || !minor->is_number_integer()) {
    *why_not = "a QMP greeting without QEMU's version";
    return std::nullopt;
  }
  if (answers.size() < 1 + kQemuQueryItems.size()) {
    *why_not = std::to_string(answers.size() ? answers.size() - 1 : 0) + " answers of " +
               std::to_string(kQemuQueryItems.size()) + " asked";
    return std::nullopt;
  }
  if (!answers[0].contains("return")) {
    *why_not = "qmp_capabilities refused: " + answers[0].dump();
    return std::nullopt;
  }
  std::string release = std::to_string(major->get<long long>()) + "." + std::to_string(minor->get<long long>());
  json caps = {{"qemu", release},
               {"devices", json::object()},
               {"objects", json::object()},
               {"machines", json::object()}};
  for (size_t i = 0; i < kQemuQueryItems.size(); ++i) {
    const json& answer = answers[i + 1];
    const auto& item = kQemuQueryItems[i];
    if (!answer.contains("return")) continue;  // a driver this QEMU does not have
    const json& props = answer["return"];
    json lists = json::object();
    bool ok = props.is_array();
    for (size_t p = 0; ok && p < props.size(); ++p) {
      const json& prop = props[p];
      ok = prop.is_object() && prop.contains("name") && prop["name"].is_string() &&
           prop.contains("type") && prop["type"].is_string();
      if (ok) lists[prop["name"].get<std::string>()] = prop["type"];
    }
    if (!ok) {
      *why_not = "a malformed property list for " + std::string(item.type);
      return std::nullopt;
    }
    caps[std::string(item.kind)][std::string(item.name)] = std::move(lists);
  }
  return canonical(caps);
}

// Whether TEXT is an answer query_qemu_caps could have written.
bool well_formed(const std::string& text) {
  json caps = json::parse(text, nullptr, false);
  if (caps.is_discarded() || !caps.is_object() || caps.size() != 4 || !caps.contains("qemu") ||
      !caps["qemu"].is_string()) {
    return false;
  }
  for (const char* kind : {"devices", "objects", "machines"}) {
    if (!caps.contains(kind) || !caps[kind].is_object()) return false;
    for (const auto& [name, props] : caps[kind].items()) {
      if (!props.is_object()) return false;
      for (const auto& [prop, type] : props.items()) {
        if (!type.is_string()) return false;
      }
    }
  }
  return canonical(caps) == text;
}

// FNV-1a, 64 bits: a file name, not a defence; the key's parts are ours.
std::string hash_name(const std::string& key) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : key) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char name[32];
  std::snprintf(name, sizeof name, "%016llx.json", static_cast<unsigned long long>(h));
  return name;
}

// The cache file's name for the binary at PATH, nullopt when it cannot be told.
std::optional<std::string> cache_name(const std::string& path, const std::string& commands) {
  char* real = ::realpath(path.c_str(), nullptr);
  if (!real) return std::nullopt;
  std::string resolved = real;
  std::free(real);
  struct stat st;
  if (::stat(resolved.c_str(), &st) != 0) return std::nullopt;
  long long mtime_ns = static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
  std::string key = "smmu-plan qemu-caps " + std::to_string(kQemuQueryVersion) + "\n" + resolved +
                    "\n" + std::to_string(st.st_dev) + " " + std::to_string(st.st_ino) + " " +
                    std::to_string(st.st_size) + " " + std::to_string(mtime_ns) + "\n" + commands;
  return hash_name(key);
}

// mkdir -p with mode 0755 (less the umask) for what is missing.
bool make_dirs(const std::string& dir) {
  for (size_t slash = dir.find('/', 1);; slash = dir.find('/', slash + 1)) {
    std::string part = dir.substr(0, slash);
    if (!part.empty() && ::mkdir(part.c_str(), 0755) != 0 && errno != EEXIST) return false;
    if (slash == std::string::npos) break;
  }
  struct stat st;
  return ::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// Writes TEXT to DIR/NAME through a temporary file and rename; failures
// leave no file behind and are not reported (the cache is an optimisation).
void store(const std::string& dir, const std::string& name, const std::string& text) {
  if (!make_dirs(dir)) return;
  std::string tmp = dir + "/.tmp-XXXXXX";
  int fd = ::mkstemp(tmp.data());
  if (fd < 0) return;
  bool ok = ::fchmod(fd, 0644) == 0 && write_all(fd, text);
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(tmp.c_str(), (dir + "/" + name).c_str()) != 0) ::unlink(tmp.c_str());
}

}  // namespace

Result<std::string> query_qemu_caps(const std::string& binary, const QemuQueryOptions& options) {
  const std::string who = "--qemu " + binary + ": ";
  auto fail = [&](const std::string& what) { return make_error(ErrorKind::Usage, who + what); };
  bool bare = binary.find('/') == std::string::npos;
  std::optional<std::string> path = find_on_path(binary);
  if (!path) {
    struct stat st;
    if (bare || ::stat(binary.c_str(), &st) != 0) return fail(bare ? "not found in PATH" : "not found");
    return fail("not an executable file");
  }
  const std::string commands = qmp_commands();
  std::optional<std::string> cached_as;
  if (!options.cache_dir.empty()) cached_as = cache_name(*path, commands);
  if (cached_as) {
    auto text = read_file_text(options.cache_dir + "/" + *cached_as, ErrorKind::HostTree, kMaxAnswer);
    if (text && well_formed(*text)) return *text;
  }

  std::error_code ec;
  std::string tmpl = (std::filesystem::temp_directory_path(ec) / "smmu-plan-qemu-XXXXXX").string();
  if (ec) tmpl = "/tmp/smmu-plan-qemu-XXXXXX";
  WorkDir work;
  if (!::mkdtemp(tmpl.data())) {
    return fail(std::string("cannot make a temporary directory: ") + std::strerror(errno));
  }
  work.path = tmpl;
  Redirects r{work.path + "/in", work.path + "/out", work.path + "/err"};
  if (!write_file(r.in, commands)) return fail("cannot write " + r.in);
  int code = run_process({*path, "-machine", "none", "-nodefaults", "-display", "none", "-qmp", "stdio"}, r,
                         options.timeout_seconds);
  if (code == kTimedOut) {
    return fail("no answer within " + std::to_string(options.timeout_seconds) + " s (timeout)");
  }
  if (code < 0) return fail(std::string("cannot run: ") + std::strerror(errno));
  auto out = read_file_text(r.out, ErrorKind::HostTree, kMaxAnswer, "its answer");
  if (!out) return fail(out.error().message);
  std::string why_not;
  auto caps = caps_from_replies(*out, &why_not);
  if (!caps) {
    auto err = read_file_text(r.err, ErrorKind::HostTree, kMaxAnswer);
    std::string printed = first_line(err ? *err : "");
    if (printed.empty()) printed = first_line(*out);
    return fail(why_not + " (exit status " + std::to_string(code) + "; it printed " +
                (printed.empty() ? "nothing" : "'" + printed + "'") + ")");
  }
  if (cached_as) store(options.cache_dir, *cached_as, *caps);
  return *caps;
}

std::string default_qemu_cache_dir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg && xdg[0] == '/') return std::string(xdg) + "/smmu-plan/qemu-caps";
  const char* home = std::getenv("HOME");
  if (home && home[0]) return std::string(home) + "/.cache/smmu-plan/qemu-caps";
  return "";
}

}  // namespace smmu
