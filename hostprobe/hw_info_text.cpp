#include "hostprobe/hw_info_text.h"

#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/digits.h"
#include "common/hex.h"

namespace smmu {
namespace {

std::optional<uint32_t> parse_number(std::string_view word) {
  if (has_hex_prefix(word)) return parse_digits<uint32_t>(word.substr(2), 16);
  return parse_digits<uint32_t>(word);
}

class Recording {
 public:
  explicit Recording(const std::string& where) : where_(where) {}

  Result<HwInfoAnswer> parse(std::string_view text) {
    std::istringstream in{std::string(text)};
    std::string line;
    bool any = false;
    while (std::getline(in, line)) {
      ++line_no_;
      // What a recording says reaches the probe's table, its JSON (which
      // must be UTF-8) and messages: an ESC sequence or a stray byte in a
      // hostile tree must reach none of them.
      for (unsigned char c : line) {
        if ((c < 0x20 && c != '\t') || c >= 0x7f) {
          return fail("byte " + hex(c, 2) + " is not ASCII text, which a recording is");
        }
      }
      if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
      std::istringstream words(line);
      std::string key;
      if (!(words >> key)) continue;
      if (key == "unavailable") {
        if (any) return fail("'unavailable' must be the only item");
        std::string reason;
        std::getline(words >> std::ws, reason);
        if (reason.empty()) return fail("'unavailable' needs a reason");
        unavailable_ = reason;
        any = true;
        continue;
      }
      if (unavailable_) return fail("'unavailable' must be the only item");
      static const std::set<std::string> kItems = {"type", "idr", "iidr", "aidr", "cmdqv"};
      if (!kItems.count(key)) return fail("unknown item '" + key + "'");
      if (!seen_.insert(key).second) return fail("'" + key + "' given twice");
      std::vector<uint32_t> values;
      for (std::string w; words >> w;) {
        auto v = parse_number(w);
        if (!v) return fail("'" + w + "' is not a 32-bit number");
        values.push_back(*v);
      }
      SMMU_CHECK(take(key, values));
      any = true;
    }
    if (!any) return HwInfoAnswer::none("the saved tree holds no recorded hw_info answer");
    if (unavailable_) return HwInfoAnswer::none(*unavailable_);
    for (const char* required : {"type", "idr", "iidr", "aidr"}) {
      if (!seen_.count(required)) return fail(std::string("'") + required + "' is missing", false);
    }
    return HwInfoAnswer{info_, {}};
  }

 private:
  Status take(const std::string& key, const std::vector<uint32_t>& v) {
    auto count = [&](size_t n) -> Status {
      if (v.size() != n) return fail("'" + key + "' takes " + std::to_string(n) + " numbers");
      return Ok{};
    };
    if (key == "type") {
      SMMU_CHECK(count(1));
      info_.type = v[0];
    } else if (key == "idr") {
      SMMU_CHECK(count(6));
      for (size_t i = 0; i < 6; ++i) info_.idr[i] = v[i];
    } else if (key == "iidr") {
      SMMU_CHECK(count(1));
      info_.iidr = v[0];
    } else if (key == "aidr") {
      SMMU_CHECK(count(1));
      info_.aidr = v[0];
    } else {  // cmdqv
      SMMU_CHECK(count(3));
      for (uint32_t x : v) {
        if (x > 0xff) return fail("'cmdqv' values are bytes");
      }
      info_.cmdqv = CmdqvInfo{uint8_t(v[0]), uint8_t(v[1]), uint8_t(v[2])};
    }
    return Ok{};
  }

  Error fail(const std::string& what, bool at_line = true) const {
    return make_error(ErrorKind::HostTree, where_ + ": " +
                                               (at_line ? "line " + std::to_string(line_no_) + ": " : "") +
                                               what);
  }

  const std::string& where_;
  IommuHwInfo info_;
  std::optional<std::string> unavailable_;
  std::set<std::string> seen_;
  int line_no_ = 0;
};

}  // namespace

Result<HwInfoAnswer> parse_hw_info_text(std::string_view text, const std::string& where) {
  return Recording(where).parse(text);
}

}  // namespace smmu
