// Misbehaving servers on loopback for tests: they answer the probe in the ways an adversary would.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

namespace reachprobe::hostile {

enum class Behaviour {
  endless_body,     // valid headers, then body bytes until the client gives up
  never_answers,    // accepts and reads, says nothing
  endless_headers,  // a status line, then header lines forever
  slow_trickle,     // a status line and headers, then one body byte every 50 ms
  garbage,          // random-looking bytes instead of TLS or HTTP
  redirect_loop,    // 302 to itself, forever
};

// Listens on 127.0.0.1:<ephemeral>, serves each connection with the behaviour on its own thread,
// and stops (closing everything) when destroyed. Every connection is bounded to 20 s and 64 MiB.
class HostileServer {
 public:
  explicit HostileServer(Behaviour behaviour);
  ~HostileServer();
  HostileServer(const HostileServer&) = delete;
  HostileServer& operator=(const HostileServer&) = delete;

  uint16_t port() const { return port_; }
  int connections() const { return connections_.load(); }

 private:
  void accept_loop();
  void serve(int fd);

  Behaviour behaviour_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> active_{0};
  std::thread acceptor_;
};

}  // namespace reachprobe::hostile
