// Every golden QEMU command line of every example host, real form and
// stand-ins, against its QEMU's own property lists: QEMU 11.1's
// (qemu-caps/qemu-11.1.json, recorded from QEMU 11.1.3 and held to it by the
// e2e test e2e.qemu-caps), or for a golden made for an older release
// (`qemu-args.qemu-11.0.txt`) that release's. Each -device, -object and
// -machine option names what that QEMU has, with values it parses. libvirt's
// goldens carry the same options as <qemu:arg>.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>
#include <vector>

#include "emit/qemu_caps.h"
#include "tests/test_paths.h"

namespace smmu::test {
namespace {

namespace fs = std::filesystem;


// The options of a command line: one per line (qemu-args; a `device_add` line
// of `hotplug --format hmp` is its -device), or the values of
// libvirt's <qemu:arg value="..."/> in order.
std::vector<std::string> options_of(const fs::path& golden) {
  std::string text = file_bytes(golden);
  std::vector<std::string> out;
  if (golden.extension() == ".xml") {
    static const std::regex arg("<qemu:arg value=\"([^\"]*)\"");
    for (std::sregex_iterator it(text.begin(), text.end(), arg), end; it != end; ++it) {
      out.push_back((*it)[1].str());
    }
  } else {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      // `hotplug --format hmp`: "device_add <the -device option>".
      if (line.starts_with("device_add ")) {
        out.push_back("-device");
        line.erase(0, std::string("device_add ").size());
      }
      out.push_back(line);
    }
  }
  return out;
}

// "11.0" for "qemu-args.qemu-11.0.txt", else "11.1".
std::string release_of(const std::string& golden) {
  static const std::regex release("\\.qemu-([0-9]+\\.[0-9]+)\\.");
  std::smatch m;
  return std::regex_search(golden, m, release) ? m[1].str() : "11.1";
}

TEST(QemuCapsGolden, EveryExampleCommandLineFitsItsQemu) {
  int checked = 0, older = 0;
  for (const auto& host : fs::directory_iterator(fs::path(source_dir()) / "tests/golden")) {
    for (const auto& file : fs::directory_iterator(host.path())) {
      std::string name = file.path().filename().string();
      if (name.find("qemu-args") == std::string::npos && !name.starts_with("libvirt") &&
          !name.starts_with("hotplug.hmp")) {
        continue;
      }
      auto caps = parse_qemu_caps(file_bytes(fs::path(source_dir()) / ("qemu-caps/qemu-" + release_of(name) + ".json")));
      ASSERT_TRUE(caps) << name << ": " << caps.error().message;
      auto opts = options_of(file.path());
      if (release_of(name) != "11.1" && !opts.empty() && opts[0] == "-device") ++older;
      for (size_t i = 0; i + 1 < opts.size(); ++i) {
        OptionKind kind;
        if (opts[i] == "-device") {
          kind = OptionKind::Device;
        } else if (opts[i] == "-object") {
          kind = OptionKind::Object;
        } else if (opts[i] == "-machine") {
          kind = OptionKind::Machine;
        } else {
          continue;
        }
        Status s = check_qemu_option(*caps, kind, opts[i + 1]);
        EXPECT_TRUE(s) << file.path() << ": " << opts[i] << " " << opts[i + 1] << ": " << s.error().message;
        ++checked;
      }
    }
  }
  // Every host's real and stand-in forms, libvirt's GPU options among them.
  EXPECT_GT(checked, 300);
  EXPECT_GE(older, 4);  // stand-ins for 10.2 and 11.0, the reduced real form for 11.0
}

}  // namespace
}  // namespace smmu::test
