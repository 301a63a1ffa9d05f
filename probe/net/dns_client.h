// Asynchronous DNS queries through c-ares, driven by the EventLoop.
#pragma once

#include <ares.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "dns/dns_message.h"
#include "failures/failure.h"
#include "net/event_loop.h"

namespace rp {

struct ResolverAddress {
  std::string ip;     // empty when the system configuration could not be read
  uint16_t port = 53;
};

struct DnsQueryResult {
  MaybeFailure failure;
  std::optional<int> rcode;         // set when a reply arrived
  std::vector<DnsAnswer> answers;   // A/AAAA/CNAME of the reply, in wire order
};

class DnsClient {
 public:
  // resolver: "IP" or "IP:PORT" ("[v6]:PORT" for IPv6), or nullopt for the system's resolv.conf.
  // Throws std::invalid_argument with a one-line message when the resolver cannot be used.
  DnsClient(EventLoop& loop, const std::optional<std::string>& resolver, Duration timeout);
  ~DnsClient();
  DnsClient(const DnsClient&) = delete;
  DnsClient& operator=(const DnsClient&) = delete;

  // The server queries go to (the first one, if the system lists several).
  const ResolverAddress& resolver() const { return resolver_; }

  // Queries name for type (1 = A, 28 = AAAA); cb runs once, from the loop.
  void query(const std::string& name, uint16_t type, std::function<void(DnsQueryResult)> cb);

 private:
  static void on_socket_state(void* self, ares_socket_t fd, int readable, int writable);
  void reschedule_timeout();

  EventLoop& loop_;
  ares_channel channel_ = nullptr;
  ResolverAddress resolver_;
  std::optional<EventLoop::TimerId> timeout_timer_;
};

// Parses "IP", "IP:PORT" or "[IPv6]:PORT"; nullopt if it is not that.
std::optional<ResolverAddress> parse_resolver_address(const std::string& text);

}  // namespace rp
