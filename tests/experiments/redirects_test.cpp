// Where the reachability experiment follows a redirect, and where it refuses to: never into this machine
// or a private network, unless the input itself lives there.
#include <gtest/gtest.h>

#include "run_harness.h"

namespace rp::testing {
namespace {

std::vector<HttpRequestObservation> hops(const MeasurementResult& r) { return all_of<HttpRequestObservation>(r); }

class Redirects : public ::testing::Test {
 protected:
  void SetUp() override { h.network.resolve("news.example", {"198.51.100.1"}); }
  RunHarness h;
};

TEST_F(Redirects, RefusesARedirectIntoAPrivateAddress) {
  h.network.redirect("https://news.example/", "http://10.0.0.5/admin");
  const auto r = h.run(url_plan("https://news.example/"));
  ASSERT_EQ(hops(r).size(), 2u);
  EXPECT_EQ(hops(r)[0].redirect_location, "http://10.0.0.5/admin");
  EXPECT_EQ(hops(r)[1].hop, 1);
  EXPECT_EQ(hops(r)[1].failure, Failure::http_forbidden_redirect);
  EXPECT_TRUE(h.network.calls_starting("http http://10.0.0.5").empty());
}

TEST_F(Redirects, RefusesARedirectToLoopback) {
  h.network.redirect("https://news.example/", "http://127.0.0.1:8080/");
  const auto r = h.run(url_plan("https://news.example/"));
  EXPECT_EQ(hops(r).back().failure, Failure::http_forbidden_redirect);
}

TEST_F(Redirects, RefusesARedirectIntoTheBenchmarkingRangeUnlessSpecialPurposeIsAllowed) {
  h.network.redirect("https://news.example/", "http://198.18.5.5/");
  EXPECT_EQ(hops(h.run(url_plan("https://news.example/"))).back().failure, Failure::http_forbidden_redirect);

  RunHarness lab;
  lab.settings.addresses.allow_special_purpose = true;
  lab.network.resolve("news.example", {"198.51.100.1"});
  lab.network.redirect("https://news.example/", "http://198.18.5.5/");
  lab.run(url_plan("https://news.example/"));
  EXPECT_EQ(lab.network.calls_starting("http http://198.18.5.5").size(), 1u);
}

TEST_F(Redirects, RefusesARedirectToThisMachinesOwnPublicAddress) {
  h.settings.is_own_address = [](const std::string& ip) { return ip == "198.51.100.84"; };
  h.network.redirect("https://news.example/", "http://198.51.100.84/");
  const auto r = h.run(url_plan("https://news.example/"));
  EXPECT_EQ(hops(r).back().failure, Failure::http_forbidden_redirect);
  EXPECT_TRUE(h.network.calls_starting("http http://198.51.100.84").empty());
}

TEST_F(Redirects, RefusesARedirectToANameThatResolvesOnlyIntoPrivateNetworks) {
  h.network.resolve("intranet.example", {"192.168.1.10"});
  h.network.redirect("https://news.example/", "https://intranet.example/");
  const auto r = h.run(url_plan("https://news.example/"));
  EXPECT_EQ(hops(r).back().failure, Failure::http_forbidden_redirect);
  EXPECT_TRUE(h.network.calls_starting("http https://intranet.example").empty());
}

TEST_F(Redirects, FetchesARedirectedNameThroughItsFirstPublicAddress) {
  h.network.resolve("cdn.example", {"10.0.0.7", "203.0.113.16"});
  h.network.redirect("https://news.example/", "https://cdn.example/page");
  h.run(url_plan("https://news.example/"));
  EXPECT_EQ(h.network.calls_starting("http https://cdn.example"),
            std::vector<std::string>{"http https://cdn.example/page via 203.0.113.16"});
}

TEST_F(Redirects, FollowsARedirectIntoAPrivateNetworkWhenTheInputIsThere) {
  h.network.redirect("http://10.0.0.5/", "http://10.0.0.6/login");
  const auto r = h.run(url_plan("http://10.0.0.5/"));
  EXPECT_EQ(h.network.calls_starting("http "),
            (std::vector<std::string>{"http http://10.0.0.5/", "http http://10.0.0.6/login"}));
  EXPECT_FALSE(hops(r).back().failure.has_value());
}

TEST_F(Redirects, FollowsARedirectToThisMachineWhenTheInputIsThisMachine) {
  h.settings.is_own_address = [](const std::string& ip) { return ip == "198.51.100.84"; };
  h.network.resolve("me.example", {"198.51.100.84"});
  h.network.redirect("http://me.example/", "http://198.51.100.84/home");
  h.run(url_plan("http://me.example/"));
  EXPECT_EQ(h.network.calls_starting("http http://198.51.100.84").size(), 1u);
}

TEST_F(Redirects, FollowsASameHostRedirectThroughTheSameAddress) {
  h.network.resolve("news.example", {"198.51.100.1", "203.0.113.16"});
  h.network.redirect("https://news.example/", "https://news.example/home");
  h.run(url_plan("https://news.example/"));
  EXPECT_EQ(h.network.calls_starting("http "),
            (std::vector<std::string>{"http https://news.example/ via 198.51.100.1",
                                      "http https://news.example/home via 198.51.100.1"}));
}

TEST_F(Redirects, StopsAfterTheMostRedirectsAllowed) {
  h.settings.max_redirects = 2;
  h.network.redirect("https://news.example/", "https://news.example/1");
  h.network.redirect("https://news.example/1", "https://news.example/2");
  h.network.redirect("https://news.example/2", "https://news.example/3");
  const auto r = h.run(url_plan("https://news.example/"));
  EXPECT_EQ(h.network.calls_starting("http ").size(), 3u);
  EXPECT_EQ(hops(r).back().hop, 3);
  EXPECT_EQ(hops(r).back().failure, Failure::http_too_many_redirects);
}

TEST_F(Redirects, RecordsARedirectItCannotParse) {
  h.network.redirect("https://news.example/", "ftp://news.example/file");
  const auto r = h.run(url_plan("https://news.example/"));
  EXPECT_EQ(hops(r).back().failure, Failure::http_invalid_redirect);
  EXPECT_EQ(hops(r).back().url, "ftp://news.example/file");
}

TEST_F(Redirects, FetchesThroughAnAddressWhereTlsWorked) {
  h.network.resolve("news.example", {"198.51.100.1", "203.0.113.16"});
  h.network.fail_handshake("198.51.100.1", "news.example", Failure::connection_reset);
  h.run(url_plan("https://news.example/"));
  EXPECT_EQ(h.network.calls_starting("http "), std::vector<std::string>{"http https://news.example/ via 203.0.113.16"});
}

TEST_F(Redirects, FetchesNothingWhenNoAddressAcceptedTcp) {
  h.network.fail_connect("198.51.100.1", 443, Failure::connection_refused);
  const auto r = h.run(url_plan("https://news.example/"));
  EXPECT_TRUE(hops(r).empty());
}

}  // namespace
}  // namespace rp::testing
