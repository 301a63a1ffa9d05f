// A misbehaving DNS server on loopback for tests: it answers every question the way an adversary would.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace reachprobe::hostile {

enum class DnsBehaviour {
  wrong_id,              // three otherwise valid replies per question, none with the question's id
  truncated,             // a reply cut off in the middle of its answer record, TC not set
  oversized,             // 400 valid records (> 4096 bytes) in one UDP datagram to a query without EDNS;
                         // the same message over TCP
  compression_loop,      // two replies per question: the answer's name a pointer to itself, then two
                         // answers whose names point at each other
  ten_thousand_records,  // ANCOUNT = 10000 and as many real records as fit: 512 bytes with TC over UDP,
                         // a 65,535-byte message over TCP
};

// The addresses the records carry: loopback, so a probe that connects to them never leaves the machine.
inline constexpr const char* kHostileDnsV4Prefix = "127.0.";  // 127.0.x.y
inline constexpr const char* kHostileDnsV6 = "::1";

// Listens on 127.0.0.1:<ephemeral> over UDP and TCP (same port), one serving thread. Bounded: at most
// 16 TCP connections at a time, each closed after 10 s, and 64 MiB sent in all; stops when destroyed.
class HostileDnsServer {
 public:
  explicit HostileDnsServer(DnsBehaviour behaviour);
  ~HostileDnsServer();
  HostileDnsServer(const HostileDnsServer&) = delete;
  HostileDnsServer& operator=(const HostileDnsServer&) = delete;

  uint16_t port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  int udp_queries() const { return udp_queries_.load(); }
  int tcp_queries() const { return tcp_queries_.load(); }

  // The replies the behaviour gives to one query (raw DNS messages, no TCP length prefix). Public so
  // the tests can state sizes; empty when the query is not a parseable question.
  static std::vector<std::string> replies(DnsBehaviour behaviour, const std::string& query, bool over_tcp);

 private:
  void serve_loop();

  DnsBehaviour behaviour_;
  int udp_fd_ = -1;
  int tcp_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> udp_queries_{0};
  std::atomic<int> tcp_queries_{0};
  std::thread thread_;
};

}  // namespace reachprobe::hostile
