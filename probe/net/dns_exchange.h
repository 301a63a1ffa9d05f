// One DNS question over UDP from the probe's own socket, listening on after the first reply so that
// a forged answer racing the real one is caught.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
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
  // nullopt when at least one reply arrived. dns_server_misbehaving when the time ran out and datagrams
  // did come from the server, but none was a reply to the question (all counted in `malformed`): the
  // server, or someone speaking for it, answered wrongly rather than not at all.
  MaybeFailure failure;
  std::vector<DnsExchangeReply> replies;  // in arrival order, at most kMaxExchangeReplies
  // Datagrams that were not a reply to our question: unparseable, not a response, the wrong id, another
  // question, or longer than kMaxUdpReplyBytes.
  int malformed = 0;
};

inline constexpr std::size_t kMaxExchangeReplies = 16;

// The query carries no EDNS, so a UDP reply may hold at most 512 bytes (RFC 1035 §4.2.1); a longer one
// is refused whole (as c-ares does, which then asks over TCP) rather than parsed from a cut copy.
inline constexpr std::size_t kMaxUdpReplyBytes = 512;

// The reply in one datagram, or nullopt when it is not a reply to question (id, name, type).
// `length` is the datagram's real length; `bytes` may hold only its first part.
std::optional<DnsMessage> exchange_reply(std::span<const uint8_t> bytes, std::size_t length, uint16_t id,
                                         const std::string& name, uint16_t type);

// How an exchange that ended with `ended_by` (nullopt: it ended normally) is recorded (see `failure`).
MaybeFailure exchange_failure(bool any_reply, int malformed, MaybeFailure ended_by);

// Sends the query to server:port. Ends `linger` after the first reply, or at `timeout` without one,
// or when the socket reports an ICMP error (e.g. port unreachable: connection_refused).
// on_socket, if set, sees the connected socket right after the question was sent.
void dns_exchange(EventLoop& loop, const std::string& server, uint16_t port, const std::string& name, uint16_t type,
                  Duration timeout, Duration linger, std::function<void(DnsExchangeResult)> cb,
                  const std::function<void(int fd)>& on_socket = nullptr);

}  // namespace rp
