#include "common/split.h"

#include <gtest/gtest.h>

namespace smmu {
namespace {

using Pieces = std::vector<std::string_view>;

TEST(Split, KeepsEmptyPiecesSoCallersCanRefuseThem) {
  EXPECT_EQ(split("a,b", ','), (Pieces{"a", "b"}));
  EXPECT_EQ(split("a,,b,", ','), (Pieces{"a", "", "b", ""}));
  EXPECT_EQ(split("", ','), (Pieces{""}));
  EXPECT_EQ(split("a=b", ','), (Pieces{"a=b"}));
}

}  // namespace
}  // namespace smmu
