#include "common/yaml_tree.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <sstream>
#include <unordered_map>

namespace smmu {
namespace {

bool all_of(std::string_view s, const char* set) {
  return !s.empty() && s.find_first_not_of(set) == std::string_view::npos;
}

constexpr const char* kDigits = "0123456789";

bool is_one_of(std::string_view s, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), s) != words.end();
}

std::string_view without_sign(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  return s;
}

bool is_int(std::string_view s) {
  if (s.size() > 2 && s[0] == '0' && s[1] == 'o') return all_of(s.substr(2), "01234567");
  if (s.size() > 2 && s[0] == '0' && s[1] == 'x') return all_of(s.substr(2), "0123456789abcdefABCDEF");
  return all_of(without_sign(s), kDigits);
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? | [-+]?\.inf | \.nan
bool is_float(std::string_view s) {
  if (is_one_of(s, {".nan", ".NaN", ".NAN"})) return true;
  std::string_view m = without_sign(s);
  if (is_one_of(m, {".inf", ".Inf", ".INF"})) return true;
  size_t e = m.find_first_of("eE");
  std::string_view mantissa = m.substr(0, e);
  if (e != std::string_view::npos && !all_of(without_sign(m.substr(e + 1)), kDigits)) return false;
  size_t dot = mantissa.find('.');
  if (dot == std::string_view::npos) return all_of(mantissa, kDigits);
  std::string_view whole = mantissa.substr(0, dot), fraction = mantissa.substr(dot + 1);
  if (whole.empty()) return all_of(fraction, kDigits);
  return all_of(whole, kDigits) && (fraction.empty() || all_of(fraction, kDigits));
}

constexpr const char* kNoAliases =
    "aliases (*name) are not allowed; quote a value that starts with '*'";

// Stops the parse at the first thing refused.
struct Refused {
  int line;
  std::string message;
};

int line_of(const YAML::Mark& mark) { return mark.line < 0 ? 1 : mark.line + 1; }

class TreeBuilder : public YAML::EventHandler {
 public:
  explicit TreeBuilder(const YamlLimits& limits) : limits_(limits) {}
  std::optional<YamlNode> root;

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (documents_++ > 0) throw Refused{line_of(mark), "only one YAML document is allowed"};
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    check_anchor(mark, anchor);
    add(scalar(mark, "", false));
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    throw Refused{line_of(mark), kNoAliases};
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    check_anchor(mark, anchor);
    check_tag(mark, tag);
    add(scalar(mark, value, tag == "!"));
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, tag, anchor, YamlNode::Kind::Sequence);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, tag, anchor, YamlNode::Kind::Map);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    YamlNode node;
    std::optional<YamlNode> key;  // a map's key waiting for its value
    std::unordered_map<std::string, int> key_lines;  // a map's keys so far: duplicates in O(1)
  };

  static YamlNode scalar(const YAML::Mark& mark, const std::string& text, bool quoted) {
    YamlNode n;
    n.line = line_of(mark);
    n.text = text;
    n.quoted = quoted;
    return n;
  }
  static void check_anchor(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor) throw Refused{line_of(mark), "anchors (&name) are not allowed"};
  }
  static void check_tag(const YAML::Mark& mark, const std::string& tag) {
    if (tag != "?" && tag != "!" && !tag.empty()) {
      throw Refused{line_of(mark), "tags (" + tag + ") are not allowed"};
    }
  }
  void open(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
            YamlNode::Kind kind) {
    check_anchor(mark, anchor);
    check_tag(mark, tag);
    if (static_cast<int>(stack_.size()) >= limits_.max_depth) {
      throw Refused{line_of(mark),
                    "nested deeper than " + std::to_string(limits_.max_depth) + " levels"};
    }
    count(line_of(mark));
    Frame f;
    f.node.kind = kind;
    f.node.line = line_of(mark);
    stack_.push_back(std::move(f));
  }
  void close() {
    YamlNode done = std::move(stack_.back().node);
    stack_.pop_back();
    attach(std::move(done));
  }
  void count(int line) {
    if (++nodes_ > limits_.max_nodes) {
      throw Refused{line, "more than " + std::to_string(limits_.max_nodes) + " nodes"};
    }
  }
  void add(YamlNode n) {
    count(n.line);
    attach(std::move(n));
  }
  void attach(YamlNode n) {
    if (stack_.empty()) {
      root = std::move(n);
      return;
    }
    Frame& f = stack_.back();
    if (f.node.kind == YamlNode::Kind::Sequence) {
      f.node.items.push_back(std::move(n));
    } else if (f.key) {
      // yaml-cpp marks an empty value at the next token: it belongs to its key's line.
      if (n.kind == YamlNode::Kind::Scalar && !n.quoted && n.text.empty()) n.line = f.key->line;
      f.node.entries.push_back(YamlEntry{std::move(*f.key), std::move(n)});
      f.key.reset();
    } else {
      if (n.kind != YamlNode::Kind::Scalar) throw Refused{n.line, "a mapping key must be a scalar"};
      auto [first, inserted] = f.key_lines.emplace(n.text, n.line);
      if (!inserted) {
        throw Refused{n.line, "duplicate key '" + n.text + "' (first on line " +
                                  std::to_string(first->second) + ")"};
      }
      f.key = std::move(n);
    }
  }

  const YamlLimits& limits_;
  std::vector<Frame> stack_;
  int documents_ = 0;
  size_t nodes_ = 0;
};

}  // namespace

YamlNode::Type YamlNode::type() const {
  if (quoted) return Type::String;
  if (is_one_of(text, {"", "~", "null", "Null", "NULL"})) return Type::Null;
  if (is_one_of(text, {"true", "True", "TRUE", "false", "False", "FALSE"})) return Type::Bool;
  if (is_int(text)) return Type::Int;
  if (is_float(text)) return Type::Float;
  return Type::String;
}

std::optional<uint64_t> YamlNode::unsigned_value() const {
  if (kind != Kind::Scalar || type() != Type::Int) return std::nullopt;
  std::string_view s = text;
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o')) {
    base = s[1] == 'x' ? 16 : 8;
    s.remove_prefix(2);
  }
  bool negative = !s.empty() && s[0] == '-';
  s = without_sign(s);
  uint64_t v = 0;
  for (char c : s) {
    uint64_t digit = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    if (v > (UINT64_MAX - digit) / base) return std::nullopt;
    v = v * base + digit;
  }
  if (negative && v != 0) return std::nullopt;
  return v;
}

const char* yaml_type_name(const YamlNode& node) {
  if (node.kind == YamlNode::Kind::Sequence) return "sequence";
  if (node.kind == YamlNode::Kind::Map) return "mapping";
  switch (node.type()) {
    case YamlNode::Type::Null: return "null";
    case YamlNode::Type::Bool: return "boolean";
    case YamlNode::Type::Int: return "integer";
    case YamlNode::Type::Float: return "float";
    case YamlNode::Type::String: return "string";
  }
  return "?";
}

Result<YamlNode> parse_yaml(std::string_view text, const std::string& name, ErrorKind kind,
                            const YamlLimits& limits) {
  auto fail = [&](int line, const std::string& message) {
    return make_error(kind, name + ":" + std::to_string(line) + ": " + message);
  };
  if (text.size() > limits.max_bytes) {
    return fail(1, "larger than " + std::to_string(limits.max_bytes) + " bytes");
  }
  std::istringstream in{std::string(text)};
  TreeBuilder builder(limits);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const Refused& r) {
    return fail(r.line, r.message);
  } catch (const YAML::Exception& e) {
    // An alias of no anchor fails before any event: still an alias. (yaml-cpp
    // 0.8 adds the anchor's name after the message 0.7 gives.)
    if (std::string_view(e.msg).starts_with(YAML::ErrorMsg::UNKNOWN_ANCHOR)) {
      return fail(line_of(e.mark), kNoAliases);
    }
    return fail(line_of(e.mark), "not valid YAML: " + e.msg);
  }
  if (!builder.root) return fail(1, "empty: expected a YAML document");
  return std::move(*builder.root);
}

}  // namespace smmu
