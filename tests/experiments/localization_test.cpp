// What starts a path localization, and the limits on them: once per kind and address in a record, one at
// a time across the batch, at most the run's budget, never inside the volunteer's own networks.
#include <gtest/gtest.h>

#include "run_harness.h"

namespace rp::testing {
namespace {

MeasurementPlan endpoints(const std::vector<std::string>& specs) {
  MeasurementPlan plan = endpoint_plan(specs.at(0));
  for (std::size_t i = 1; i < specs.size(); ++i) {
    for (auto& t : endpoint_plan(specs[i]).targets) plan.targets.push_back(std::move(t));
  }
  return plan;
}

TEST(Localization, ASynNobodyAnswersIsLocalized) {
  RunHarness h;
  h.network.resolve("gone.example", {"198.51.100.1"});
  h.network.fail_connect("198.51.100.1", 443, Failure::generic_timeout_error);
  const auto r = h.run(endpoint_plan("gone.example:443/tcp"));
  EXPECT_EQ(h.network.calls_starting("localize "), std::vector<std::string>{"localize tcp_syn 198.51.100.1:443"});
  ASSERT_EQ(all_of<PathLocalizationObservation>(r).size(), 1u);
  EXPECT_EQ(all_of<PathLocalizationObservation>(r)[0].trigger, "TCP SYN to port 443");
}

TEST(Localization, ARefusedOrResetConnectionIsNotLocalized) {
  for (const Failure f : {Failure::connection_refused, Failure::connection_reset, Failure::host_unreachable}) {
    RunHarness h;
    h.network.resolve("gone.example", {"198.51.100.1"});
    h.network.fail_connect("198.51.100.1", 443, f);
    h.run(endpoint_plan("gone.example:443/tcp"));
    EXPECT_TRUE(h.network.localizations().empty()) << to_string(f);
  }
}

TEST(Localization, AReplyToTheInjectionCheckIsLocalizedAsDns) {
  RunHarness h;
  h.network.resolve("blocked.example", {"198.51.100.1"});
  h.network.reply_to_exchange("198.51.100.1", "blocked.example", {{"10.10.34.35"}});
  h.run(endpoint_plan("blocked.example:443/tcp"));
  EXPECT_EQ(h.network.calls_starting("localize "), std::vector<std::string>{"localize dns 198.51.100.1:53"});
  EXPECT_EQ(h.network.localizations()[0].trigger_label, "DNS A? blocked.example");
  EXPECT_EQ(h.network.localizations()[0].control_label, "DNS A? example.com");
}

TEST(Localization, DisagreeingRepliesFromTheResolverAreLocalizedAsDns) {
  RunHarness h;
  h.network.resolve("blocked.example", {"198.51.100.1"});
  h.network.reply_to_exchange("203.0.113.9", "blocked.example", {{"10.10.34.35"}, {"198.51.100.1"}});
  h.run(endpoint_plan("blocked.example:443/tcp"));
  EXPECT_EQ(h.network.calls_starting("localize "), std::vector<std::string>{"localize dns 203.0.113.9:53"});
}

TEST(Localization, AgreeingRepliesFromTheResolverAreNotLocalized) {
  RunHarness h;
  h.network.resolve("blocked.example", {"198.51.100.1"});
  h.network.reply_to_exchange("203.0.113.9", "blocked.example", {{"198.51.100.1"}, {"198.51.100.1"}});
  h.run(endpoint_plan("blocked.example:443/tcp"));
  EXPECT_TRUE(h.network.localizations().empty());
}

TEST(Localization, NothingInsideThePrivateNetworksIsLocalized) {
  RunHarness h;
  h.network.fail_connect("10.0.0.5", 443, Failure::generic_timeout_error);
  h.run(endpoint_plan("10.0.0.5:443/tcp"));
  EXPECT_TRUE(h.network.localizations().empty());
  EXPECT_EQ(h.shared.localizations_left, 16);
}

TEST(Localization, NothingIsLocalizedWhenItIsTurnedOff) {
  RunHarness h;
  h.settings.localize = false;
  h.network.resolve("gone.example", {"198.51.100.1"});
  h.network.fail_connect("198.51.100.1", 443, Failure::generic_timeout_error);
  h.run(endpoint_plan("gone.example:443/tcp"));
  EXPECT_TRUE(h.network.localizations().empty());
}

TEST(Localization, OneKindAndAddressIsLocalizedOncePerRecord) {
  RunHarness h;
  h.network.resolve("a.example", {"198.51.100.1"});
  h.network.resolve("b.example", {"198.51.100.1"});
  h.network.fail_connect("198.51.100.1", 443, Failure::generic_timeout_error);
  h.run(endpoints({"a.example:443/tcp", "b.example:443/tcp"}));
  EXPECT_EQ(h.network.localizations().size(), 1u);
  EXPECT_EQ(h.shared.localizations_left, 15);
}

TEST(Localization, TheRunsBudgetIsNeverExceeded) {
  RunHarness h;
  h.shared.localizations_left = 2;
  std::vector<std::string> specs;
  for (const std::string ip : {"198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4"}) {
    h.network.fail_connect(ip, 443, Failure::generic_timeout_error);
    specs.push_back(ip + ":443/tcp");
  }
  const auto r = h.run(endpoints(specs));
  EXPECT_EQ(h.network.localizations().size(), 2u);
  EXPECT_EQ(all_of<PathLocalizationObservation>(r).size(), 2u);
  EXPECT_EQ(h.shared.localizations_left, 0);
}

TEST(Localization, TheBudgetIsSharedByEveryRecordOfTheBatch) {
  RunHarness h;
  h.shared.localizations_left = 1;
  h.network.fail_connect("198.51.100.1", 443, Failure::generic_timeout_error);
  h.network.fail_connect("198.51.100.2", 443, Failure::generic_timeout_error);
  h.run(endpoint_plan("198.51.100.1:443/tcp"));
  h.run(endpoint_plan("198.51.100.2:443/tcp"));
  EXPECT_EQ(h.network.calls_starting("localize "), std::vector<std::string>{"localize tcp_syn 198.51.100.1:443"});
}

TEST(Localization, RunsOneAtATimeAndEveryOneIsRecorded) {
  RunHarness h;
  h.network.take_for_localization(Duration{20});
  std::vector<std::string> specs;
  for (const std::string ip : {"198.51.100.1", "198.51.100.2", "198.51.100.3"}) {
    h.network.fail_connect(ip, 443, Failure::generic_timeout_error);
    specs.push_back(ip + ":443/tcp");
  }
  const auto r = h.run(endpoints(specs));
  EXPECT_EQ(h.network.most_localizations_at_once(), 1);
  EXPECT_EQ(all_of<PathLocalizationObservation>(r).size(), 3u);
}

}  // namespace
}  // namespace rp::testing
