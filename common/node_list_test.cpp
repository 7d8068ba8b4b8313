#include "common/node_list.h"

#include <gtest/gtest.h>

namespace smmu {
namespace {

TEST(NodeList, RunsBecomeRanges) {
  EXPECT_EQ(node_list_text({1, 2, 3, 4, 5, 6, 7, 8}), "1-8");
  EXPECT_EQ(node_list_text({0, 2, 3, 9}), "0,2-3,9");
  EXPECT_EQ(node_list_text({}), "");
}

TEST(NodeList, ParsesWhatLinuxWrites) {
  EXPECT_EQ(parse_node_list("1-15\n"), (std::set<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}));
  EXPECT_EQ(parse_node_list("0,2-3,9"), (std::set<int>{0, 2, 3, 9}));
  EXPECT_EQ(parse_node_list(" \n"), std::set<int>{});
  EXPECT_FALSE(parse_node_list("3-1"));
  EXPECT_FALSE(parse_node_list("1,,2"));
  EXPECT_FALSE(parse_node_list("x"));
  EXPECT_FALSE(parse_node_list("0-99999999"));
}

// A list's cost is bounded by the numbers it holds, repeats counted.
TEST(NodeList, HoldsAtMostTheLargestNumberPlusOne) {
  EXPECT_EQ(parse_node_list("0-65536")->size(), 65537u);
  EXPECT_FALSE(parse_node_list("0-65537"));
  std::string repeats = "0-40000";
  for (int i = 0; i < 1000; ++i) repeats += ",0-40000";
  EXPECT_FALSE(parse_node_list(repeats));
}

}  // namespace
}  // namespace smmu
