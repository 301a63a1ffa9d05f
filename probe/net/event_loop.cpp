// Event loop over curl_multi_poll(): curl waits on its own sockets plus ours, so one call serves all.
#include "net/event_loop.h"

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace rp {

namespace {
// The loop never sleeps longer than this, so an interrupt flag is noticed promptly.
constexpr Duration kMaxSleep{200};
}  // namespace

EventLoop::EventLoop() : multi_(curl_multi_init()) {
  if (multi_ == nullptr) throw std::runtime_error("curl_multi_init failed");
}

EventLoop::~EventLoop() {
  for (auto& [easy, cb] : transfers_) curl_multi_remove_handle(multi_, easy);
  curl_multi_cleanup(multi_);
}

void EventLoop::watch(int fd, short events, FdCallback cb) {
  watches_[fd] = Watch{events, next_generation_++, std::move(cb)};
}

void EventLoop::unwatch(int fd) { watches_.erase(fd); }

EventLoop::TimerId EventLoop::add_timer(Duration after, TimerCallback cb) {
  const TimerId id = next_timer_++;
  const auto when = Clock::now() + after;
  timers_.emplace(id, std::make_pair(when, std::move(cb)));
  timer_order_.emplace(when, id);
  return id;
}

void EventLoop::cancel_timer(TimerId id) {
  auto it = timers_.find(id);
  if (it == timers_.end()) return;
  timer_order_.erase({it->second.first, id});
  timers_.erase(it);
}

void EventLoop::add_transfer(CURL* easy, TransferCallback cb) {
  transfers_.emplace(easy, std::move(cb));
  curl_multi_add_handle(multi_, easy);
}

void EventLoop::run(const std::function<bool()>& keep_going) {
  while (has_work() && keep_going()) turn();
}

void EventLoop::turn() {
  struct Ready {
    int fd;
    uint64_t generation;
  };
  std::vector<curl_waitfd> fds;
  std::vector<Ready> owners;
  fds.reserve(watches_.size());
  owners.reserve(watches_.size());
  for (const auto& [fd, w] : watches_) {
    fds.push_back(curl_waitfd{fd, w.events, 0});
    owners.push_back({fd, w.generation});
  }

  Duration sleep = kMaxSleep;
  if (!timer_order_.empty()) {
    const auto until = timer_order_.begin()->first - Clock::now();
    sleep = std::clamp(std::chrono::duration_cast<Duration>(until), Duration{0}, kMaxSleep);
  }
  curl_multi_poll(multi_, fds.data(), static_cast<unsigned>(fds.size()), static_cast<int>(sleep.count()), nullptr);

  int running = 0;
  curl_multi_perform(multi_, &running);
  finish_transfers();

  for (std::size_t i = 0; i < fds.size(); ++i) {
    if (fds[i].revents == 0) continue;
    auto it = watches_.find(owners[i].fd);
    // A callback earlier in this turn may have dropped or replaced this watch: then skip it.
    if (it == watches_.end() || it->second.generation != owners[i].generation) continue;
    FdCallback cb = it->second.cb;  // copy: the callback may unwatch itself
    cb(fds[i].revents);
  }
  fire_due_timers();
}

void EventLoop::finish_transfers() {
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    CURL* easy = msg->easy_handle;
    const CURLcode code = msg->data.result;
    curl_multi_remove_handle(multi_, easy);
    auto it = transfers_.find(easy);
    if (it == transfers_.end()) continue;
    TransferCallback cb = std::move(it->second);
    transfers_.erase(it);
    cb(code);
  }
}

void EventLoop::fire_due_timers() {
  const auto now = Clock::now();
  // Bounded by the timers due now; timers added by callbacks wait for the next turn.
  std::vector<TimerId> due;
  for (const auto& [when, id] : timer_order_) {
    if (when > now) break;
    due.push_back(id);
  }
  for (TimerId id : due) {
    auto it = timers_.find(id);
    if (it == timers_.end()) continue;  // cancelled by an earlier callback
    TimerCallback cb = std::move(it->second.second);
    timer_order_.erase({it->second.first, id});
    timers_.erase(it);
    cb();
  }
}

}  // namespace rp
