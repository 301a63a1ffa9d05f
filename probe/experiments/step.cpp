// A step begins on the host before it waits for a slot, so the host cannot complete while steps are queued.
#include "experiments/step.h"

namespace rp {

Step::Step(std::shared_ptr<StepHost> host, StepLimiter::Release release)
    : state_(std::make_shared<State>(State{std::move(host), std::move(release), false})) {}

void Step::in_slot(std::shared_ptr<StepHost> host, StepLimiter& limiter, std::function<void(Step)> body) {
  host->begin_step();
  limiter.run([host = std::move(host), body = std::move(body)](StepLimiter::Release release) {
    const Step step(host, std::move(release));
    if (step.dropped()) return step.end();
    body(step);
  });
}

Step Step::without_slot(std::shared_ptr<StepHost> host) {
  host->begin_step();
  return Step(std::move(host), nullptr);
}

void Step::release() const {
  if (state_->release) state_->release();  // the limiter's Release is itself safe to call twice
}

void Step::end() const {
  if (state_->ended) return;
  state_->ended = true;
  release();
  state_->host->end_step();
}

}  // namespace rp
