// Bounds how many network steps (sockets, queries, transfers) are in flight at once (--parallel).
#pragma once

#include <cstddef>
#include <deque>
#include <functional>

#include "net/event_loop.h"

namespace rp {

class StepLimiter {
 public:
  // A started step calls its Release exactly once, when it no longer holds its socket.
  using Release = std::function<void()>;

  StepLimiter(EventLoop& loop, std::size_t max_in_flight);

  // Runs start(release) now if a slot is free, otherwise when one frees up (first come, first served).
  void run(std::function<void(Release)> start);

  std::size_t in_flight() const { return in_flight_; }
  std::size_t waiting() const { return queue_.size(); }

 private:
  void launch(std::function<void(Release)> start);
  void release_one();

  EventLoop& loop_;
  std::size_t max_;
  std::size_t in_flight_ = 0;
  std::deque<std::function<void(Release)>> queue_;
};

}  // namespace rp
