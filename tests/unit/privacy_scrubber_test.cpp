// The probe's own addresses never reach the output, whatever field they were echoed into.
#include <gtest/gtest.h>

#include "output/privacy_scrubber.h"

#include <set>

namespace rp {
namespace {

TEST(PrivacyScrubber, ReplacesEveryWholeOccurrenceAndNothingElse) {
  PrivacyScrubber s;
  s.add("198.18.1.2");
  std::string text =
      R"({"h":["X-Client-IP","198.18.1.2"],"body":"your ip is 198.18.1.2.","other":"198.18.1.20","x":"10.198.18.1.2"})";
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

TEST(PrivacyScrubber, CatchesEverySpellingOfTheSameAddress) {
  PrivacyScrubber s;
  ASSERT_TRUE(s.add("2001:db8::42"));
  ASSERT_TRUE(s.add("198.18.1.200"));
  EXPECT_FALSE(s.add("198.018.001.200"));  // the same address, already known
  std::string text =
      "a 2001:0DB8:0000::0042 b 2001:Db8:0:0:0:0:0:42 c [2001:db8::42]:443 d ::ffff:198.18.1.200 "
      "e 64:ff9b::198.18.1.200 f 198.018.001.200 g 198.18.1.200:8080 h ip-198-18-1-200.dsl.example "
      "i 200.1.18.198.in-addr.arpa j IP:198.18.1.200. k 2001:db8::43 l 198.18.1.201 m 1198.18.1.200";
  ASSERT_TRUE(s.scrub(text));
  EXPECT_EQ(text,
            "a [scrubbed] b [scrubbed] c [[scrubbed]]:443 d [scrubbed] "
            "e [scrubbed] f [scrubbed] g [scrubbed]:8080 h ip-[scrubbed].dsl.example "
            "i [scrubbed] j IP:[scrubbed]. k 2001:db8::43 l 198.18.1.201 m 1198.18.1.200");
}

TEST(PrivacyScrubber, KnowsAnAddressInAnySpelling) {
  PrivacyScrubber s;
  s.add("2001:DB8::42");
  EXPECT_TRUE(s.knows("2001:db8:0::42"));
  EXPECT_FALSE(s.knows("2001:db8::4"));
  EXPECT_EQ(s.addresses(), (std::set<std::string>{"2001:db8::42"}));
}

// What it finds but cannot rewrite in place, it refuses: the record must then be withheld.
TEST(PrivacyScrubber, RefusesTextThatStillNamesTheMachinePercentEncoded) {
  PrivacyScrubber s;
  s.add("198.18.1.200");
  std::string text = R"({"location":"/welcome?client=198%2E18%2E1%2E200"})";
  EXPECT_FALSE(s.scrub(text));
  std::string v6 = "next=2001%3adb8%3A%3A42";
  s.add("2001:db8::42");
  EXPECT_FALSE(s.scrub(v6));
  std::string other = "client=198%2E18%2E1%2E201";
  EXPECT_TRUE(s.scrub(other));
}

TEST(PrivacyScrubber, IgnoresLoopbackAndNonAddresses) {
  PrivacyScrubber s;
  s.add("127.0.0.1");
  s.add("::1");
  s.add("::");
  s.add("0.0.0.0");
  s.add("not an ip");
  s.add(std::string("198.18.1.2\0junk", 15));
  EXPECT_TRUE(s.addresses().empty());
}

TEST(PrivacyScrubber, LearnsTheAddressServersEchoBackButNotTheirOwn) {
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"X-Forwarded-For", "203.0.113.9, 198.51.100.77"},  // the second is a proxy: not ours
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
