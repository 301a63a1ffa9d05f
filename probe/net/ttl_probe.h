// Hop-limited probes: send one packet with a chosen TTL and report how the path answered, without raw
// sockets (ICMP errors arrive through IP_RECVERR on the probe's own socket).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "net/event_loop.h"

namespace rp {

enum class HopOutcome {
  ttl_expired,  // a router said "time exceeded": the packet got that far and no further
  unreachable,  // an ICMP destination-unreachable (e.g. port unreachable at a host with no such service)
  reset,        // a TCP RST
  answered,     // the far end (or someone pretending to be it) replied
  closed,       // the far end closed the connection without a reply
  silent,       // nothing came back in time
  failed,       // the probe could not be sent (e.g. the preliminary connect failed)
};
std::string to_string(HopOutcome outcome);

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
