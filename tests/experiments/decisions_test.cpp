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

TEST(Decisions, PlansRedirectsInOrderTooManyThenForbiddenThenDirectThenResolve) {
  const IsPrivate is_private = [](const std::string& ip) { return ip.rfind("10.", 0) == 0; };
  EXPECT_EQ(plan_redirect("a.example", "10.0.0.1", 11, 10, false, is_private), RedirectPlan::too_many);
  EXPECT_EQ(plan_redirect("a.example", "10.0.0.1", 1, 10, false, is_private), RedirectPlan::forbidden);
  EXPECT_EQ(plan_redirect("a.example", "10.0.0.1", 1, 10, true, is_private), RedirectPlan::fetch_directly);
  EXPECT_EQ(plan_redirect("a.example", "a.example", 1, 10, false, is_private), RedirectPlan::fetch_directly);
  EXPECT_EQ(plan_redirect("a.example", "b.example", 1, 10, false, is_private), RedirectPlan::resolve_first);
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
