// Hop-limited probes: send one packet with a chosen TTL and report how the path answered, without raw
// sockets (ICMP errors arrive through IP_RECVERR on the probe's own socket).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "net/event_loop.h"
#include "record/enums.h"

namespace rp {

// HopOutcome (how the path answered) is part of the record vocabulary: record/enums.h.

struct TtlProbeResult {
  HopOutcome outcome = HopOutcome::silent;
  std::optional<std::string> from;  // the ICMP sender (a router), when the kernel reported one
  double after = 0;                 // seconds after the packet was sent
};

using TtlProbeDone = std::function<void(TtlProbeResult)>;

// Connects to ip:port with the normal TTL, then sends payload with TTL=ttl (the triggering packet of a
// censor that inspects data: a ClientHello, an HTTP request). The first reaction decides.
void ttl_probe_tcp_payload(EventLoop& loop, const std::string& ip, uint16_t port, std::string payload, int ttl,
                           Duration connect_timeout, Duration wait, TtlProbeDone cb);

// Sends one UDP datagram with TTL=ttl and listens for `wait`: a reply wins over an ICMP error, because an
// on-path injector answers a packet that also expires at its hop.
void ttl_probe_udp(EventLoop& loop, const std::string& ip, uint16_t port, std::string payload, int ttl, Duration wait,
                   TtlProbeDone cb);

// Sends a TCP SYN with TTL=ttl (a connect() from a socket whose TTL is set first).
void ttl_probe_syn(EventLoop& loop, const std::string& ip, uint16_t port, int ttl, Duration wait, TtlProbeDone cb);

}  // namespace rp
