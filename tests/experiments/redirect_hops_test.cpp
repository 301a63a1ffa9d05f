// Every redirect hop to a new host is measured like the first hop: resolved, connected to and handshaken with
// (SNI retries and localization included) before it is fetched; a hop on the same connection reuses it.
#include <gtest/gtest.h>

#include <algorithm>

#include "run_harness.h"

namespace rp::testing {
namespace {

const std::string kNews = "198.51.100.1";
const std::string kCdn = "203.0.113.16";

// Where a call is in the log of the fake network; calls().size() when it was never made.
std::size_t position_of(const FakeNetwork& n, const std::string& call) {
  const auto& calls = n.calls();
  return static_cast<std::size_t>(std::find(calls.begin(), calls.end(), call) - calls.begin());
}

class RedirectHops : public ::testing::Test {
 protected:
  void SetUp() override {
    h.network.resolve("news.example", {kNews});
    h.network.resolve("cdn.example", {kCdn});
  }
  RunHarness h;
};

TEST_F(RedirectHops, AHopToANewHostIsResolvedConnectedAndHandshakenBeforeItIsFetched) {
  h.network.redirect("https://news.example/", "https://cdn.example/page");
  h.run(url_plan("https://news.example/"));
  const auto& n = h.network;
  const std::size_t query = position_of(n, "query cdn.example A");
  const std::size_t tcp = position_of(n, "tcp 203.0.113.16:443");
  const std::size_t tls = position_of(n, "tls 203.0.113.16:443 sni=cdn.example");
  const std::size_t http = position_of(n, "http https://cdn.example/page via 203.0.113.16");
  EXPECT_LT(query, tcp);
  EXPECT_LT(tcp, tls);
  EXPECT_LT(tls, http);
  EXPECT_LT(http, n.calls().size());
}

TEST_F(RedirectHops, TheNewHostsStepsNameItAndBelongToTheTarget) {
  h.network.redirect("https://news.example/", "https://cdn.example/page");
  const auto r = h.run(url_plan("https://news.example/"));
  const auto tcp = all_of<TcpConnectObservation>(r);
  const auto tls = all_of<TlsHandshakeObservation>(r);
  const auto http = all_of<HttpRequestObservation>(r);
  ASSERT_EQ(tcp.size(), 2u);
  ASSERT_EQ(tls.size(), 2u);
  ASSERT_EQ(http.size(), 2u);
  EXPECT_EQ(tcp[1].address, kCdn);
  EXPECT_EQ(tcp[1].hostname, "cdn.example");
  EXPECT_EQ(tls[1].server_name, "cdn.example");
  EXPECT_EQ(tls[1].verify_name, "cdn.example");
  EXPECT_EQ(tls[1].sni_kind, SniKind::target);
  EXPECT_EQ(tls[1].transaction, tcp[1].transaction);
  EXPECT_EQ(http[1].hop, 1);
  EXPECT_EQ(http[1].address, kCdn);
  for (const auto& o : r.observations) EXPECT_EQ(base_of(o).target, "https://news.example/");
}

TEST_F(RedirectHops, ASecondHopsResetHandshakeIsRetriedWithTheNeutralNameThenNoneAndLocalized) {
  h.network.redirect("https://news.example/", "https://cdn.example/page");
  h.network.fail_handshake(kCdn, "cdn.example", Failure::connection_reset);
  const auto r = h.run(url_plan("https://news.example/"));
  EXPECT_EQ(h.network.calls_starting("tls 203.0.113.16"),
            (std::vector<std::string>{"tls 203.0.113.16:443 sni=cdn.example", "tls 203.0.113.16:443 sni=example.com",
                                      "tls 203.0.113.16:443 sni=-"}));
  ASSERT_EQ(h.network.localizations().size(), 1u);
  EXPECT_EQ(h.network.localizations()[0].kind, LocalizationKind::tls_sni);
  EXPECT_EQ(h.network.localizations()[0].address, kCdn);
  EXPECT_EQ(h.network.localizations()[0].trigger_label, "ClientHello SNI=cdn.example");
  // As on the first hop: TCP worked there, so the fetch still goes through it and shows what HTTP gets.
  EXPECT_EQ(h.network.calls_starting("http https://cdn.example"),
            std::vector<std::string>{"http https://cdn.example/page via 203.0.113.16"});
  EXPECT_EQ(h.network.open_sockets(), 0u);
  EXPECT_FALSE(r.interrupted);
}

TEST_F(RedirectHops, AHopToANewHostThatAcceptsNoConnectionIsNotFetched) {
  h.network.redirect("https://news.example/", "https://cdn.example/page");
  h.network.fail_connect(kCdn, 443, Failure::connection_refused);
  const auto r = h.run(url_plan("https://news.example/"));
  EXPECT_TRUE(h.network.calls_starting("http https://cdn.example").empty());
  EXPECT_EQ(all_of<TcpConnectObservation>(r).back().failure, Failure::connection_refused);
  EXPECT_EQ(all_of<HttpRequestObservation>(r).size(), 1u);
}

TEST_F(RedirectHops, APrivateAnswerOfTheNewHostIsNeverConnectedTo) {
  h.network.resolve("cdn.example", {"10.0.0.7", kCdn});
  h.network.redirect("https://news.example/", "https://cdn.example/page");
  h.run(url_plan("https://news.example/"));
  EXPECT_TRUE(h.network.calls_starting("tcp 10.0.0.7").empty());
  EXPECT_EQ(h.network.calls_starting("tcp 203.0.113.16").size(), 1u);
}

TEST_F(RedirectHops, AHopToANewIpLiteralIsConnectedToWithoutSniAndFetchedByItsUrl) {
  h.network.redirect("https://news.example/", "https://203.0.113.16/page");
  h.run(url_plan("https://news.example/"));
  EXPECT_TRUE(h.network.calls_starting("query 203.0.113.16").empty());
  EXPECT_EQ(h.network.calls_starting("tls 203.0.113.16"), std::vector<std::string>{"tls 203.0.113.16:443 sni=-"});
  EXPECT_EQ(h.network.calls_starting("http https://203.0.113.16"),
            std::vector<std::string>{"http https://203.0.113.16/page"});
}

TEST_F(RedirectHops, AHopOnTheSameConnectionReusesWhatTheFirstHopMeasured) {
  h.network.redirect("https://news.example/", "https://news.example/home");
  h.run(url_plan("https://news.example/"));
  EXPECT_EQ(h.network.calls_starting("query ").size(), 2u);  // A and AAAA, once
  EXPECT_EQ(h.network.calls_starting("tcp ").size(), 1u);
  EXPECT_EQ(h.network.calls_starting("tls ").size(), 1u);
  EXPECT_EQ(h.network.calls_starting("http ").size(), 2u);
}

TEST_F(RedirectHops, AnUpgradeToHttpsOnTheSameHostHandshakesAtTheAddressAlreadyUsed) {
  h.network.resolve("news.example", {kNews, "198.51.100.2"});
  h.network.redirect("http://news.example/", "https://news.example/");
  h.run(url_plan("http://news.example/"));
  EXPECT_EQ(h.network.calls_starting("query ").size(), 2u);  // not resolved again
  EXPECT_EQ(h.network.calls_starting("tcp "),
            (std::vector<std::string>{"tcp 198.51.100.1:80", "tcp 198.51.100.2:80", "tcp 198.51.100.1:443"}));
  EXPECT_EQ(h.network.calls_starting("tls "), std::vector<std::string>{"tls 198.51.100.1:443 sni=news.example"});
  EXPECT_EQ(h.network.calls_starting("http https://news.example"),
            std::vector<std::string>{"http https://news.example/ via 198.51.100.1"});
}

}  // namespace
}  // namespace rp::testing
