// `reachprobe run`'s options: each bad one is refused with a message naming it, before anything is read.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <variant>

#include "cli/checked_run_options.h"

namespace rp {
namespace {

// The message for the options, or "" when they were accepted.
std::string rejection_of(const RunOptions& o) {
  const auto checked = check_run_options(o);
  const auto* message = std::get_if<std::string>(&checked);
  return message ? *message : "";
}

TEST(CheckedRunOptions, AcceptsTheDefaults) { EXPECT_EQ(rejection_of(RunOptions{}), ""); }

TEST(CheckedRunOptions, RefusesACountryThatIsNotTwoCapitalLetters) {
  for (const char* cc : {"ir", "IRN", "I", "", "Z1"}) {
    RunOptions o;
    o.probe_cc = cc;
    EXPECT_EQ(rejection_of(o),
              "--probe-cc: '" + std::string(cc) + "' is not a two-letter country code (e.g. IR, or ZZ)");
  }
}

TEST(CheckedRunOptions, RefusesANetworkThatIsNotASPlusDigits) {
  for (const char* asn : {"12345", "as12345", "AS", "AS12345678901", "AS12x"}) {
    RunOptions o;
    o.probe_asn = asn;
    EXPECT_EQ(rejection_of(o), "--probe-asn: '" + std::string(asn) + "' is not like AS12345");
  }
}

TEST(CheckedRunOptions, RefusesAVantageLabelLongerThan128Characters) {
  RunOptions o;
  o.vantage = std::string(128, 'v');
  EXPECT_EQ(rejection_of(o), "");
  o.vantage += 'v';
  EXPECT_EQ(rejection_of(o), "--vantage: longer than 128 characters");
}

TEST(CheckedRunOptions, RefusesAScrubAddressThatIsNotAnAddress) {
  RunOptions o;
  o.scrub_addresses = {"192.0.2.1", "2001:db8::1", "my-router"};
  EXPECT_EQ(rejection_of(o), "--scrub-address: 'my-router' is not an IP address");
}

TEST(CheckedRunOptions, RefusesATimeoutOutsideZeroTo300Seconds) {
  for (double timeout : {0.0, -1.0, 300.5, std::nan("")}) {
    RunOptions o;
    o.timeout = timeout;
    EXPECT_EQ(rejection_of(o), "--timeout: must be between 0 and 300 seconds") << timeout;
  }
  RunOptions o;
  o.timeout = 300;
  EXPECT_EQ(rejection_of(o), "");
}

TEST(CheckedRunOptions, RefusesParallelismOutside1To4096) {
  for (std::size_t parallel : {std::size_t{0}, std::size_t{4097}}) {
    RunOptions o;
    o.parallel = parallel;
    EXPECT_EQ(rejection_of(o), "--parallel: must be between 1 and 4096") << parallel;
  }
}

TEST(CheckedRunOptions, RefusesACategoryWithoutATestList) {
  RunOptions o;
  o.category = "COMT";
  EXPECT_EQ(rejection_of(o), "--category needs --test-list");
  o.test_list = "list.csv";
  EXPECT_EQ(rejection_of(o), "");
}

TEST(CheckedRunOptions, RefusesAMaxTtlOutside1To32) {
  for (int ttl : {0, 33, -1}) {
    RunOptions o;
    o.max_ttl = ttl;
    EXPECT_EQ(rejection_of(o), "--max-ttl: must be between 1 and 32") << ttl;
  }
}

TEST(CheckedRunOptions, RefusesAnInjectionCheckTargetThatIsNotAnAddress) {
  RunOptions o;
  o.injection_check_ip = "dns.example";
  EXPECT_EQ(rejection_of(o), "--injection-check-ip: 'dns.example' is not an IP address");
}

TEST(CheckedRunOptions, RefusesAResolverThatIsNotAnAddressWithAnOptionalPort) {
  RunOptions o;
  o.resolver = "dns.example:53";
  EXPECT_EQ(rejection_of(o), "--resolver: 'dns.example:53' is not IP, IP:PORT or [IPv6]:PORT");
  for (const char* ok : {"192.0.2.53", "192.0.2.53:5353", "[2001:db8::53]:53"}) {
    o.resolver = ok;
    EXPECT_EQ(rejection_of(o), "") << ok;
  }
}

// Several bad options: the identity is named first, as a volunteer reads the command line.
TEST(CheckedRunOptions, NamesTheFirstBadOptionOnly) {
  RunOptions o;
  o.probe_cc = "xx";
  o.parallel = 0;
  o.max_ttl = 0;
  EXPECT_EQ(rejection_of(o), "--probe-cc: 'xx' is not a two-letter country code (e.g. IR, or ZZ)");
}

TEST(CheckedRunOptions, TurnsAcceptedOptionsIntoTheRunsSettingsAndIdentity) {
  RunOptions o;
  o.timeout = 1.5;
  o.parallel = 8;
  o.resolver = "192.0.2.53";
  o.neutral_sni = "neutral.example";
  o.no_dns_evidence = true;
  o.max_ttl = 12;
  o.ca_bundle = "extra.pem";
  o.vantage = "home";
  o.probe_cc = "IR";
  o.probe_asn = "AS197207";
  const auto checked = check_run_options(o);
  ASSERT_TRUE(std::holds_alternative<CheckedRunOptions>(checked));
  const auto& [batch, id] = std::get<CheckedRunOptions>(checked);
  EXPECT_EQ(batch.parallel, 8u);
  EXPECT_EQ(batch.resolver, "192.0.2.53");
  EXPECT_EQ(batch.settings.timeout, Duration{1500});
  EXPECT_EQ(batch.settings.neutral_sni, "neutral.example");
  EXPECT_FALSE(batch.settings.dns_exchanges);
  EXPECT_TRUE(batch.settings.localize);
  EXPECT_EQ(batch.settings.localization.max_ttl, 12);
  EXPECT_EQ(batch.settings.localization.wait, Duration{750});  // half a step, at most a second
  EXPECT_EQ(batch.settings.localization.connect_timeout, Duration{1500});
  EXPECT_EQ(batch.settings.system_trust, nullptr);  // reading the bundle is I/O: left to the run
  EXPECT_EQ(id.vantage, "home");
  EXPECT_EQ(id.probe_cc, "IR");
  EXPECT_EQ(id.probe_asn, "AS197207");
  EXPECT_EQ(id.resolver_source, "cli");
  EXPECT_EQ(id.timeout_seconds, 1.5);
  EXPECT_EQ(id.neutral_sni, "neutral.example");
  EXPECT_TRUE(id.extra_trust_anchors);
}

}  // namespace
}  // namespace rp
