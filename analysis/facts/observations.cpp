// Which observations of one side bear on a question (see observations.h).
#include "facts/observations.h"

namespace ra::facts {

const Observation* carrier(const Side& s, const Observation& tls) {
  for (const auto* t : s.tcp)
    if (t->transaction == tls.transaction && t->address == tls.address && t->port == tls.port) return t;
  return nullptr;
}

std::vector<const Observation*> at_address(const Side& s, const std::string& addr) {
  std::vector<const Observation*> out;
  for (const auto* o : s.tcp)
    if (o->address == addr) out.push_back(o);
  for (const auto* o : s.tls)
    if (o->address == addr) out.push_back(o);
  for (const auto* o : s.http)
    if (o->address == addr) out.push_back(o);
  return out;
}

std::vector<const Observation*> authenticated_handshakes(const Side& s) {
  std::vector<const Observation*> out;
  for (const auto* t : s.tls)
    if (authenticated(*t)) out.push_back(t);
  return out;
}

bool reached(const Side& s) { return outcome(s).stage == Stage::reached; }

ControlReach control_connected(const Side& c, const std::set<std::string>& addrs) {
  ControlReach out;
  for (const auto* o : c.tcp)
    if (!o->failure && addrs.count(o->address)) out.ok.push_back(o);
  for (const auto* o : c.http)
    if (o->response && addrs.count(o->address)) out.ok.push_back(o);
  return out;
}

}  // namespace ra::facts
