// The run loop: a window of at most `parallel` records in progress, refilled as records complete.
#include "experiments/batch_runner.h"

#include <memory>

#include "experiments/real_network.h"

namespace rp {
namespace {

std::size_t active_count(const std::vector<std::shared_ptr<MeasurementRun>>& active) {
  std::size_t n = 0;
  for (const auto& run : active) n += run->finished() ? 0 : 1;
  return n;
}

}  // namespace

bool run_batch(const std::vector<MeasurementPlan>& plans, const BatchOptions& options, const std::atomic<bool>& stop,
               const std::function<void(const MeasurementResult&)>& on_record,
               const std::function<void(const BatchProgress&)>& on_progress, ResolverAddress* resolver_used) {
  // Declaration order matters: the DNS client is destroyed first, and its cancelled queries still
  // release their limiter slots and may add loop timers.
  EventLoop loop;
  StepLimiter limiter(loop, options.parallel);
  BatchShared shared(loop);
  DnsClient dns(loop, options.resolver, options.settings.timeout);
  RealNetwork network(loop, dns);
  if (resolver_used != nullptr) *resolver_used = dns.resolver();

  std::vector<std::shared_ptr<MeasurementRun>> active;
  std::size_t next = 0;
  BatchProgress progress{0, plans.size(), nullptr};

  std::function<void()> refill;
  auto on_done = [&](MeasurementResult r) {
    ++progress.done;
    progress.last = &r;
    on_record(r);
    on_progress(progress);
    progress.last = nullptr;
    // Start the next record from the loop, not from inside a completing run's callback.
    loop.add_timer(Duration{0}, [&] { refill(); });
  };
  refill = [&] {
    std::erase_if(active, [](const auto& run) { return run->finished(); });
    // More records than step slots: a record also waits on things that hold no socket (capture grace,
    // a localization queued behind another), and records are cheap; sockets are what --parallel bounds.
    while (!stop && next < plans.size() && active.size() < 4 * options.parallel) {
      auto run = std::make_shared<MeasurementRun>(loop, network, limiter, shared, options.settings, plans[next++],
                                                  on_done);
      active.push_back(run);
      run->start();
    }
  };
  if (options.settings.capture != nullptr) options.settings.capture->attach(loop);
  refill();
  loop.run([&] { return !stop.load() && !(next == plans.size() && active_count(active) == 0); });

  for (auto& run : active) run->abandon();  // hands on what the interrupted records measured
  if (options.settings.capture != nullptr) options.settings.capture->detach();
  return next == plans.size() && !stop;
}

}  // namespace rp
