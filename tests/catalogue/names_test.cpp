// Hostname, IP, URL and date syntax used by the lint and the test-list reader.
#include "catalogue/names.h"

#include <gtest/gtest.h>

namespace rp {
namespace {

TEST(Hostnames, AcceptsOrdinaryProviderNames) {
  EXPECT_TRUE(is_valid_hostname("chat.signal.org"));
  EXPECT_TRUE(is_valid_hostname("e1.whatsapp.net"));
  EXPECT_TRUE(is_valid_hostname("xn--80ak6aa92e.com"));
}

TEST(Hostnames, RejectsEmptyLabelsTrailingDotsUnderscoresAndNumericTlds) {
  EXPECT_FALSE(is_valid_hostname(""));
  EXPECT_FALSE(is_valid_hostname("chat..signal.org"));
  EXPECT_FALSE(is_valid_hostname("chat.signal.org."));
  EXPECT_FALSE(is_valid_hostname("bad_name.example"));
  EXPECT_FALSE(is_valid_hostname("-dash.example"));
  EXPECT_FALSE(is_valid_hostname("1.2.3.4"));
  EXPECT_FALSE(is_valid_hostname(std::string(64, 'a') + ".org"));
}

TEST(IpLiterals, ParsesBothFamiliesAndFlagsSpecialPurposeRanges) {
  ASSERT_TRUE(parse_ip("149.154.167.51"));
  EXPECT_FALSE(is_special_purpose(*parse_ip("149.154.167.51")));
  EXPECT_TRUE(is_special_purpose(*parse_ip("10.1.2.3")));
  EXPECT_TRUE(is_special_purpose(*parse_ip("198.18.0.1")));
  EXPECT_TRUE(is_special_purpose(*parse_ip("192.0.2.1")));
  EXPECT_TRUE(is_special_purpose(*parse_ip("2001:db8::1")));
  EXPECT_TRUE(is_special_purpose(*parse_ip("::ffff:127.0.0.1")));
  EXPECT_FALSE(is_special_purpose(*parse_ip("2001:67c:4e8:f002::a")));
  EXPECT_FALSE(parse_ip("149.154.167.256"));
}

TEST(HttpUrls, SplitsSchemeHostPortAndPath) {
  auto u = parse_http_url("https://Web.WhatsApp.com:8443/path?q=1");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->scheme, "https");
  EXPECT_EQ(u->host, "web.whatsapp.com");
  EXPECT_EQ(u->port, 8443);
  EXPECT_EQ(u->path, "/path?q=1");
  auto v6 = parse_http_url("http://[2001:67c:4e8:f002::a]/");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "2001:67c:4e8:f002::a");
}

TEST(HttpUrls, RefusesOtherSchemesUserinfoSpacesAndBadPorts) {
  EXPECT_FALSE(parse_http_url("ftp://example.org/"));
  EXPECT_FALSE(parse_http_url("https://user@example.org/"));
  EXPECT_FALSE(parse_http_url("https://exa mple.org/"));
  EXPECT_FALSE(parse_http_url("https://example.org:0/"));
  EXPECT_FALSE(parse_http_url("https://example.org:70000/"));
  EXPECT_FALSE(parse_http_url("example.org"));
}

TEST(Dates, AcceptOnlyRealCalendarDays) {
  EXPECT_TRUE(is_iso_date("2026-11-29"));
  EXPECT_TRUE(is_iso_date("2024-02-29"));
  EXPECT_FALSE(is_iso_date("2026-02-29"));
  EXPECT_FALSE(is_iso_date("2026-13-01"));
  EXPECT_FALSE(is_iso_date("29/11/2026"));
}

}  // namespace
}  // namespace rp
