// One DNS question over UDP from the probe's own socket, listening on after the first reply so that
// a forged answer racing the real one is caught.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "dns/dns_message.h"
#include "failures/failure.h"
#include "net/event_loop.h"

namespace rp {

struct DnsExchangeReply {
  double after = 0;  // seconds since the query was sent
  DnsMessage message;
};

struct DnsExchangeResult {
  MaybeFailure failure;  // nullopt when at least one reply arrived
  std::vector<DnsExchangeReply> replies;  // in arrival order, at most kMaxExchangeReplies
  int malformed = 0;     // datagrams that were not a reply to our question (wrong id, garbage)
};

inline constexpr std::size_t kMaxExchangeReplies = 16;

// Sends the query to server:port. Ends `linger` after the first reply, or at `timeout` without one,
// or when the socket reports an ICMP error (e.g. port unreachable: connection_refused).
// on_socket, if set, sees the connected socket right after the question was sent.
void dns_exchange(EventLoop& loop, const std::string& server, uint16_t port, const std::string& name, uint16_t type,
                  Duration timeout, Duration linger, std::function<void(DnsExchangeResult)> cb,
                  const std::function<void(int fd)>& on_socket = nullptr);

}  // namespace rp
