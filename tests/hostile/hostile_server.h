// Misbehaving servers on loopback for tests: they answer the probe in the ways an adversary would.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace reachprobe::hostile {

enum class Behaviour {
  endless_body,       // valid headers, then body bytes until the client gives up
  never_answers,      // accepts and reads, says nothing
  endless_headers,    // a status line, then header lines forever
  slow_trickle,       // a status line and headers, then one body byte every 50 ms
  garbage,            // random-looking bytes instead of TLS or HTTP
  redirect_loop,      // 302 to itself, forever
  gzip_bomb,          // Content-Encoding: gzip; a title, then zeros: ~1 KiB on the wire per MiB decoded, up to 4 GiB
  double_gzip_bomb,   // Content-Encoding: gzip, gzip; the same page compressed twice (far more decoded per byte)
  long_coding_chain,  // Content-Encoding: gzip applied four times over
  zstd_window_bomb,   // Content-Encoding: zstd (never offered) whose frame claims a 128 MiB window, then zeros
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
  std::string last_request() const;  // the first bytes (up to 4 KiB) of the latest client that sent any

 private:
  void accept_loop();
  void serve(int fd);

  Behaviour behaviour_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> active_{0};
  mutable std::mutex request_mutex_;
  std::string last_request_;
  std::thread acceptor_;
};

}  // namespace reachprobe::hostile
