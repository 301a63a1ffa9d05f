// The reachability decisions as pure functions of what was measured.
#include <gtest/gtest.h>

#include "experiments/reachability/decisions.h"

namespace rp {
namespace {

TEST(Decisions, MergesIpv4BeforeIpv6WithoutDuplicatesUpToTheCap) {
  EXPECT_EQ(merge_addresses({"203.0.113.1", "203.0.113.1", "203.0.113.2"}, {"::1", "::2"}, 3),
            (Addresses{"203.0.113.1", "203.0.113.2", "::1"}));
}

TEST(Decisions, KeepsOnlyAnswersOfTheAskedType) {
  const std::vector<DnsAnswer> answers{{"a.example", 5, 60, "b.example"}, {"b.example", 1, 60, "203.0.113.4"}};
  EXPECT_EQ(answered_addresses(answers, DnsType::A), Addresses{"203.0.113.4"});
  EXPECT_TRUE(answered_addresses(answers, DnsType::AAAA).empty());
}

TEST(Decisions, FetchesHttpsThroughTlsThenTcp) {
  const std::vector<AddressOutcome> outcomes{{"203.0.113.1", false, false},
                                             {"203.0.113.2", true, false},
                                             {"203.0.113.3", true, true}};
  EXPECT_EQ(address_to_fetch_through(outcomes, true), "203.0.113.3");
  EXPECT_EQ(address_to_fetch_through(outcomes, false), "203.0.113.2");
  EXPECT_EQ(address_to_fetch_through({{"203.0.113.1", false, false}}, true), std::nullopt);
}

TEST(Decisions, RetriesOnlyAHandshakeThatSentTheTargetName) {
  const StepOutcome reset{true, false, Failure::connection_reset};
  EXPECT_EQ(sni_retries(SniChoice{"x.example", SniKind::target}, reset, "example.com").size(), 2u);
  EXPECT_TRUE(sni_retries(SniChoice{std::nullopt, SniKind::none}, reset, "example.com").empty());
  EXPECT_TRUE(sni_retries(std::nullopt, reset, "example.com").empty());
  EXPECT_TRUE(sni_retries(SniChoice{"x.example", SniKind::target}, {true, true, {}}, "example.com").empty());
}

UrlParts url(const std::string& scheme, const std::string& host, uint16_t port) {
  return {scheme + "://" + host + ":" + std::to_string(port) + "/", scheme, host, port, std::nullopt, std::nullopt};
}

TEST(Decisions, PlansRedirectsInOrderTooManyThenForbiddenThenSameConnectionThenSameHostThenNewHost) {
  const IsPrivate is_private = [](const std::string& ip) { return ip.rfind("10.", 0) == 0; };
  const UrlParts a = url("https", "a.example", 443);
  EXPECT_EQ(plan_redirect(a, url("http", "10.0.0.1", 80), 11, 10, false, is_private), RedirectPlan::too_many);
  EXPECT_EQ(plan_redirect(a, url("http", "10.0.0.1", 80), 1, 10, false, is_private), RedirectPlan::forbidden);
  EXPECT_EQ(plan_redirect(a, url("http", "10.0.0.1", 80), 1, 10, true, is_private), RedirectPlan::new_host);
  EXPECT_EQ(plan_redirect(a, url("https", "a.example", 443), 1, 10, false, is_private), RedirectPlan::same_connection);
  EXPECT_EQ(plan_redirect(url("http", "a.example", 80), a, 1, 10, false, is_private), RedirectPlan::same_host_again);
  EXPECT_EQ(plan_redirect(a, url("https", "a.example", 8443), 1, 10, false, is_private), RedirectPlan::same_host_again);
  EXPECT_EQ(plan_redirect(a, url("https", "b.example", 443), 1, 10, false, is_private), RedirectPlan::new_host);
  EXPECT_EQ(plan_redirect(a, url("https", "203.0.113.7", 443), 1, 10, false, is_private), RedirectPlan::new_host);
}

TEST(Decisions, LeadsARedirectOnlyToTheAddressesItMayGoTo) {
  const IsPrivate is_private = [](const std::string& ip) { return ip.rfind("10.", 0) == 0; };
  const Addresses resolved{"10.0.0.7", "203.0.113.16", "203.0.113.17"};
  EXPECT_EQ(redirect_addresses(resolved, false, is_private), (Addresses{"203.0.113.16", "203.0.113.17"}));
  EXPECT_EQ(redirect_addresses(resolved, true, is_private), resolved);
  EXPECT_TRUE(redirect_addresses({"10.0.0.7"}, false, is_private).empty());
}

TEST(Decisions, AimsTheInjectionCheckAtTheConfiguredAddressFirst) {
  EXPECT_EQ(injection_check_target("203.0.113.5", {"203.0.113.1"}, {}), "203.0.113.5");
  EXPECT_EQ(injection_check_target(std::nullopt, {"10.1.1.1", "203.0.113.1"}, {}), "203.0.113.1");
  EXPECT_EQ(injection_check_target(std::nullopt, {"10.1.1.1"}, {}), std::nullopt);
}

DnsExchangeResult replies(std::vector<std::string> values) {
  DnsExchangeResult r;
  for (const auto& v : values) {
    DnsExchangeReply reply;
    reply.message.answers.push_back({"a.example", 1, 60, v});
    r.replies.push_back(reply);
  }
  return r;
}

TEST(Decisions, AnyReplyToTheInjectionCheckShowsInjection) {
  EXPECT_TRUE(exchange_shows_injection(DnsPurpose::injection_check, replies({"203.0.113.1"})));
  EXPECT_FALSE(exchange_shows_injection(DnsPurpose::injection_check, replies({})));
}

TEST(Decisions, OnlyDisagreeingDuplicateRepliesShowInjection) {
  EXPECT_FALSE(exchange_shows_injection(DnsPurpose::duplicate_watch, replies({"203.0.113.1"})));
  EXPECT_FALSE(exchange_shows_injection(DnsPurpose::duplicate_watch, replies({"203.0.113.1", "203.0.113.1"})));
  EXPECT_TRUE(exchange_shows_injection(DnsPurpose::duplicate_watch, replies({"203.0.113.1", "10.0.0.1"})));
}

}  // namespace
}  // namespace rp
