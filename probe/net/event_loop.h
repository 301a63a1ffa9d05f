// The probe's single-threaded event loop: fd readiness, timers and libcurl transfers, all in one poll.
#pragma once

#include <curl/curl.h>
#include <poll.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>

namespace rp {

using Clock = std::chrono::steady_clock;
using Duration = std::chrono::milliseconds;

// One thread drives every step of a run: c-ares sockets, the probe's own TCP/TLS sockets (watch) and
// libcurl's multi handle (add_transfer) share one curl_multi_poll() call, so a run of hundreds of
// steps needs no thread per step and its wall time tracks its slowest chain.
class EventLoop {
 public:
  using FdCallback = std::function<void(short revents)>;
  using TimerCallback = std::function<void()>;
  using TransferCallback = std::function<void(CURLcode)>;
  using TimerId = uint64_t;

  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Calls cb when fd is ready for events (POLLIN/POLLOUT). Replaces any earlier watch of fd.
  void watch(int fd, short events, FdCallback cb);
  void unwatch(int fd);

  // Calls cb once, after `after` (0 means on the next turn of the loop, never re-entrantly).
  TimerId add_timer(Duration after, TimerCallback cb);
  void cancel_timer(TimerId id);

  // Runs the easy handle in the loop's multi handle; cb gets its result once, after which the
  // caller owns the handle again.
  void add_transfer(CURL* easy, TransferCallback cb);

  // Turns the loop until there is no work left or keep_going() returns false.
  void run(const std::function<bool()>& keep_going);

  bool has_work() const { return !watches_.empty() || !timers_.empty() || !transfers_.empty(); }

 private:
  struct Watch {
    short events;
    uint64_t generation;
    FdCallback cb;
  };
  void turn();
  void finish_transfers();
  void fire_due_timers();

  CURLM* multi_;
  std::unordered_map<int, Watch> watches_;
  uint64_t next_generation_ = 1;
  std::set<std::pair<Clock::time_point, TimerId>> timer_order_;
  std::map<TimerId, std::pair<Clock::time_point, TimerCallback>> timers_;
  TimerId next_timer_ = 1;
  std::unordered_map<CURL*, TransferCallback> transfers_;
};

}  // namespace rp
