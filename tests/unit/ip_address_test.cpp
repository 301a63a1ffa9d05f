// Which addresses the probe treats as the volunteer's own networks.
#include <gtest/gtest.h>

#include "net/ip_address.h"

namespace rp {
namespace {

TEST(IpAddress, TreatsPrivateLoopbackAndLinkLocalAsLocal) {
  for (const char* ip : {"10.10.34.36", "127.0.0.1", "192.168.1.1", "172.16.0.1", "169.254.1.1", "100.64.0.1",
                         "0.0.0.0", "224.0.0.1", "::1", "::", "fe80::1", "fd00::1", "::ffff:10.0.0.1"}) {
    EXPECT_TRUE(is_local_or_private(ip)) << ip;
  }
}

TEST(IpAddress, TreatsPublicAndDocumentationAddressesAsNotLocal) {
  for (const char* ip : {"198.51.100.7", "203.0.113.1", "2001:db8::1", "172.32.0.1"}) {
    EXPECT_FALSE(is_local_or_private(ip)) << ip;
  }
  EXPECT_FALSE(is_local_or_private("not-an-ip"));
}

TEST(IpAddress, TreatsTheBenchmarkingRangeAsLocalUnlessSpecialPurposeIsAllowed) {
  EXPECT_TRUE(is_local_or_private("198.18.10.10"));
  EXPECT_TRUE(is_local_or_private("::ffff:198.19.0.1"));
  EXPECT_FALSE(is_local_or_private("198.18.10.10", AddressPolicy{.allow_special_purpose = true}));
  EXPECT_TRUE(is_local_or_private("10.10.34.36", AddressPolicy{.allow_special_purpose = true}));
}

TEST(IpAddress, RefusesALiteralWithAnEmbeddedNul) {
  EXPECT_TRUE(is_ip_literal("198.51.100.7"));
  EXPECT_FALSE(is_ip_literal(std::string("198.51.100.7\0junk", 17)));
  EXPECT_TRUE(same_address("2001:DB8::1", "2001:db8:0::1"));
  EXPECT_FALSE(same_address("2001:db8::1", "2001:db8::2"));
}

}  // namespace
}  // namespace rp
