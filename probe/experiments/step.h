// The bookkeeping every step of an experiment shares, kept out of the experiment's stages: a step keeps its
// run alive, holds a limiter slot while it owns a socket, is dropped quietly once the run has finished
// (abandoned), and ends exactly once, so that each stage reads as one plain member function.
#pragma once

#include <functional>
#include <memory>
#include <utility>

#include "experiments/step_limiter.h"

namespace rp {

// What a step needs from the experiment it belongs to.
class StepHost {
 public:
  virtual ~StepHost() = default;
  // Once true, nothing more may be recorded: completions that arrive later are dropped.
  virtual bool finished() const = 0;
  // The experiment completes when the last step under way ends.
  virtual void begin_step() = 0;
  virtual void end_step() = 0;
};

// A handle on one step; copies share it. Callbacks that hold a Step may use their host's `this`: the step
// keeps the host alive until every copy is gone.
class Step {
 public:
  // Starts a step in a slot of `limiter` (now, or when one frees up). body does not run, and the step just
  // ends, if the host finished while the step waited.
  static void in_slot(std::shared_ptr<StepHost> host, StepLimiter& limiter, std::function<void(Step)> body);
  // Starts a step that holds no slot (a timer, a wait for packets).
  static Step without_slot(std::shared_ptr<StepHost> host);

  bool dropped() const { return state_->host->finished(); }
  // Frees the limiter slot (the step no longer holds a socket); later calls do nothing.
  void release() const;
  // Releases, then tells the host the step is over; later calls do nothing.
  void end() const;

  // The completion of the step's last operation: frees the slot, hands the result to on_result unless the
  // host finished meanwhile, and ends the step.
  template <typename F>
  auto last(F on_result) const {
    return [step = *this, on_result = std::move(on_result)](auto result) mutable {
      step.release();
      if (!step.dropped()) on_result(std::move(result));
      step.end();
    };
  }

  // The completion of an operation the step goes on after: on_result takes the step over (and ends it in
  // time). If the host finished meanwhile, on_dropped frees what the result holds and the step ends.
  template <typename F, typename D>
  auto then(F on_result, D on_dropped) const {
    return [step = *this, on_result = std::move(on_result), on_dropped = std::move(on_dropped)](auto result) mutable {
      if (step.dropped()) {
        on_dropped(result);
        return step.end();
      }
      on_result(std::move(result));
    };
  }

 private:
  struct State {
    std::shared_ptr<StepHost> host;
    StepLimiter::Release release;  // empty for a step without a slot
    bool ended = false;
  };
  Step(std::shared_ptr<StepHost> host, StepLimiter::Release release);

  std::shared_ptr<State> state_;
};

}  // namespace rp
