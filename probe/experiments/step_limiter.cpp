// FIFO slot pool. Queued steps start from a loop timer, not from inside release(), so a long queue can
// never recurse through callbacks.
#include "experiments/step_limiter.h"

#include <algorithm>
#include <memory>

namespace rp {

StepLimiter::StepLimiter(EventLoop& loop, std::size_t max_in_flight)
    : loop_(loop), max_(std::max<std::size_t>(1, max_in_flight)) {}

void StepLimiter::run(std::function<void(Release)> start) {
  if (in_flight_ < max_) {
    launch(std::move(start));
  } else {
    queue_.push_back(std::move(start));
  }
}

void StepLimiter::launch(std::function<void(Release)> start) {
  ++in_flight_;
  auto released = std::make_shared<bool>(false);
  start([this, released] {
    if (*released) return;  // a second call would free a slot twice
    *released = true;
    release_one();
  });
}

void StepLimiter::release_one() {
  --in_flight_;
  if (queue_.empty()) return;
  auto next = std::move(queue_.front());
  queue_.pop_front();
  ++in_flight_;  // reserve the slot now so run() cannot take it before the timer fires
  loop_.add_timer(Duration{0}, [this, next = std::move(next)]() mutable {
    --in_flight_;
    launch(std::move(next));
  });
}

}  // namespace rp
