// The probe's own addresses never reach the output, whatever field they were echoed into.
#include <gtest/gtest.h>

#include "output/privacy_scrubber.h"

namespace rp {
namespace {

TEST(PrivacyScrubber, ReplacesEveryWholeOccurrenceAndNothingElse) {
  PrivacyScrubber s;
  s.add("198.18.1.2");
  std::string text = R"({"h":["X-Client-IP","198.18.1.2"],"body":"your ip is 198.18.1.2.","other":"198.18.1.20","x":"10.198.18.1.2"})";
  ASSERT_TRUE(s.scrub(text));
  EXPECT_EQ(text.find("\"198.18.1.2\""), std::string::npos);
  EXPECT_NE(text.find("your ip is [scrubbed]."), std::string::npos);
  EXPECT_NE(text.find("198.18.1.20"), std::string::npos);  // another address, kept
}

TEST(PrivacyScrubber, CatchesIpv6InEitherCase) {
  PrivacyScrubber s;
  s.add("2001:DB8::42");
  std::string text = "a 2001:db8::42 b 2001:DB8::42 c 2001:db8::420";
  ASSERT_TRUE(s.scrub(text));
  EXPECT_EQ(text, "a [scrubbed] b [scrubbed] c 2001:db8::420");
}

TEST(PrivacyScrubber, IgnoresLoopbackAndNonAddresses) {
  PrivacyScrubber s;
  s.add("127.0.0.1");
  s.add("::1");
  s.add("not an ip");
  EXPECT_TRUE(s.addresses().empty());
}

TEST(PrivacyScrubber, LearnsTheAddressServersEchoBackButNotTheirOwn) {
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"X-Forwarded-For", "203.0.113.9, 198.51.100.1"},
      {"Forwarded", "for=\"[2001:db8::7]:4711\";proto=https"},
      {"x-real-ip", "203.0.113.9:5555"},
      {"Server", "198.51.100.200"}};
  const auto echoed = echoed_client_addresses(headers, {"198.51.100.1"});
  EXPECT_EQ(echoed, (std::vector<std::string>{"203.0.113.9", "2001:db8::7", "203.0.113.9"}));
}

TEST(PrivacyScrubber, KnowsThisMachinesInterfaceAddresses) {
  const auto s = PrivacyScrubber::from_interfaces();
  for (const auto& a : s.addresses()) EXPECT_NE(a.rfind("127.", 0), 0u) << a;
}

}  // namespace
}  // namespace rp
