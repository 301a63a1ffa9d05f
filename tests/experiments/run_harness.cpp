// Runs are driven by the real EventLoop, so callbacks arrive as they would in the probe: from the loop.
#include "run_harness.h"

#include <stdexcept>

namespace rp::testing {
namespace {

constexpr auto kMostOneRunTakes = std::chrono::seconds(2);

std::shared_ptr<TrustStore> system_trust() {
  static const auto trust = TrustStore::system("");
  return trust;
}

}  // namespace

MeasurementPlan url_plan(const std::string& url) {
  std::string error;
  const auto parts = parse_url(url, error);
  if (!parts) throw std::invalid_argument(error);
  return plan_url(*parts);
}

MeasurementPlan endpoint_plan(const std::string& endpoint) {
  std::string error;
  const auto parts = parse_endpoint(endpoint, error);
  if (!parts) throw std::invalid_argument(error);
  return plan_endpoint(*parts);
}

RunHarness::RunHarness() {
  settings.system_trust = system_trust();
  settings.timeout = Duration{1000};
}

std::shared_ptr<MeasurementRun> RunHarness::start(const MeasurementPlan& plan) {
  auto run = std::make_shared<MeasurementRun>(loop, network, limiter, shared, settings, plan,
                                              [this](MeasurementResult r) { results.push_back(std::move(r)); });
  run->start();
  return run;
}

void RunHarness::turn_until_idle() {
  const auto deadline = Clock::now() + kMostOneRunTakes;
  loop.run([&] { return Clock::now() < deadline; });
}

MeasurementResult RunHarness::run(const MeasurementPlan& plan) {
  const std::size_t before = results.size();
  start(plan);
  const auto deadline = Clock::now() + kMostOneRunTakes;
  loop.run([&] { return results.size() == before && Clock::now() < deadline; });
  if (results.size() == before) throw std::runtime_error("the run did not complete");
  return results.back();
}

}  // namespace rp::testing
