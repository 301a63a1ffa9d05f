// Where timed-out SYNs vanish (see syn_drop.h).
#include "facts/syn_drop.h"

#include <set>
#include <string>

#include "facts/record_kinds.h"

namespace ra::facts {
namespace {

const PathHop* hop_at(const Observation& path, int ttl) {
  for (const auto& h : path.hops)
    if (h.ttl == ttl) return &h;
  return nullptr;
}

}  // namespace

std::optional<SynDrop> localise_syn_drop(const Side& v, const Outcome& ov) {
  std::set<std::string> addrs;
  for (const auto* o : ov.obs)
    if (timeout_like(o->failure)) addrs.insert(o->address);
  for (const auto* p : v.paths) {
    if (!localises_syn(*p) || !addrs.count(p->address) || !p->interference_ttl || !p->destination_ttl) continue;
    SynDrop d;
    d.path = p;
    d.at = *p->interference_ttl;
    d.dest = *p->destination_ttl;
    if (d.at > d.dest) continue;
    for (const auto* o : ov.obs)
      if (o->address == p->address) d.timed_out.push_back(o);
    if (d.at <= d.dest - 2) {
      // Proof that the path goes on past the point where the SYNs vanish: at some TTL in between, the UDP
      // companion was answered by a router ("time exceeded") while the SYN with the same TTL met silence.
      for (int ttl = d.at; ttl < d.dest && !d.passed; ++ttl)
        if (const PathHop* h = hop_at(*p, ttl); h && trigger_silent(*h) && companion_expired(*h)) d.passed = h;
      if (!d.passed) continue;
      d.where = SynDrop::Where::on_path;
      return d;
    }
    if (d.at == d.dest - 1) {
      d.where = SynDrop::Where::in_front_of_server;
      return d;
    }
    // at == dest: the SYNs reach the hop before the server and vanish at the server's own hop, which answers UDP.
    const PathHop* before = hop_at(*p, d.dest - 1);
    const PathHop* own = hop_at(*p, d.dest);
    if (!own || !trigger_silent(*own) || !companion_unreachable(*own)) continue;
    if (d.dest > 1 && (!before || !trigger_expired(*before))) continue;
    d.where = SynDrop::Where::at_server_hop;
    return d;
  }
  return std::nullopt;
}

}  // namespace ra::facts
