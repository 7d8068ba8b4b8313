#include "common/bdf.h"

#include <gtest/gtest.h>

namespace smmu {
namespace {

TEST(Bdf, ParsesFullAndShortForms) {
  auto full = parse_bdf("0009:01:00.0");
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->domain, 9u);
  EXPECT_EQ(full->bus, 1);
  EXPECT_EQ(full->str(), "0009:01:00.0");

  auto upper = parse_bdf("000A:FF:1F.7");
  ASSERT_TRUE(upper.ok());
  EXPECT_EQ(upper->str(), "000a:ff:1f.7");

  auto short_form = parse_bdf("7d:00.2");
  ASSERT_TRUE(short_form.ok());
  EXPECT_EQ(short_form->str(), "0000:7d:00.2");
}

TEST(Bdf, RejectsMalformedWithOneLine) {
  for (const char* text : {"", "0009:01:00", "0009:01:00.8", "0009:01:20.0", "g009:01:00.0",
                           "0009-01:00.0", "0009:01:00.0 ", "0009:1:00.0", "00009:01:00.0"}) {
    auto r = parse_bdf(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().kind, ErrorKind::Usage);
    EXPECT_EQ(r.error().message.find('\n'), std::string::npos);
    EXPECT_NE(r.error().message.find("expected DDDD:BB:DD.F"), std::string::npos);
  }
}

TEST(Bdf, OrdersByDomainThenBusDeviceFunction) {
  EXPECT_LT(*parse_bdf("0002:ff:00.0"), *parse_bdf("0009:01:00.0"));
  EXPECT_LT(*parse_bdf("0009:01:00.1"), *parse_bdf("0009:01:01.0"));
  EXPECT_EQ(parse_bdf("0000:e5:01.2")->rid(), 0xe50a);
}

}  // namespace
}  // namespace smmu
