// One MeasurementRun over a FakeNetwork on a real event loop: build a plan, run it to the end (or interrupt
// it), and read back the observations of one shape.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "experiments/reachability/measurement_run.h"
#include "fake_network.h"

namespace rp::testing {

MeasurementPlan url_plan(const std::string& url);
MeasurementPlan endpoint_plan(const std::string& endpoint);

class RunHarness {
 public:
  RunHarness();

  // Starts the run and turns the loop until it completes (at most 2 s: the fake never waits on anything).
  MeasurementResult run(const MeasurementPlan& plan);
  // Starts the run and turns the loop until nothing is left to do but what the fake holds.
  std::shared_ptr<MeasurementRun> start(const MeasurementPlan& plan);
  void turn_until_idle();

  EventLoop loop;
  FakeNetwork network{loop};
  StepLimiter limiter{loop, 64};
  BatchShared shared{loop};
  RunSettings settings;
  std::vector<MeasurementResult> results;  // every time a run called done
};

template <typename Obs>
std::vector<Obs> all_of(const MeasurementResult& r) {
  std::vector<Obs> out;
  for (const auto& o : r.observations) {
    if (const auto* x = std::get_if<Obs>(&o)) out.push_back(*x);
  }
  return out;
}

}  // namespace rp::testing
