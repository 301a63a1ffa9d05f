// Which observations of one side bear on a question (see observations.h).
#include "facts/observations.h"

#include <algorithm>

#include "facts/record_kinds.h"

namespace ra::facts {

const rp::TcpConnectObservation* carrier(const Side& s, const rp::TlsHandshakeObservation& tls) {
  for (const auto* t : s.tcp)
    if (t->transaction == tls.transaction && t->address == tls.address && t->port == tls.port) return t;
  return nullptr;
}

std::vector<const rp::ObservationBase*> at_address(const Side& s, const std::string& addr) {
  std::vector<const rp::ObservationBase*> out;
  for (const auto* o : s.tcp)
    if (o->address == addr) out.push_back(o);
  for (const auto* o : s.tls)
    if (o->address == addr) out.push_back(o);
  for (const auto* o : s.http)
    if (o->address.value_or("") == addr) out.push_back(o);
  return out;
}

std::vector<const rp::TlsHandshakeObservation*> authenticated_handshakes(const Side& s, const std::string& host) {
  std::vector<const rp::TlsHandshakeObservation*> out;
  for (const auto* t : s.tls)
    if (authenticated(*t) && for_host(*t, host)) out.push_back(t);
  return out;
}

std::vector<std::string> handshake_hosts(const Side& s) {
  std::vector<std::string> out;
  for (const auto* t : s.tls) {
    const std::string h = rp::ascii_lower(t->verify_name);
    if (std::find(out.begin(), out.end(), h) == out.end()) out.push_back(h);
  }
  return out;
}

bool reached(const Side& s) { return outcome(s).stage == Stage::reached; }

ControlReach control_connected(const Side& c, const std::set<std::string>& addrs) {
  ControlReach out;
  for (const auto* o : c.tcp)
    if (!o->failure && addrs.count(o->address)) out.ok.push_back(o);
  for (const auto* o : c.http)
    if (o->response && addrs.count(o->address.value_or(""))) out.ok.push_back(o);
  return out;
}

}  // namespace ra::facts
