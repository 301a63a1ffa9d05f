// The summary reads the observations the way a person would: the furthest step reached decides the line.
// It is a convenience for people; attribution is reachanalyze's job.
#include "output/run_summary.h"

#include <algorithm>

#include "net/ip_address.h"

namespace rp {
namespace {

std::string failure_text(const MaybeFailure& f) { return f ? std::string(to_string(*f)) : "ok"; }

TargetOutcome summarize_one(const TargetSpec& t, const std::vector<Observation>& all) {
  std::vector<const DnsQueryObservation*> dns;
  std::vector<const TcpConnectObservation*> tcp;
  std::vector<const TlsHandshakeObservation*> tls;
  std::vector<const HttpRequestObservation*> http;
  for (const auto& o : all) {
    if (base_of(o).target != t.ref) continue;
    if (auto* d = std::get_if<DnsQueryObservation>(&o)) dns.push_back(d);
    if (auto* c = std::get_if<TcpConnectObservation>(&o)) tcp.push_back(c);
    if (auto* h = std::get_if<TlsHandshakeObservation>(&o)) tls.push_back(h);
    if (auto* r = std::get_if<HttpRequestObservation>(&o)) http.push_back(r);
  }
  TargetOutcome out{t.ref, false, ""};
  const bool any_answer = std::any_of(dns.begin(), dns.end(), [](auto* d) { return !d->failure; });
  if (!dns.empty() && !any_answer) {
    out.text = "dns: " + failure_text(dns.front()->failure);
    return out;
  }
  if (t.kind == TargetKind::domain) {
    out.ok = true;
    out.text = "ok: resolved";
    return out;
  }
  if (!tcp.empty() && std::none_of(tcp.begin(), tcp.end(), [](auto* c) { return !c->failure; })) {
    out.text = "tcp: " + failure_text(tcp.front()->failure);
    return out;
  }
  // The handshake that speaks for the target: with its name as SNI, or without SNI when it is an IP.
  const auto primary = [&t](const TlsHandshakeObservation* h) {
    return h->sni_kind == SniKind::target || (h->sni_kind == SniKind::none && is_ip_literal(t.host));
  };
  const auto first_target_tls = std::find_if(tls.begin(), tls.end(), primary);
  if (first_target_tls != tls.end() &&
      std::none_of(tls.begin(), tls.end(), [&](auto* h) { return primary(h) && !h->failure; })) {
    out.text = "tls: " + failure_text((*first_target_tls)->failure);
    for (auto* h : tls) {
      if (h->sni_kind == SniKind::neutral) out.text += " (neutral SNI: " + failure_text(h->failure) + ")";
    }
    return out;
  }
  if (!http.empty()) {
    const auto* last = *std::max_element(http.begin(), http.end(), [](auto* a, auto* b) { return a->hop < b->hop; });
    if (last->failure) {
      out.text = "http: " + failure_text(last->failure);
      return out;
    }
    const long status = last->response ? last->response->status : 0;
    out.text = "HTTP " + std::to_string(status) + (last->tls_verified.value_or(false) ? " over verified TLS" : "");
    if (last->healthy_match == false) {
      out.text += ", not the healthy response";
      return out;
    }
    out.ok = status >= 200 && status < 400;
    out.text = (out.ok ? "ok: " : "") + out.text;
    return out;
  }
  out.ok = true;
  out.text = tls.empty() ? "ok: connected" : "ok: TLS verified";
  return out;
}

}  // namespace

std::vector<TargetOutcome> summarize_targets(const MeasurementResult& result) {
  std::vector<TargetOutcome> out;
  for (const auto& t : result.plan.targets) out.push_back(summarize_one(t, result.observations));
  return out;
}

}  // namespace rp
