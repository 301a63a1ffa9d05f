// Serialises observations to the exact JSON shapes of results-schema/measurement.schema.json (the reader is
// observations_reader.cpp; tests/common/record_round_trip_test.cpp keeps the two in step).
#include "record/observations.h"

namespace rp {
namespace {

using json = nlohmann::ordered_json;

json failure_json(const MaybeFailure& f) { return f ? json(std::string(to_string(*f))) : json(nullptr); }

template <typename T>
json optional_json(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

template <typename E>
json enum_json(E value) {
  return json(std::string(name_of(value)));
}

template <typename E>
json optional_enum_json(const std::optional<E>& v) {
  return v ? enum_json(*v) : json(nullptr);
}

json common(const ObservationBase& b, const char* type) {
  return json{{"id", b.id}, {"type", type}, {"target", b.target},
              {"t0", b.t0}, {"t", b.t},     {"failure", failure_json(b.failure)}};
}

json answers_json(const std::vector<DnsAnswerRecord>& answers) {
  json out = json::array();
  for (const auto& a : answers) out.push_back({{"type", a.type}, {"name", a.name}, {"value", a.value}, {"ttl", a.ttl}});
  return out;
}

json to_json_of(const DnsQueryObservation& o) {
  json j = common(o, "dns_query");
  j["hostname"] = o.hostname;
  j["query_type"] = enum_json(o.query_type);
  j["resolver"] = o.resolver;
  j["rcode"] = optional_json(o.rcode);
  j["answers"] = answers_json(o.answers);
  return j;
}

json to_json_of(const DnsExchangeObservation& o) {
  json j = common(o, "dns_exchange");
  j["hostname"] = o.hostname;
  j["query_type"] = enum_json(o.query_type);
  j["server"] = o.server;
  j["purpose"] = enum_json(o.purpose);
  json replies = json::array();
  for (const auto& r : o.replies) {
    replies.push_back({{"after", r.after}, {"rcode", r.rcode}, {"answers", answers_json(r.answers)}});
  }
  j["replies"] = std::move(replies);
  j["malformed"] = o.malformed;
  return j;
}

json to_json_of(const TcpConnectObservation& o) {
  json j = common(o, "tcp_connect");
  j["address"] = o.address;
  j["port"] = o.port;
  if (o.hostname) j["hostname"] = *o.hostname;
  j["transaction"] = o.transaction;
  return j;
}

json to_json_of(const TlsHandshakeObservation& o) {
  json j = common(o, "tls_handshake");
  j["address"] = o.address;
  j["port"] = o.port;
  j["transaction"] = o.transaction;
  j["server_name"] = optional_json(o.server_name);
  j["sni_kind"] = enum_json(o.sni_kind);
  j["verify_name"] = o.verify_name;
  j["trust"] = o.trust;
  j["handshake_completed"] = o.handshake_completed;
  j["tls_version"] = optional_json(o.tls_version);
  j["cipher_suite"] = optional_json(o.cipher_suite);
  j["negotiated_alpn"] = optional_json(o.negotiated_alpn);
  j["peer_certificates"] = o.peer_certificates;
  j["verification"] = {{"trusted", optional_json(o.trusted)},
                       {"error", failure_json(o.verification_error)},
                       {"detail", optional_json(o.verification_detail)}};
  return j;
}

json to_json_of(const HttpRequestObservation& o) {
  json j = common(o, "http_request");
  j["url"] = o.url;
  j["hop"] = o.hop;
  j["method"] = "GET";
  j["address"] = optional_json(o.address);
  j["tls_verified"] = optional_json(o.tls_verified);
  j["healthy_match"] = optional_json(o.healthy_match);
  if (o.response) {
    const auto& r = *o.response;
    json headers = json::array();
    for (const auto& [k, v] : r.headers) headers.push_back(json::array({k, v}));
    j["response"] = {{"status", r.status},           {"headers", std::move(headers)},
                     {"body_length", r.body_length}, {"body_truncated", r.body_truncated},
                     {"body_sha256", r.body_sha256}, {"title", optional_json(r.title)},
                     {"body_prefix", r.body_prefix}};
  } else {
    j["response"] = nullptr;
  }
  j["redirect_location"] = optional_json(o.redirect_location);
  return j;
}

json to_json_of(const PathLocalizationObservation& o) {
  json j = common(o, "path_localization");
  j["kind"] = enum_json(o.kind);
  j["address"] = o.address;
  j["port"] = o.port;
  j["trigger"] = o.trigger;
  j["control"] = optional_json(o.control);
  j["max_ttl"] = o.max_ttl;
  json hops = json::array();
  for (const auto& h : o.hops) {
    json hop{{"ttl", h.ttl},
             {"router", optional_json(h.router)},
             {"trigger", enum_json(h.trigger)},
             {"control", optional_enum_json(h.control)}};
    if (h.companion) hop["companion"] = enum_json(*h.companion);
    hops.push_back(std::move(hop));
  }
  j["hops"] = std::move(hops);
  j["interference_ttl"] = optional_json(o.interference_ttl);
  j["last_router_before"] = optional_json(o.last_router_before);
  j["router_at"] = optional_json(o.router_at);
  j["destination_ttl"] = optional_json(o.destination_ttl);
  j["confirmed"] = o.confirmed;
  return j;
}

json to_json_of(const CaptureSummaryObservation& o) {
  json j = common(o, "capture_summary");
  j["steps"] = o.steps;
  j["protocol"] = enum_json(o.protocol);
  j["remote"] = o.remote;
  json packets = json::array();
  for (const auto& p : o.packets) {
    json pj{{"t", p.t}, {"kind", enum_json(p.kind)}, {"ttl", p.ttl}, {"ip_id", p.ip_id}};
    if (p.dns_id) {
      pj["dns_id"] = *p.dns_id;
      pj["rcode"] = optional_json(p.rcode);
      pj["answers"] = p.answers;
    }
    if (p.icmp_type) {
      pj["icmp_type"] = *p.icmp_type;
      pj["icmp_code"] = optional_json(p.icmp_code);
      pj["from"] = optional_json(p.from);
    }
    packets.push_back(std::move(pj));
  }
  j["packets"] = std::move(packets);
  return j;
}

}  // namespace

json to_json(const Observation& obs) {
  return std::visit([](const auto& o) { return to_json_of(o); }, obs);
}

const ObservationBase& base_of(const Observation& obs) {
  return std::visit([](const auto& o) -> const ObservationBase& { return o; }, obs);
}

}  // namespace rp
