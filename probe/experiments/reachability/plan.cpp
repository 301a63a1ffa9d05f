// Planning is pure: no I/O, so what a run will do can be tested and printed without a network.
#include "experiments/reachability/plan.h"

#include <set>

#include "net/ip_address.h"

namespace rp {

namespace {

TargetSpec url_target(const UrlParts& url) {
  TargetSpec t;
  t.ref = url.url;
  t.kind = TargetKind::url;
  t.host = url.host;
  t.unicode_host = url.unicode_host;
  t.url = url;
  return t;
}

TargetSpec endpoint_target(const EndpointParts& e) {
  TargetSpec t;
  t.ref = endpoint_ref(e);
  t.kind = TargetKind::endpoint;
  t.host = e.host;
  t.unicode_host = e.unicode_host;
  t.endpoint = e;
  return t;
}

// The pinned anchors that apply to host, if the service pins any for it.
std::optional<std::string> pins_for(const Service& s, const std::string& host) {
  std::string pem;
  for (const auto& pin : s.pinned_cas) {
    bool applies = pin.hosts.empty();
    for (const auto& h : pin.hosts) applies = applies || h == host;
    if (applies) pem += pin.pem + "\n";
  }
  if (pem.empty()) return std::nullopt;
  return pem;
}

}  // namespace

MeasurementPlan plan_url(const UrlParts& url) {
  return MeasurementPlan{std::nullopt, "url", url.typed_url.value_or(url.url), {url_target(url)}};
}

MeasurementPlan plan_endpoint(const EndpointParts& endpoint) {
  return MeasurementPlan{std::nullopt, "endpoint", endpoint_input(endpoint), {endpoint_target(endpoint)}};
}

MeasurementPlan plan_service(const Service& s) {
  MeasurementPlan plan{s.id, "service", s.id, {}};
  std::set<std::string> seen;
  auto add = [&](TargetSpec t) {
    if (!seen.insert(t.ref).second) return;
    t.pinned_pem = pins_for(s, t.host);
    plan.targets.push_back(std::move(t));
  };
  std::string ignored;
  for (const auto& u : s.urls) {
    if (auto parts = parse_url(u.url, ignored)) {
      TargetSpec t = url_target(*parts);
      t.healthy = u.healthy;
      add(std::move(t));
    }
  }
  for (const auto& e : s.endpoints) {
    EndpointParts parts{e.host, e.port, e.transport, std::nullopt};  // the catalogue keeps to ASCII names
    if (!is_valid_hostname(e.host) && !is_ip_literal(e.host)) continue;
    TargetSpec t = endpoint_target(parts);
    t.note = e.note;
    add(std::move(t));
  }
  for (const auto& d : s.domains) {
    if (!is_valid_hostname(d.name)) continue;
    TargetSpec t;
    t.ref = "dns:" + d.name;
    t.kind = TargetKind::domain;
    t.host = d.name;
    add(std::move(t));
  }
  return plan;
}

MeasuredRecord measured_record_of(const MeasurementPlan& plan) {
  MeasuredRecord r;
  r.service = plan.service;
  r.input_kind = plan.input_kind;
  r.input_value = plan.input_value;
  for (const auto& t : plan.targets) r.targets.push_back({t.ref, t.kind, t.host, t.healthy, t.note, t.unicode_host});
  return r;
}

}  // namespace rp
