// Which observations of one side bear on a question: the connect under a handshake, everything at an address,
// the verified handshakes, whether the side got through, where the control connected.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "target_features.h"

namespace ra::facts {

// The TCP connect that carried a TLS handshake (same transaction, address and port).
const rp::TcpConnectObservation* carrier(const Side& s, const rp::TlsHandshakeObservation& tls);

// Observations of a side that touched an address (connects, handshakes, HTTP requests).
std::vector<const rp::ObservationBase*> at_address(const Side& s, const std::string& addr);

// Handshakes naming the service that completed with a chain trusted for its name.
// With `host`, for that host only (see for_host()).
std::vector<const rp::TlsHandshakeObservation*> authenticated_handshakes(const Side& s, const std::string& host = "");

// The hosts the side's handshakes were for, lower-cased, in first-seen order: the target's own, then each
// redirect hop's new host.
std::vector<std::string> handshake_hosts(const Side& s);

bool reached(const Side& s);

// A step at an address that proves it is not the service: a handshake naming the service that showed a
// certificate not valid for it, or a connect nothing accepted.
struct NotTheService {
  const rp::ObservationBase* step = nullptr;
  bool certificate = false;  // a handshake's certificate; else a refused connect
  std::string address;
  std::uint16_t port = 0;
};

// Whether the control got through at any of these addresses: its successful connects and replies there.
struct ControlReach {
  std::vector<const rp::ObservationBase*> ok;
  bool connected() const { return !ok.empty(); }
};
ControlReach control_connected(const Side& c, const std::set<std::string>& addrs);

}  // namespace ra::facts
