// The procedure is deliberately simple and bounded: one parallel sweep, one confirmation. Devices that
// copy the probe's TTL into forged replies (so the reply dies on the way back) show up as silence
// where the control saw a router: that difference counts as interference too.
#include "experiments/localize/path_localization.h"

#include <memory>

#include "net/ip_address.h"

namespace rp {

namespace {

// Port of the companion UDP probe that names the router at each TTL (the traceroute convention).
constexpr uint16_t kTraceroutePort = 33434;

bool same_reaction(const TtlProbeResult& a, const TtlProbeResult& b) { return a.outcome == b.outcome; }

void probe_trigger(EventLoop& loop, const LocalizationRequest& r, const LocalizationSettings& s, int ttl, bool control,
                   TtlProbeDone cb) {
  const std::string& payload = control ? *r.control : r.trigger;
  switch (r.kind) {
    case LocalizationKind::tls_sni:
      return ttl_probe_tcp_payload(loop, r.address, r.port, payload, ttl, s.connect_timeout, s.wait, std::move(cb));
    case LocalizationKind::dns: return ttl_probe_udp(loop, r.address, r.port, payload, ttl, s.wait, std::move(cb));
    case LocalizationKind::tcp_syn: return ttl_probe_syn(loop, r.address, r.port, ttl, s.wait, std::move(cb));
  }
}

}  // namespace

void analyse_hops(LocalizationKind kind, LocalizationResult& r) {
  r.interference_ttl.reset();
  r.destination_ttl.reset();
  for (const auto& h : r.hops) {
    const auto& reference = h.control ? *h.control : h.trigger;
    if (!r.destination_ttl && reference.outcome == HopOutcome::answered) r.destination_ttl = h.ttl;
  }
  const bool syn_answered = r.destination_ttl.has_value();
  if (kind != LocalizationKind::tcp_syn) {
    for (const auto& h : r.hops) {
      if (h.control && !same_reaction(h.trigger, *h.control)) {
        r.interference_ttl = h.ttl;
        break;
      }
      if (r.destination_ttl && h.ttl >= *r.destination_ttl) break;  // past the destination: nothing to find
    }
    return;
  }
  // SYNs: if some TTL got a SYN-ACK the path is open. Otherwise the SYNs die after the last router that
  // answered; they are dropped at the next hop, provided every later TTL is silent too. Where the
  // target itself is (from the UDP companion) tells a drop on the way from a drop at the target's edge.
  if (syn_answered) return;
  for (const auto& h : r.hops) {
    if (h.reached_target) {
      r.destination_ttl = h.ttl;
      break;
    }
  }
  int last_router = 0;
  for (const auto& h : r.hops) {
    if (h.trigger.outcome == HopOutcome::ttl_expired) last_router = h.ttl;
  }
  const int candidate = last_router + 1;
  bool silent_after = candidate <= static_cast<int>(r.hops.size());
  for (const auto& h : r.hops) {
    if (h.ttl >= candidate && h.trigger.outcome != HopOutcome::silent) silent_after = false;
  }
  if (silent_after) r.interference_ttl = candidate;
}

void localize_path(EventLoop& loop, const LocalizationRequest& request, const LocalizationSettings& settings,
                   std::function<void(LocalizationResult)> cb) {
  struct Sweep {
    LocalizationResult result;
    int pending = 0;
    std::function<void(LocalizationResult)> cb;
  };
  auto sweep = std::make_shared<Sweep>();
  sweep->cb = std::move(cb);
  const int max_ttl = std::max(1, std::min(settings.max_ttl, 32));
  sweep->result.hops.resize(static_cast<std::size_t>(max_ttl));
  const bool has_control = request.control.has_value() && request.kind != LocalizationKind::tcp_syn;
  // The confirmation pass: the decisive TTL once more, trigger and control.
  auto confirm = [&loop, request, settings, has_control](std::shared_ptr<Sweep> sw) {
    analyse_hops(request.kind, sw->result);
    if (!sw->result.interference_ttl) return sw->cb(std::move(sw->result));
    const int ttl = *sw->result.interference_ttl;
    const auto first = sw->result.hops[static_cast<std::size_t>(ttl - 1)];
    auto again = std::make_shared<HopRecord>();
    auto left = std::make_shared<int>(has_control ? 2 : 1);
    auto settle = [sw, first, again, left] {
      if (--*left > 0) return;
      const bool same_trigger = again->trigger.outcome == first.trigger.outcome;
      const bool same_control = !first.control || (again->control && again->control->outcome == first.control->outcome);
      sw->result.confirmed = same_trigger && same_control;
      sw->cb(std::move(sw->result));
    };
    probe_trigger(loop, request, settings, ttl, false, [again, settle](TtlProbeResult r) {
      again->trigger = std::move(r);
      settle();
    });
    if (has_control) {
      probe_trigger(loop, request, settings, ttl, true, [again, settle](TtlProbeResult r) {
        again->control = std::move(r);
        settle();
      });
    }
  };
  auto one_done = [sweep, confirm] {
    if (--sweep->pending == 0) confirm(sweep);
  };
  for (int ttl = 1; ttl <= max_ttl; ++ttl) {
    auto& hop = sweep->result.hops[static_cast<std::size_t>(ttl - 1)];
    hop.ttl = ttl;
    HopRecord* hp = &hop;  // hops is sized once above and never resized, so this stays valid
    sweep->pending += has_control ? 2 : 1;
    probe_trigger(loop, request, settings, ttl, false, [sweep, hp, one_done](TtlProbeResult r) {
      if (r.from && r.outcome == HopOutcome::ttl_expired && !hp->router) hp->router = r.from;
      hp->trigger = std::move(r);
      one_done();
    });
    if (has_control) {
      probe_trigger(loop, request, settings, ttl, true, [sweep, hp, one_done](TtlProbeResult r) {
        if (r.from && r.outcome == HopOutcome::ttl_expired && !hp->router) hp->router = r.from;
        hp->control = std::move(r);
        one_done();
      });
    }
    if (request.kind != LocalizationKind::dns) {
      // An established TCP socket is told "host unreachable" but not by whom, and a dropped SYN says
      // nothing at all: ask the same hop by UDP.
      ++sweep->pending;
      const std::string target = request.address;
      ttl_probe_udp(loop, request.address, static_cast<uint16_t>(kTraceroutePort + ttl), std::string(1, '\0'), ttl,
                    settings.wait, [sweep, hp, one_done, target](TtlProbeResult r) {
                      if (r.outcome == HopOutcome::ttl_expired && r.from) hp->router = r.from;
                      hp->reached_target = r.outcome == HopOutcome::unreachable && r.from &&
                                           same_address(*r.from, target);
                      hp->companion = std::move(r);
                      one_done();
                    });
    }
  }
}

}  // namespace rp
