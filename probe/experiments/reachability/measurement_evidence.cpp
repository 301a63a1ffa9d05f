// The evidence half of the reachability experiment: DNS exchanges that catch injection, captured
// packets of the probe's own flows, and path localization of whatever met interference.
#include <algorithm>
#include <set>

#include "dns/dns_query.h"
#include "experiments/reachability/measurement_run.h"
#include "net/client_hello.h"
#include "net/dns_exchange.h"
#include "net/ip_address.h"
#include "util/utf8.h"

namespace rp {
namespace {

// Two replies to one question that do not say the same thing: someone other than the resolver spoke.
bool replies_disagree(const DnsExchangeResult& r) {
  const auto values = [](const DnsExchangeReply& reply) {
    std::set<std::string> v;
    for (const auto& a : reply.message.answers) v.insert(a.value);
    return std::make_pair(reply.message.rcode, v);
  };
  for (std::size_t i = 1; i < r.replies.size(); ++i) {
    if (values(r.replies[i]) != values(r.replies[0])) return true;
  }
  return false;
}

std::string scrub_router(const std::optional<std::string>& router, const AddressPolicy& policy) {
  if (!router) return {};
  // A router inside the volunteer's own networks says nothing an analyst needs, and may say too much.
  return is_local_or_private(*router, policy) ? "private" : *router;
}

}  // namespace

void MeasurementRun::check_for_injection(const TargetSpec& t, const std::string& host, const Addresses& v4) {
  if (!settings_.dns_exchanges) return;
  std::optional<std::string> where = settings_.injection_check_ip;
  if (!where) {
    // Never aim unsolicited DNS at the volunteer's own networks, whatever a (possibly forged) answer says.
    const auto pick = std::find_if(v4.begin(), v4.end(), [this](const std::string& a) { return !is_local_or_private(a, settings_.addresses); });
    if (pick != v4.end()) where = *pick;
  }
  if (where) exchange(t, host, *where, 53, DnsPurpose::injection_check);
}

void MeasurementRun::exchange(const TargetSpec& t, const std::string& host, const std::string& server, uint16_t port,
                              DnsPurpose purpose) {
  begin_step();
  auto self = shared_from_this();
  const TargetSpec* tp = &t;
  limiter_.run([self, tp, host, server, port, purpose](StepLimiter::Release release) {
    if (self->finished_) {
      release();
      return self->end_step();
    }
    DnsExchangeObservation obs;
    static_cast<ObservationBase&>(obs) = self->begin_observation(*tp);
    obs.hostname = host;
    obs.query_type = DnsType::A;
    obs.server = host_port(server, port);
    obs.purpose = purpose;
    const Duration linger = std::min(self->settings_.dns_linger, self->settings_.timeout);
    auto flow = self->watch_flow();
    dns_exchange(self->loop_, server, port, host, static_cast<uint16_t>(DnsType::A), self->settings_.timeout, linger,
                 [self, tp, host, server, purpose, obs, release, flow](DnsExchangeResult r) mutable {
                   release();
                   if (self->finished_) return self->end_step();
                   obs.failure = r.failure;
                   obs.malformed = r.malformed;
                   for (const auto& reply : r.replies) {
                     DnsExchangeReplyRecord rec;
                     rec.after = reply.after;
                     rec.rcode = dns_rcode_name(reply.message.rcode);
                     for (const auto& a : reply.message.answers) {
                       rec.answers.push_back({dns_type_name(a.type), sanitize_utf8(a.name), sanitize_utf8(a.value), a.ttl});
                     }
                     obs.replies.push_back(std::move(rec));
                   }
                   self->summarize_capture(*tp, flow, {obs.id}, FlowProtocol::udp, obs.server);
                   self->add(std::move(obs));
                   const bool forged = purpose == DnsPurpose::injection_check && !r.replies.empty();
                   if (forged || (purpose == DnsPurpose::duplicate_watch && replies_disagree(r))) {
                     self->localize_dns(*tp, host, server);
                   }
                   self->end_step();
                 },
                 [self, flow, server, port](int fd) {
                   if (flow) *flow = self->settings_.capture->watch(fd, server, port);
                 });
  });
}

void MeasurementRun::localize_sni(const TargetSpec& t, const std::string& address, uint16_t port) {
  SSL_CTX* ctx = trust_for(t)->ctx();
  LocalizationRequest r;
  r.kind = LocalizationKind::tls_sni;
  r.address = address;
  r.port = port;
  r.trigger = build_client_hello(ctx, t.host);
  r.control = build_client_hello(ctx, settings_.neutral_sni);
  r.trigger_label = "ClientHello SNI=" + t.host;
  r.control_label = "ClientHello SNI=" + settings_.neutral_sni;
  localize(t, std::move(r));
}

void MeasurementRun::localize_syn(const TargetSpec& t, const std::string& address, uint16_t port) {
  LocalizationRequest r;
  r.kind = LocalizationKind::tcp_syn;
  r.address = address;
  r.port = port;
  r.trigger_label = "TCP SYN to port " + std::to_string(port);
  localize(t, std::move(r));
}

void MeasurementRun::localize_dns(const TargetSpec& t, const std::string& host, const std::string& server) {
  uint16_t id = 0x5250;  // fixed ids: these questions are compared with each other, not matched to replies
  const auto trigger = build_dns_query(id, host, static_cast<uint16_t>(DnsType::A));
  const auto control = build_dns_query(static_cast<uint16_t>(id + 1), settings_.neutral_sni, static_cast<uint16_t>(DnsType::A));
  if (!trigger || !control) return;
  LocalizationRequest r;
  r.kind = LocalizationKind::dns;
  r.address = server;
  r.port = 53;
  r.trigger.assign(trigger->begin(), trigger->end());
  r.control = std::string(control->begin(), control->end());
  r.trigger_label = "DNS A? " + host;
  r.control_label = "DNS A? " + settings_.neutral_sni;
  localize(t, std::move(r));
}

void MeasurementRun::localize(const TargetSpec& t, LocalizationRequest request) {
  if (!settings_.localize || is_local_or_private(request.address, settings_.addresses)) return;
  const std::string key = to_string(request.kind) + "|" + request.address + "|" + std::to_string(request.port);
  if (!localized_.insert(key).second) return;
  if (shared_.localizations_left <= 0) return;
  --shared_.localizations_left;
  begin_step();
  auto self = shared_from_this();
  const TargetSpec* tp = &t;
  shared_.localization_slots.run([self, tp, request = std::move(request)](StepLimiter::Release release) {
    if (self->finished_) {
      release();
      return self->end_step();
    }
    PathLocalizationObservation obs;
    static_cast<ObservationBase&>(obs) = self->begin_observation(*tp);
    obs.kind = request.kind;
    obs.address = request.address;
    obs.port = request.port;
    obs.trigger = request.trigger_label;
    obs.control = request.control_label;
    obs.max_ttl = self->settings_.localization.max_ttl;
    localize_path(self->loop_, request, self->settings_.localization,
                  [self, obs, release](LocalizationResult r) mutable {
                    release();
                    if (self->finished_) return self->end_step();
                    for (const auto& h : r.hops) {
                      PathHopRecord hop;
                      hop.ttl = h.ttl;
                      if (h.router) hop.router = scrub_router(h.router, self->settings_.addresses);
                      hop.trigger = h.trigger.outcome;
                      if (h.control) hop.control = h.control->outcome;
                      if (h.companion) hop.companion = h.companion->outcome;
                      obs.hops.push_back(std::move(hop));
                    }
                    obs.interference_ttl = r.interference_ttl;
                    obs.destination_ttl = r.destination_ttl;
                    obs.confirmed = r.confirmed;
                    if (r.interference_ttl) {
                      const auto router_at = [&](int ttl) -> std::optional<std::string> {
                        if (ttl < 1 || ttl > static_cast<int>(r.hops.size())) return std::nullopt;
                        const auto& h = r.hops[static_cast<std::size_t>(ttl - 1)];
                        return h.router ? std::optional(scrub_router(h.router, self->settings_.addresses)) : std::nullopt;
                      };
                      obs.last_router_before = router_at(*r.interference_ttl - 1);
                      obs.router_at = router_at(*r.interference_ttl);
                    }
                    self->add(std::move(obs));
                    self->end_step();
                  });
  });
}

std::shared_ptr<uint64_t> MeasurementRun::watch_flow() {
  return settings_.capture != nullptr ? std::make_shared<uint64_t>(0) : nullptr;
}

void MeasurementRun::summarize_capture(const TargetSpec& t, const std::shared_ptr<uint64_t>& flow,
                                       std::vector<int> steps, FlowProtocol protocol, std::string remote) {
  if (!flow || *flow == 0) return;
  begin_step();
  auto self = shared_from_this();
  const TargetSpec* tp = &t;
  const uint64_t id = *flow;
  loop_.add_timer(settings_.capture_grace, [self, tp, id, steps = std::move(steps), protocol,
                                            remote = std::move(remote)]() mutable {
    const auto packets = self->settings_.capture->take(id);
    if (self->finished_) return self->end_step();
    CaptureSummaryObservation obs;
    static_cast<ObservationBase&>(obs) = self->begin_observation(*tp);
    obs.steps = std::move(steps);
    obs.protocol = protocol;
    obs.remote = std::move(remote);
    for (const auto& p : packets) {
      CapturedPacketRecord rec;
      rec.t = std::chrono::duration<double>(p.at - self->zero_).count();
      rec.kind = p.kind;
      rec.ttl = p.ttl;
      rec.ip_id = p.ip_id;
      if (p.kind == PacketKind::dns_reply) {
        rec.dns_id = p.dns_id;
        rec.rcode = dns_rcode_name(p.rcode);
        for (const auto& a : p.answers) rec.answers.push_back(sanitize_utf8(a));
      }
      if (p.kind == PacketKind::icmp) {
        rec.icmp_type = p.icmp_type;
        rec.icmp_code = p.icmp_code;
        rec.from = scrub_router(p.from, self->settings_.addresses);
      }
      obs.packets.push_back(std::move(rec));
    }
    self->add(std::move(obs));
    self->end_step();
  });
}

}  // namespace rp
