// A record cut short (Ctrl-C, the run's deadline): abandon() hands on what was measured, marked
// interrupted, exactly once; steps that complete afterwards change nothing.
#include <gtest/gtest.h>

#include "run_harness.h"

namespace rp::testing {
namespace {

// Lets the first DNS steps complete, then holds the run at its TCP connect (and its injection check).
std::shared_ptr<MeasurementRun> start_and_hold_at_connect(RunHarness& h) {
  h.network.resolve("slow.example", {"198.51.100.1"});
  h.network.hold();
  auto run = h.start(endpoint_plan("slow.example:443/tls"));
  h.network.release_held();  // the DNS queries and exchanges
  h.turn_until_idle();
  EXPECT_EQ(h.network.calls_starting("tcp ").size(), 1u);
  EXPECT_TRUE(h.results.empty());
  return run;
}

TEST(InterruptedRun, AbandonEmitsWhatWasMeasuredMarkedInterrupted) {
  RunHarness h;
  auto run = start_and_hold_at_connect(h);
  run->abandon();
  ASSERT_EQ(h.results.size(), 1u);
  const auto& r = h.results[0];
  EXPECT_TRUE(r.interrupted);
  EXPECT_TRUE(run->finished());
  EXPECT_EQ(all_of<DnsQueryObservation>(r).size(), 2u);
  EXPECT_EQ(all_of<DnsExchangeObservation>(r).size(), 1u);  // the duplicate watch; the injection check is held
  EXPECT_TRUE(all_of<TcpConnectObservation>(r).empty());
}

TEST(InterruptedRun, ObservationsAreInIdOrder) {
  RunHarness h;
  auto run = start_and_hold_at_connect(h);
  run->abandon();
  int last = -1;
  for (const auto& o : h.results[0].observations) {
    EXPECT_GT(base_of(o).id, last);
    last = base_of(o).id;
  }
}

TEST(InterruptedRun, LaterCompletionsAreIgnoredAndTheirSocketsClosed) {
  RunHarness h;
  auto run = start_and_hold_at_connect(h);
  run->abandon();
  h.network.stop_holding();
  h.turn_until_idle();
  ASSERT_EQ(h.results.size(), 1u);
  EXPECT_TRUE(h.network.calls_starting("tls ").empty());
  EXPECT_EQ(h.network.open_sockets(), 0u);
  EXPECT_EQ(h.limiter.in_flight(), 0u);
}

TEST(InterruptedRun, StepsWaitingForASlotNeverStart) {
  RunHarness h;
  StepLimiter one_slot(h.loop, 1);
  h.network.resolve("slow.example", {"198.51.100.1"});
  h.network.hold();
  auto run = std::make_shared<MeasurementRun>(h.loop, h.network, one_slot, h.shared, h.settings,
                                              endpoint_plan("slow.example:443/tcp"),
                                              [&](MeasurementResult r) { h.results.push_back(std::move(r)); });
  run->start();
  EXPECT_EQ(one_slot.waiting(), 2u);  // AAAA and the duplicate watch wait behind A
  run->abandon();
  h.network.stop_holding();
  h.turn_until_idle();
  EXPECT_EQ(h.network.calls().size(), 1u);
  EXPECT_EQ(one_slot.in_flight(), 0u);
  EXPECT_EQ(h.results.size(), 1u);
}

TEST(InterruptedRun, AbandoningACompleteRunDoesNothing) {
  RunHarness h;
  h.network.resolve("fast.example", {"198.51.100.1"});
  auto run = h.start(endpoint_plan("fast.example:443/tcp"));
  h.turn_until_idle();
  ASSERT_EQ(h.results.size(), 1u);
  run->abandon();
  EXPECT_EQ(h.results.size(), 1u);
  EXPECT_FALSE(h.results[0].interrupted);
}

}  // namespace
}  // namespace rp::testing
