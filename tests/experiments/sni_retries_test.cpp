// Which TLS handshakes the reachability experiment retries at the same address, with which names, and when
// a refused target name is worth localizing.
#include <gtest/gtest.h>

#include <set>

#include "run_harness.h"

namespace rp::testing {
namespace {

const std::string kAddress = "198.51.100.1";

std::vector<std::string> sni_kinds(const MeasurementResult& r) {
  std::vector<std::string> kinds;
  for (const auto& tls : all_of<TlsHandshakeObservation>(r)) kinds.emplace_back(name_of(tls.sni_kind));
  return kinds;
}

class SniRetries : public ::testing::Test {
 protected:
  void SetUp() override { h.network.resolve("blocked.example", {kAddress}); }
  RunHarness h;
};

TEST_F(SniRetries, TriesNeutralSniThenNoneAfterTargetSniIsReset) {
  h.network.fail_handshake(kAddress, "blocked.example", Failure::connection_reset);
  const auto r = h.run(endpoint_plan("blocked.example:443/tls"));
  EXPECT_EQ(h.network.calls_starting("tls "),
            (std::vector<std::string>{"tls 198.51.100.1:443 sni=blocked.example",
                                      "tls 198.51.100.1:443 sni=example.com", "tls 198.51.100.1:443 sni=-"}));
  EXPECT_EQ(sni_kinds(r), (std::vector<std::string>{"target", "neutral", "none"}));
  EXPECT_FALSE(r.interrupted);
}

TEST_F(SniRetries, UsesTheConfiguredNeutralName) {
  h.settings.neutral_sni = "neutral.example";
  h.network.fail_handshake(kAddress, "blocked.example", Failure::connection_reset);
  h.run(endpoint_plan("blocked.example:443/tls"));
  EXPECT_EQ(h.network.calls_starting("tls ")[1], "tls 198.51.100.1:443 sni=neutral.example");
}

TEST_F(SniRetries, RetriesAfterAnyHandshakeFailureNotOnlyInterference) {
  for (const Failure f : {Failure::ssl_invalid_hostname, Failure::ssl_unknown_authority, Failure::eof_error,
                          Failure::generic_timeout_error, Failure::ssl_failed_handshake}) {
    RunHarness fresh;
    fresh.network.resolve("blocked.example", {kAddress});
    fresh.network.fail_handshake(kAddress, "blocked.example", f);
    fresh.run(endpoint_plan("blocked.example:443/tls"));
    EXPECT_EQ(fresh.network.calls_starting("tls ").size(), 3u) << to_string(f);
  }
}

TEST_F(SniRetries, DoesNotRetryAHandshakeThatWorked) {
  const auto r = h.run(endpoint_plan("blocked.example:443/tls"));
  EXPECT_EQ(sni_kinds(r), std::vector<std::string>{"target"});
}

TEST_F(SniRetries, DoesNotRetryWhenTcpItselfFailed) {
  h.network.fail_connect(kAddress, 443, Failure::connection_refused);
  const auto r = h.run(endpoint_plan("blocked.example:443/tls"));
  EXPECT_TRUE(h.network.calls_starting("tls ").empty());
  EXPECT_EQ(all_of<TcpConnectObservation>(r).size(), 1u);
}

TEST_F(SniRetries, AnIpTargetSendsNoSniAndIsNotRetried) {
  h.network.fail_handshake(kAddress, std::nullopt, Failure::connection_reset);
  const auto r = h.run(endpoint_plan("198.51.100.1:443/tls"));
  EXPECT_EQ(h.network.calls_starting("tls "), std::vector<std::string>{"tls 198.51.100.1:443 sni=-"});
  EXPECT_EQ(sni_kinds(r), std::vector<std::string>{"none"});
}

TEST_F(SniRetries, APlainTcpEndpointHasNoHandshakeAtAll) {
  h.run(endpoint_plan("blocked.example:443/tcp"));
  EXPECT_TRUE(h.network.calls_starting("tls ").empty());
  EXPECT_EQ(h.network.open_sockets(), 0u);
}

TEST_F(SniRetries, EveryAddressOfTheNameGetsItsOwnRetries) {
  h.network.resolve("blocked.example", {kAddress, "203.0.113.16"});
  h.network.fail_handshake(kAddress, "blocked.example", Failure::connection_reset);
  h.network.fail_handshake("203.0.113.16", "blocked.example", Failure::connection_reset);
  h.run(endpoint_plan("blocked.example:443/tls"));
  EXPECT_EQ(h.network.calls_starting("tls 203.0.113.16").size(), 3u);
  EXPECT_EQ(h.network.calls_starting("tls 198.51.100.1").size(), 3u);
}

TEST_F(SniRetries, ATargetNameResetWhileTheNeutralOneWorksIsLocalized) {
  h.network.fail_handshake(kAddress, "blocked.example", Failure::connection_reset);
  h.run(endpoint_plan("blocked.example:443/tls"));
  ASSERT_EQ(h.network.localizations().size(), 1u);
  const auto& request = h.network.localizations()[0];
  EXPECT_EQ(request.kind, LocalizationKind::tls_sni);
  EXPECT_EQ(request.trigger_label, "ClientHello SNI=blocked.example");
  EXPECT_EQ(request.control_label, "ClientHello SNI=example.com");
  EXPECT_FALSE(request.trigger.empty());
}

TEST_F(SniRetries, ACertificateFailureIsRetriedButNotLocalized) {
  h.network.fail_handshake(kAddress, "blocked.example", Failure::ssl_invalid_hostname);
  h.run(endpoint_plan("blocked.example:443/tls"));
  EXPECT_TRUE(h.network.localizations().empty());
}

TEST_F(SniRetries, NothingIsLocalizedWhenTheNeutralNameFailsToo) {
  h.network.fail_handshake(kAddress, "blocked.example", Failure::connection_reset);
  h.network.fail_handshake(kAddress, "example.com", Failure::connection_reset);
  h.run(endpoint_plan("blocked.example:443/tls"));
  EXPECT_TRUE(h.network.localizations().empty());
}

TEST_F(SniRetries, EveryRetryIsItsOwnTransactionAndEverySocketIsHandedBack) {
  h.network.fail_handshake(kAddress, "blocked.example", Failure::connection_reset);
  const auto r = h.run(endpoint_plan("blocked.example:443/tls"));
  std::set<int> transactions;
  for (const auto& tls : all_of<TlsHandshakeObservation>(r)) transactions.insert(tls.transaction);
  EXPECT_EQ(transactions.size(), 3u);
  EXPECT_EQ(h.network.open_sockets(), 0u);
}

}  // namespace
}  // namespace rp::testing
