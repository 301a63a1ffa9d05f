// Which observations of one side bear on a question: the connect under a handshake, everything at an address,
// the verified handshakes, whether the side got through, where the control connected.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "target_features.h"

namespace ra::facts {

// The TCP connect that carried a TLS handshake (same transaction, address and port).
const Observation* carrier(const Side& s, const Observation& tls);

// Observations of a side that touched an address (connects, handshakes, HTTP requests).
std::vector<const Observation*> at_address(const Side& s, const std::string& addr);

// Handshakes naming the service that completed with a chain trusted for its name.
std::vector<const Observation*> authenticated_handshakes(const Side& s);

bool reached(const Side& s);

// Whether the control got through at any of these addresses: its successful connects and replies there.
struct ControlReach {
  std::vector<const Observation*> ok;
  bool connected() const { return !ok.empty(); }
};
ControlReach control_connected(const Side& c, const std::set<std::string>& addrs);

}  // namespace ra::facts
