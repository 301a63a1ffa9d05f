// Where the injection check (the same DNS question, sent to a host that runs no DNS server) is aimed.
#include <gtest/gtest.h>

#include "run_harness.h"

namespace rp::testing {
namespace {

std::vector<std::string> injection_checks(const RunHarness& h) {
  std::vector<std::string> out;
  for (const auto& call : h.network.calls_starting("exchange ")) {
    if (call.rfind("exchange 203.0.113.9:53 ", 0) != 0) out.push_back(call);  // not the resolver's duplicate watch
  }
  return out;
}

TEST(InjectionCheck, AimsAtTheFirstAnsweredPublicAddress) {
  RunHarness h;
  h.network.resolve("blocked.example", {"10.0.0.5", "198.51.100.1", "203.0.113.16"});
  h.run(endpoint_plan("blocked.example:443/tcp"));
  EXPECT_EQ(injection_checks(h), std::vector<std::string>{"exchange 198.51.100.1:53 blocked.example"});
}

TEST(InjectionCheck, IsNeverAimedAtPrivateOrLocalAddresses) {
  RunHarness h;
  h.network.resolve("blocked.example", {"10.0.0.5", "127.0.0.1", "192.168.0.1", "169.254.1.1", "100.64.0.1"});
  h.run(endpoint_plan("blocked.example:443/tcp"));
  EXPECT_TRUE(injection_checks(h).empty());
}

TEST(InjectionCheck, TreatsTheBenchmarkingRangeAsSpecialUnlessAllowed) {
  RunHarness h;
  h.network.resolve("blocked.example", {"198.18.5.5"});
  h.run(endpoint_plan("blocked.example:443/tcp"));
  EXPECT_TRUE(injection_checks(h).empty());

  RunHarness lab;
  lab.settings.addresses.allow_special_purpose = true;
  lab.network.resolve("blocked.example", {"198.18.5.5"});
  lab.run(endpoint_plan("blocked.example:443/tcp"));
  EXPECT_EQ(injection_checks(lab), std::vector<std::string>{"exchange 198.18.5.5:53 blocked.example"});
}

TEST(InjectionCheck, IsNotAimedAtIpv6Answers) {
  RunHarness h;
  h.network.resolve("blocked.example", {}, {"2606:4700::1"});
  h.run(endpoint_plan("blocked.example:443/tcp"));
  EXPECT_TRUE(injection_checks(h).empty());
}

TEST(InjectionCheck, GoesToTheConfiguredAddressWhateverTheAnswers) {
  RunHarness h;
  h.settings.injection_check_ip = "198.51.100.53";
  h.network.resolve("blocked.example", {"198.51.100.1"});
  h.network.resolve("empty.example", {});
  h.run(endpoint_plan("blocked.example:443/tcp"));
  h.run(endpoint_plan("empty.example:443/tcp"));
  EXPECT_EQ(injection_checks(h), (std::vector<std::string>{"exchange 198.51.100.53:53 blocked.example",
                                                           "exchange 198.51.100.53:53 empty.example"}));
}

TEST(InjectionCheck, IsRecordedWithItsPurpose) {
  RunHarness h;
  h.network.resolve("blocked.example", {"198.51.100.1"});
  const auto r = h.run(endpoint_plan("blocked.example:443/tcp"));
  std::vector<std::string> purposes;
  for (const auto& x : all_of<DnsExchangeObservation>(r))
    purposes.push_back(std::string(name_of(x.purpose)) + " " + x.server);
  EXPECT_EQ(purposes, (std::vector<std::string>{"duplicate_watch 203.0.113.9:53", "injection_check 198.51.100.1:53"}));
}

TEST(InjectionCheck, NoQuestionOfItsOwnIsSentWhenExchangesAreOff) {
  RunHarness h;
  h.settings.dns_exchanges = false;
  h.network.resolve("blocked.example", {"198.51.100.1"});
  h.run(endpoint_plan("blocked.example:443/tcp"));
  EXPECT_TRUE(h.network.calls_starting("exchange ").empty());
}

TEST(InjectionCheck, AnIpTargetIsNotResolvedSoNotChecked) {
  RunHarness h;
  const auto r = h.run(endpoint_plan("198.51.100.1:443/tcp"));
  EXPECT_TRUE(h.network.calls_starting("exchange ").empty());
  EXPECT_TRUE(h.network.calls_starting("query ").empty());
  EXPECT_EQ(all_of<TcpConnectObservation>(r).size(), 1u);
}

}  // namespace
}  // namespace rp::testing
