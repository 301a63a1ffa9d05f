// The step bookkeeping every stage of an experiment relies on: slots, late completions, ending once.
#include <gtest/gtest.h>

#include <optional>

#include "experiments/step.h"

namespace rp {
namespace {

struct CountingHost : StepHost {
  bool finished() const override { return done; }
  void begin_step() override { ++pending; }
  void end_step() override { --pending; }
  bool done = false;
  int pending = 0;
};

struct StepTest : ::testing::Test {
  void turn() {
    loop.run([] { return true; });
  }
  EventLoop loop;
  StepLimiter limiter{loop, 1};
  std::shared_ptr<CountingHost> host = std::make_shared<CountingHost>();
};

TEST_F(StepTest, AStepIsUnderWayFromTheMomentItAsksForASlot) {
  Step::in_slot(host, limiter, [](const Step&) {});
  Step::in_slot(host, limiter, [](const Step&) {});
  EXPECT_EQ(host->pending, 2);
  EXPECT_EQ(limiter.waiting(), 1u);
}

TEST_F(StepTest, EndingTwiceEndsOnceAndFreesTheSlotOnce) {
  Step::in_slot(host, limiter, [](const Step& step) {
    step.end();
    step.end();
  });
  EXPECT_EQ(host->pending, 0);
  EXPECT_EQ(limiter.in_flight(), 0u);
}

TEST_F(StepTest, LastHandsOnTheResultThenEndsTheStep) {
  int seen = 0;
  std::function<void(int)> completion;
  Step::in_slot(host, limiter, [&](const Step& step) { completion = step.last([&](int r) { seen = r; }); });
  completion(7);
  EXPECT_EQ(seen, 7);
  EXPECT_EQ(host->pending, 0);
  EXPECT_EQ(limiter.in_flight(), 0u);
}

TEST_F(StepTest, LastDropsAResultThatArrivesAfterTheHostFinished) {
  bool called = false;
  std::function<void(int)> completion;
  Step::in_slot(host, limiter, [&](const Step& step) { completion = step.last([&](int) { called = true; }); });
  host->done = true;
  completion(7);
  EXPECT_FALSE(called);
  EXPECT_EQ(host->pending, 0);
}

TEST_F(StepTest, ThenLetsTheStepGoOnOrFreesWhatADroppedResultHolds) {
  std::function<void(int)> completion;
  int freed = 0;
  Step::in_slot(host, limiter, [&](const Step& step) {
    completion = step.then([](int) { FAIL() << "the host had finished"; }, [&](int fd) { freed = fd; });
  });
  host->done = true;
  completion(42);
  EXPECT_EQ(freed, 42);
  EXPECT_EQ(host->pending, 0);
  EXPECT_EQ(limiter.in_flight(), 0u);
}

TEST_F(StepTest, AStepThatWaitedForASlotIsSkippedIfTheHostFinishedMeanwhile) {
  std::optional<Step> first;
  Step::in_slot(host, limiter, [&](const Step& step) { first = step; });
  bool ran = false;
  Step::in_slot(host, limiter, [&](const Step&) { ran = true; });
  host->done = true;
  first->end();
  turn();
  EXPECT_FALSE(ran);
  EXPECT_EQ(host->pending, 0);
  EXPECT_EQ(limiter.in_flight(), 0u);
}

}  // namespace
}  // namespace rp
