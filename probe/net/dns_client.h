// Asynchronous DNS queries through c-ares, driven by the EventLoop.
#pragma once

#include <ares.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "dns/dns_message.h"
#include "failures/failure.h"
#include "net/event_loop.h"

namespace rp {

struct ResolverAddress {
  std::string ip;  // empty when the system configuration could not be read
  uint16_t port = 53;
};

struct DnsQueryResult {
  MaybeFailure failure;
  std::optional<int> rcode;        // set when a reply arrived
  std::vector<DnsAnswer> answers;  // A/AAAA/CNAME of the reply, in wire order
};

// c-ares drops without a word every UDP datagram that is not a reply to a pending question (wrong id,
// another question, garbage shorter than a header), and then reports a plain timeout. The client sees
// each datagram c-ares reads (ares_set_socket_functions) and counts such strays per pending question,
// so a query that timed out while its resolver sent only strays is recorded as dns_server_misbehaving.
// (Replies with the right id and question reach on_reply whatever their content, and our own parser
// decides there.)
using DnsQuestionKey = std::pair<std::string, uint16_t>;  // lower-case name without trailing dot, type

// For one datagram from the resolver, given the questions sent so far (by id): nullopt when it is a
// reply c-ares will take (a response, a known id, the question that id asked); otherwise the question it
// concerns, read from the datagram or from its id, or an empty name when it names none (garbage).
std::optional<DnsQuestionKey> stray_datagram(std::span<const uint8_t> bytes,
                                             const std::map<uint16_t, DnsQuestionKey>& sent);

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
  struct Pending;
  struct Hooks;  // the c-ares callbacks
  friend struct Hooks;

  static void on_socket_state(void* self, ares_socket_t fd, int readable, int writable);
  void reschedule_timeout();
  void install_socket_functions();
  void saw_sent(std::span<const uint8_t> query);
  void saw_received(std::span<const uint8_t> datagram);

  EventLoop& loop_;
  std::set<int> udp_fds_;                    // c-ares' UDP sockets: only their datagrams are inspected
  std::map<uint16_t, DnsQuestionKey> sent_;  // questions sent over UDP, by id (bounded)
  std::set<Pending*> pending_;
  ares_channel channel_ = nullptr;
  ResolverAddress resolver_;
  std::optional<EventLoop::TimerId> timeout_timer_;
};

// Parses "IP", "IP:PORT" or "[IPv6]:PORT"; nullopt if it is not that.
std::optional<ResolverAddress> parse_resolver_address(const std::string& text);

}  // namespace rp
