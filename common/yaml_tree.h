// A YAML document read into a small tree, bounded against hostile input.
//
// Built from yaml-cpp's parser events, so nothing is expanded before it is
// refused: anchors and aliases (billion laughs), explicit tags, more than one
// document, nesting deeper than max_depth, more than max_nodes nodes, text
// longer than max_bytes, complex or duplicate mapping keys. Plain scalars are
// typed by the YAML 1.2 core schema (so 0009:01:00.0 is a string, 0x10 an
// integer and yes a string); a quoted scalar is always a string.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace smmu {

struct YamlEntry;

struct YamlNode {
  enum class Kind { Scalar, Sequence, Map };
  enum class Type { Null, Bool, Int, Float, String };  // of a scalar

  Kind kind = Kind::Scalar;
  int line = 1;          // 1-based
  std::string text;      // a scalar's text
  bool quoted = false;   // a scalar written in quotes
  std::vector<YamlNode> items;                          // a sequence's
  std::vector<YamlEntry> entries;   // a map's, in document order

  Type type() const;
  // An Int scalar's value when it is 0..UINT64_MAX (decimal, 0x or 0o).
  std::optional<uint64_t> unsigned_value() const;
};

// A map entry. Its own type, declared after YamlNode is complete: a
// std::pair<YamlNode, YamlNode> member would need the complete type inside
// YamlNode itself, which clang with libstdc++ 12 refuses.
struct YamlEntry {
  YamlNode key;
  YamlNode value;
};

// "null", "boolean", "integer", "float", "string", "sequence", "mapping".
const char* yaml_type_name(const YamlNode& node);

struct YamlLimits {
  size_t max_bytes = 1 << 20;
  int max_depth = 16;
  size_t max_nodes = 100000;
};

// Errors are of `kind`, "name:line: message". An empty document is an error.
Result<YamlNode> parse_yaml(std::string_view text, const std::string& name, ErrorKind kind,
                            const YamlLimits& limits = {});

}  // namespace smmu
