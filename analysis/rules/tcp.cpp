// The TCP rules: resets judged by their IP TTL, timed-out SYNs localised on the path, and resets the control
// does not share. Each computes its facts, decides, cites, then asks sentences.h for the words.
#include <set>
#include <string>
#include <vector>

#include "facts/observations.h"
#include "facts/record_kinds.h"
#include "facts/reset_ttl.h"
#include "facts/syn_drop.h"
#include "rules/rule_helpers.h"
#include "rules/sentences.h"

namespace ra::rules {
namespace {

bool connect_or_handshake(Stage s) { return s == Stage::tcp || s == Stage::tls; }

// The addresses at which the side's failing steps were cut by a reset.
std::set<std::string> reset_addresses(const Side& s, const Outcome& o) {
  std::set<std::string> out;
  for (const auto* x : o.obs)
    if (const std::string addr = address_of(s, x); reset_like(x->failure) && !addr.empty()) out.insert(addr);
  return out;
}

}  // namespace

// A reset that killed the connect or handshake arrived with an IP TTL unlike the server's own packets: it was
// forged on the path (the packet capture shows who could have sent it; the control is only corroboration).
std::optional<Finding> reset_ttl_injected(const RuleContext& ctx) {
  const Outcome ov = outcome(ctx.v);
  if (!connect_or_handshake(ov.stage)) return std::nullopt;
  const auto ev = facts::reset_ttls(ctx.v, ov.obs);
  if (ev.empty()) return std::nullopt;
  // Every reset that can be compared must look forged: one that matches the server's TTL (or is one hop off,
  // which a route change explains) leaves the question open.
  if (!facts::all_forged(ev)) return std::nullopt;
  Confidence conf = Confidence::high;
  facts::ControlReach control;
  if (ctx.c) {
    const Outcome oc = outcome(*ctx.c);
    // The control was reset too: not something only this vantage's path does (a firewall in front of the
    // service refusing everyone sends resets with its own TTL as well). The outage rule decides.
    if (oc.stage == ov.stage && reset_like(oc.obs.empty() ? std::nullopt : oc.obs.front()->failure))
      return std::nullopt;
    control = facts::control_connected(*ctx.c, facts::addresses_of(ev));
    if (!control.connected()) conf = Confidence::medium;
  }
  const bool tcp = ov.stage == Stage::tcp;
  Finding f = make(Attribution::network_interference, tcp ? "tcp.reset_injected" : "tls.reset_injected", conf);
  for (const auto& r : ev) cite_reset_ttl(f, ctx.v, r);
  if (ctx.c) cite(f, *ctx.c, control.ok);
  f.evidence.sentence = sentences::reset_ttl_injected(ctx.v, tcp, ev.front(), control.connected());
  return f;
}

// The reset arrived with the server's own TTL and the control does not share the failure: the server (or a
// device that copies its TTL exactly) refused this vantage. That names nobody, but it is not evidence
// against the network either, so the weaker reset_vs_control must not fire on it.
std::optional<Finding> reset_from_server(const RuleContext& ctx) {
  const Outcome ov = outcome(ctx.v);
  if (!connect_or_handshake(ov.stage)) return std::nullopt;
  const auto ev = facts::reset_ttls(ctx.v, ov.obs);
  if (ev.empty() || !facts::all_from_server(ev)) return std::nullopt;
  const facts::ResetTtl& r = ev.front();
  Finding f = make(Attribution::inconclusive, mechanism_for(ov.stage, std::string(rp::to_string(*r.step->failure)), 0),
                   Confidence::low);
  for (const auto& x : ev) cite_reset_ttl(f, ctx.v, x);
  facts::ControlReach control;
  if (ctx.c) {
    control = facts::control_connected(*ctx.c, facts::addresses_of(ev));
    cite(f, *ctx.c, control.connected() ? control.ok : outcome(*ctx.c).obs);
  }
  f.evidence.sentence = sentences::reset_from_server(ctx.v, ov.stage == Stage::tcp, r, ctx.c, control.connected());
  return f;
}

// Timed-out SYNs localised by TTL-limited copies (path_localization of kind tcp_syn): where they vanish
// relative to the hop at which the target address itself answers (the companion UDP probe).
std::optional<Finding> syn_drop_localised(const RuleContext& ctx) {
  const Outcome ov = outcome(ctx.v);
  if (ov.stage != Stage::tcp || !is_timeout(ov.failure)) return std::nullopt;
  const auto d = facts::localise_syn_drop(ctx.v, ov);
  if (!d) return std::nullopt;
  const auto control = ctx.c ? facts::control_connected(*ctx.c, {d->path->address}) : facts::ControlReach{};
  auto cite_drop = [&](Finding& f) {
    cite(f, ctx.v, d->path);
    cite(f, ctx.v, d->timed_out);
  };
  switch (d->where) {
    case facts::SynDrop::Where::on_path: {
      Finding f = make(Attribution::network_interference, "tcp.blackhole",
                       control.connected() && d->path->confirmed ? Confidence::high : Confidence::medium);
      f.control_independent = true;  // the localisation is the evidence; the control only corroborates
      cite_drop(f);
      if (ctx.c) cite(f, *ctx.c, control.ok);
      f.evidence.sentence = sentences::syn_dropped_on_path(ctx.v, *d, control.connected());
      return f;
    }
    case facts::SynDrop::Where::in_front_of_server: {
      // The router right in front of the server is, on most paths, the hosting provider's own gateway: its
      // access list and a censor sitting just before it look the same from here.
      Finding f = make(Attribution::inconclusive, "tcp.timeout", Confidence::low);
      cite_drop(f);
      if (ctx.c) cite(f, *ctx.c, control.ok);
      f.evidence.sentence = sentences::syn_dropped_in_front_of_server(ctx.v, *d);
      return f;
    }
    case facts::SynDrop::Where::at_server_hop: break;
  }
  // At the server's own hop, only the control tells a provider refusing this vantage from a server down.
  if (!control.connected()) {
    Finding f = make(Attribution::inconclusive, "tcp.timeout", Confidence::low);
    cite_drop(f);
    if (ctx.c) cite(f, *ctx.c, outcome(*ctx.c).obs);
    f.evidence.sentence = sentences::syn_dropped_at_server_hop_unexplained(ctx.v, *d, ctx.c != nullptr);
    return f;
  }
  Finding f = make(Attribution::provider_restriction, "tcp.edge_drop", Confidence::medium);
  cite_drop(f);
  cite(f, *ctx.c, control.ok);
  f.evidence.sentence = sentences::syn_dropped_at_edge(ctx.v, *d);
  return f;
}

// Active resets the control does not see at the same address: unauthenticated interference, so the network's.
std::optional<Finding> reset_vs_control(const RuleContext& ctx) {
  if (!ctx.c) return std::nullopt;
  const Outcome ov = outcome(ctx.v);
  if (ov.stage != Stage::tcp && ov.stage != Stage::tls && ov.stage != Stage::http) return std::nullopt;
  if (!is_refused_or_reset(ov.failure)) return std::nullopt;
  if (!facts::reached(*ctx.c)) return std::nullopt;
  // The control must have succeeded at the very address the vantage was reset at.
  const std::set<std::string> addrs = reset_addresses(ctx.v, ov);
  const auto control = facts::control_connected(*ctx.c, addrs);
  if (!control.connected()) return std::nullopt;
  Finding f = make(Attribution::network_interference, mechanism_for(ov.stage, ov.failure, 0), Confidence::medium);
  cite(f, ctx.v, ov.obs);
  cite(f, *ctx.c, control.ok);
  f.evidence.sentence = sentences::reset_vs_control(ctx.v, ov.stage, addrs);
  return f;
}

}  // namespace ra::rules
