// The evidence half of the reachability experiment: DNS exchanges that catch injection, captured
// packets of the probe's own flows, and path localization of whatever met interference.
#include <algorithm>

#include "dns/dns_query.h"
#include "experiments/reachability/measurement_run.h"
#include "net/client_hello.h"
#include "net/dns_exchange.h"
#include "net/ip_address.h"
#include "observe/net_records.h"
#include "util/utf8.h"

namespace rp {
namespace {

std::string scrub_router(const std::optional<std::string>& router, const AddressPolicy& policy) {
  if (!router) return {};
  // A router inside the volunteer's own networks says nothing an analyst needs, and may say too much.
  return is_local_or_private(*router, policy) ? "private" : *router;
}

// The hops of a localization, with every router inside the volunteer's own networks scrubbed.
void record_localization(PathLocalizationObservation& obs, const LocalizationResult& r, const AddressPolicy& policy) {
  for (const auto& h : r.hops) {
    PathHopRecord hop;
    hop.ttl = h.ttl;
    if (h.router) hop.router = scrub_router(h.router, policy);
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
      return h.router ? std::optional(scrub_router(h.router, policy)) : std::nullopt;
    };
    obs.last_router_before = router_at(*r.interference_ttl - 1);
    obs.router_at = router_at(*r.interference_ttl);
  }
}

CapturedPacketRecord packet_record(const CapturedPacket& p, Clock::time_point zero, const AddressPolicy& policy) {
  CapturedPacketRecord rec;
  rec.t = std::chrono::duration<double>(p.at - zero).count();
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
    rec.from = scrub_router(p.from, policy);
  }
  return rec;
}

}  // namespace

void MeasurementRun::check_for_injection(const TargetSpec& t, const std::string& host, const Addresses& v4) {
  if (!settings_.dns_exchanges) return;
  if (const auto where = injection_check_target(settings_.injection_check_ip, v4, settings_.addresses)) {
    exchange(t, host, *where, 53, DnsPurpose::injection_check);
  }
}

void MeasurementRun::exchange(const TargetSpec& t, const std::string& host, const std::string& server, uint16_t port,
                              DnsPurpose purpose) {
  in_slot(limiter_, [this, tp = &t, host, server, port, purpose](const Step& step) {
    auto obs = begin<DnsExchangeObservation>(*tp);
    obs.hostname = host;
    obs.query_type = DnsType::A;
    obs.server = host_port(server, port);
    obs.purpose = purpose;
    const Duration linger = std::min(settings_.dns_linger, settings_.timeout);
    auto flow = watch_flow();
    network_.dns_exchange(server, port, host, DnsType::A, settings_.timeout, linger,
                          step.last([this, tp, obs, flow, server](DnsExchangeResult r) mutable {
                            on_exchanged(*tp, std::move(obs), flow, server, r);
                          }),
                          on_socket(flow, server, port));
  });
}

void MeasurementRun::on_exchanged(const TargetSpec& t, DnsExchangeObservation obs,
                                  const std::shared_ptr<uint64_t>& flow, const std::string& server,
                                  const DnsExchangeResult& r) {
  record_result(obs, r);
  summarize_capture(t, flow, {obs.id}, FlowProtocol::udp, obs.server);
  const std::string host = obs.hostname;
  const DnsPurpose purpose = obs.purpose;
  add(std::move(obs));
  if (exchange_shows_injection(purpose, r)) localize_dns(t, host, server);
}

void MeasurementRun::localize_sni(const TargetSpec& t, const std::string& host, const std::string& address,
                                  uint16_t port) {
  SSL_CTX* ctx = trust_for(t)->ctx();
  LocalizationRequest r;
  r.kind = LocalizationKind::tls_sni;
  r.address = address;
  r.port = port;
  r.trigger = build_client_hello(ctx, host);
  r.control = build_client_hello(ctx, settings_.neutral_sni);
  r.trigger_label = "ClientHello SNI=" + host;
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
  const auto control = build_dns_query(static_cast<uint16_t>(id + 1), settings_.neutral_sni,
                                       static_cast<uint16_t>(DnsType::A));
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
  in_slot(shared_.localization_slots, [this, tp = &t, request = std::move(request)](const Step& step) {
    auto obs = begin<PathLocalizationObservation>(*tp);
    obs.kind = request.kind;
    obs.address = request.address;
    obs.port = request.port;
    obs.trigger = request.trigger_label;
    obs.control = request.control_label;
    obs.max_ttl = settings_.localization.max_ttl;
    network_.localize_path(request, settings_.localization, step.last([this, obs](LocalizationResult r) mutable {
      record_localization(obs, r, settings_.addresses);
      add(std::move(obs));
    }));
  });
}

std::shared_ptr<uint64_t> MeasurementRun::watch_flow() {
  return settings_.capture != nullptr ? std::make_shared<uint64_t>(0) : nullptr;
}

OnSocket MeasurementRun::on_socket(const std::shared_ptr<uint64_t>& flow, const std::string& address, uint16_t port) {
  return [self = shared_from_this(), flow, address, port](int fd) {
    if (flow) *flow = self->settings_.capture->watch(fd, address, port);
  };
}

void MeasurementRun::summarize_capture(const TargetSpec& t, const std::shared_ptr<uint64_t>& flow,
                                       std::vector<int> steps, FlowProtocol protocol, std::string remote) {
  if (!flow || *flow == 0) return;
  const Step step = Step::without_slot(shared_from_this());
  const uint64_t id = *flow;
  loop_.add_timer(settings_.capture_grace,
                  [this, step, tp = &t, id, steps = std::move(steps), protocol, remote = std::move(remote)]() mutable {
                    const auto packets = settings_.capture->take(id);
                    if (step.dropped()) return step.end();
                    auto obs = begin<CaptureSummaryObservation>(*tp);
                    obs.steps = std::move(steps);
                    obs.protocol = protocol;
                    obs.remote = std::move(remote);
                    for (const auto& p : packets) obs.packets.push_back(packet_record(p, zero_, settings_.addresses));
                    add(std::move(obs));
                    step.end();
                  });
}

}  // namespace rp
