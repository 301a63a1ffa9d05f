// How hop-by-hop reactions become "interference starts at TTL k" (the pure half of localization).
#include <gtest/gtest.h>

#include "experiments/localize/path_localization.h"

namespace rp {
namespace {

using O = HopOutcome;

LocalizationResult hops(std::vector<std::pair<O, std::optional<O>>> reactions) {
  LocalizationResult r;
  int ttl = 0;
  for (const auto& [trigger, control] : reactions) {
    HopRecord h;
    h.ttl = ++ttl;
    h.trigger.outcome = trigger;
    if (control) h.control = TtlProbeResult{*control, std::nullopt, 0};
    r.hops.push_back(h);
  }
  return r;
}

TEST(PathLocalization, AResetWhereTheControlStillExpiresLocatesTheCensor) {
  auto r = hops({{O::ttl_expired, O::ttl_expired}, {O::reset, O::ttl_expired}, {O::reset, O::answered}});
  analyse_hops(LocalizationKind::tls_sni, r);
  EXPECT_EQ(r.interference_ttl, 2);
  EXPECT_EQ(r.destination_ttl, 3);
}

TEST(PathLocalization, SilenceWhereTheControlMeetsARouterCountsAsInterference) {
  // A device that drops, or that copies the probe's TTL into a reply that then dies on the way back.
  auto r = hops({{O::ttl_expired, O::ttl_expired}, {O::silent, O::ttl_expired}, {O::silent, O::answered}});
  analyse_hops(LocalizationKind::tls_sni, r);
  EXPECT_EQ(r.interference_ttl, 2);
}

TEST(PathLocalization, IdenticalReactionsFindNothing) {
  auto r = hops({{O::ttl_expired, O::ttl_expired}, {O::answered, O::answered}, {O::answered, O::answered}});
  analyse_hops(LocalizationKind::tls_sni, r);
  EXPECT_FALSE(r.interference_ttl);
  EXPECT_EQ(r.destination_ttl, 2);
}

TEST(PathLocalization, DifferencesPastTheDestinationAreIgnored) {
  auto r = hops({{O::answered, O::answered}, {O::reset, O::answered}});
  analyse_hops(LocalizationKind::tls_sni, r);
  EXPECT_FALSE(r.interference_ttl);
}

TEST(PathLocalization, AnInjectedDnsAnswerIsAnsweredWhereTheControlExpires) {
  auto r = hops({{O::answered, O::ttl_expired}, {O::answered, O::ttl_expired}, {O::answered, O::silent}});
  analyse_hops(LocalizationKind::dns, r);
  EXPECT_EQ(r.interference_ttl, 1);
  EXPECT_FALSE(r.destination_ttl);
}

TEST(PathLocalization, SynsThatVanishAfterTheLastRouterAreDroppedAtTheNextHop) {
  auto r = hops({{O::ttl_expired, {}}, {O::ttl_expired, {}}, {O::silent, {}}, {O::silent, {}}});
  analyse_hops(LocalizationKind::tcp_syn, r);
  EXPECT_EQ(r.interference_ttl, 3);
}

TEST(PathLocalization, SynsAnsweredAtSomeTtlMeanThePathIsOpen) {
  auto r = hops({{O::ttl_expired, {}}, {O::answered, {}}, {O::answered, {}}});
  analyse_hops(LocalizationKind::tcp_syn, r);
  EXPECT_FALSE(r.interference_ttl);
  EXPECT_EQ(r.destination_ttl, 2);
}

TEST(PathLocalization, ARouterAnsweringAfterASilentHopIsNotADrop) {
  // ICMP rate limiting at hop 2 must not be read as a drop when hop 3 answers again.
  auto r = hops({{O::ttl_expired, {}}, {O::silent, {}}, {O::ttl_expired, {}}, {O::silent, {}}});
  analyse_hops(LocalizationKind::tcp_syn, r);
  EXPECT_EQ(r.interference_ttl, 4);
}

TEST(PathLocalization, SynsDroppedAtTheTargetsOwnHopSayWhereTheTargetIs) {
  // The companion UDP probe reaches the target at TTL 3 (its port-unreachable comes back), while SYNs
  // vanish from TTL 3 on: they are dropped at the target's edge, not on the way.
  auto r = hops({{O::ttl_expired, {}}, {O::ttl_expired, {}}, {O::silent, {}}, {O::silent, {}}});
  r.hops[2].reached_target = true;
  r.hops[3].reached_target = true;
  analyse_hops(LocalizationKind::tcp_syn, r);
  EXPECT_EQ(r.interference_ttl, 3);
  EXPECT_EQ(r.destination_ttl, 3);
}

TEST(PathLocalization, SynsDroppedOnTheWayLeaveTheTargetUnknownOrFurther) {
  auto r = hops({{O::ttl_expired, {}}, {O::silent, {}}, {O::silent, {}}, {O::silent, {}}});
  r.hops[3].reached_target = true;  // UDP still gets through to hop 4
  analyse_hops(LocalizationKind::tcp_syn, r);
  EXPECT_EQ(r.interference_ttl, 2);
  EXPECT_EQ(r.destination_ttl, 4);
}

}  // namespace
}  // namespace rp
