#include "common/yaml_tree.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/test_paths.h"

namespace smmu {
namespace {

using Type = YamlNode::Type;

YamlNode parse(const std::string& text) {
  auto n = parse_yaml(text, "t.yaml", ErrorKind::Request);
  EXPECT_TRUE(n.ok()) << n.error().message;
  return n.ok() ? *n : YamlNode{};
}

std::string error(const std::string& text, const YamlLimits& limits = {}) {
  auto n = parse_yaml(text, "t.yaml", ErrorKind::Request, limits);
  EXPECT_FALSE(n.ok()) << text.substr(0, 80);
  if (n.ok()) return "";
  EXPECT_EQ(n.error().kind, ErrorKind::Request);
  return n.error().message;
}

// tests/data/yaml-core-types.txt, which the Python loader of the schema
// check is held to as well: one table of the typing rules for both.
TEST(YamlTree, PlainScalarsAreTypedByTheYaml12CoreSchema) {
  std::ifstream table(test::source_dir() + "/tests/data/yaml-core-types.txt");
  int rows = 0;
  for (std::string line; std::getline(table, line);) {
    if (line.empty() || line[0] == '#') continue;
    const auto tab = line.find('\t');
    ASSERT_NE(tab, std::string::npos) << line;
    EXPECT_STREQ(yaml_type_name(parse("v: " + line.substr(tab + 1)).entries[0].value), line.substr(0, tab).c_str())
        << line.substr(tab + 1);
    ++rows;
  }
  EXPECT_GT(rows, 30);
}

TEST(YamlTree, UnsignedValues) {
  auto value = [](const char* s) { return parse(std::string("v: ") + s).entries[0].value.unsigned_value(); };
  EXPECT_EQ(value("010"), 10u);
  EXPECT_EQ(value("0x16000000"), 0x16000000u);
  EXPECT_EQ(value("0o17"), 15u);
  EXPECT_EQ(value("+3"), 3u);
  EXPECT_EQ(value("-0"), 0u);
  EXPECT_EQ(value("18446744073709551615"), UINT64_MAX);
  EXPECT_EQ(value("18446744073709551616"), std::nullopt);
  EXPECT_EQ(value("0x10000000000000000"), std::nullopt);
  EXPECT_EQ(value("-1"), std::nullopt);
  EXPECT_EQ(value("\"1\""), std::nullopt);
  EXPECT_EQ(value("1.0"), std::nullopt);
}

TEST(YamlTree, TreeKeepsOrderAndOneBasedLines) {
  YamlNode root = parse("# comment\nb: [1, two]\na:\n  - x: 1\n");
  ASSERT_EQ(root.kind, YamlNode::Kind::Map);
  EXPECT_EQ(root.line, 2);
  ASSERT_EQ(root.entries.size(), 2u);
  EXPECT_EQ(root.entries[0].key.text, "b");
  EXPECT_EQ(root.entries[0].value.items[1].text, "two");
  EXPECT_EQ(root.entries[1].key.line, 3);
  const YamlNode& item = root.entries[1].value.items[0];
  EXPECT_EQ(item.line, 4);
  EXPECT_EQ(item.entries[0].value.line, 4);
  EXPECT_STREQ(yaml_type_name(item), "mapping");
  EXPECT_STREQ(yaml_type_name(root.entries[0].value), "sequence");
  YamlNode empty = parse("a:\n\nb: 1\n");
  EXPECT_EQ(empty.entries[0].value.line, 1);  // an empty value is on its key's line
  EXPECT_EQ(empty.entries[0].value.type(), Type::Null);
}

TEST(YamlTree, RefusesWhatCouldBlowUpOrMislead) {
  std::string laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    laughs += std::string(1, c) + ": &" + c + " [*" + char(c - 1) + ", *" + char(c - 1) + ", *" +
              char(c - 1) + "]\n";
  }
  EXPECT_EQ(error(laughs), "t.yaml:1: anchors (&name) are not allowed");
  EXPECT_EQ(error("a: &a 1\nb: *a\n"), "t.yaml:1: anchors (&name) are not allowed");
  EXPECT_EQ(error("a: 1\nb: *a\n"),
            "t.yaml:2: aliases (*name) are not allowed; quote a value that starts with '*'");
  EXPECT_EQ(error("a: 1\nb: *:2342\n"),
            "t.yaml:2: aliases (*name) are not allowed; quote a value that starts with '*'");
  EXPECT_EQ(error("a: !!str 1\n"), "t.yaml:1: tags (tag:yaml.org,2002:str) are not allowed");
  EXPECT_EQ(error("a: !local {}\n"), "t.yaml:1: tags (!local) are not allowed");
  EXPECT_EQ(error("a: 1\n---\nb: 2\n"), "t.yaml:2: only one YAML document is allowed");
  EXPECT_EQ(error("a: 1\nb: 2\na: 3\n"), "t.yaml:3: duplicate key 'a' (first on line 1)");
  EXPECT_EQ(error("? [a]\n: 1\n"), "t.yaml:1: a mapping key must be a scalar");
  EXPECT_EQ(error(""), "t.yaml:1: empty: expected a YAML document");
  EXPECT_EQ(error("# only a comment\n"), "t.yaml:1: empty: expected a YAML document");
  EXPECT_NE(error("a: [1, 2\nb: 3\n").find("not valid YAML: "), std::string::npos);
  EXPECT_EQ(error("a: \"tab\\q\"\n").rfind("t.yaml:1: not valid YAML", 0), 0u);
}

TEST(YamlTree, BoundsDepthNodesAndSize) {
  // Nesting far beyond yaml-cpp's own recursion guard, within the size cap.
  EXPECT_EQ(error(std::string(500000, '[')), "t.yaml:1: nested deeper than 16 levels");
  EXPECT_EQ(error(std::string(17, '[') + std::string(17, ']')), "t.yaml:1: nested deeper than 16 levels");
  EXPECT_TRUE(parse_yaml(std::string(16, '[') + std::string(16, ']'), "t", ErrorKind::Request).ok());
  std::string many = "[";
  for (int i = 0; i < 200; ++i) many += "1,";
  many += "1]";
  EXPECT_EQ(error(many, {.max_nodes = 100}), "t.yaml:1: more than 100 nodes");
  EXPECT_EQ(error(std::string((1 << 20) + 1, ' ')), "t.yaml:1: larger than 1048576 bytes");
  // A megabyte of flow items is refused by the node cap, not by running out of memory.
  std::string flood = "[";
  while (flood.size() < (1 << 20) - 4) flood += "1,";
  flood += "1]";
  EXPECT_EQ(error(flood), "t.yaml:1: more than 100000 nodes");
}

}  // namespace
}  // namespace smmu
