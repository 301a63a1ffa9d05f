// Builds measurement records in code for the rule tests, following results-schema/measurement.schema.json.
#pragma once

#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "fingerprints.h"
#include "netaddr.h"
#include "record.h"
#include "rules.h"

namespace ra::test {

using nlohmann::json;

class RecordBuilder {
 public:
  // An ad-hoc URL record with one target (the URL itself), unless targets are added explicitly.
  explicit RecordBuilder(std::string input, std::string kind = "url",
                         std::optional<std::string> service = std::nullopt) {
    static int counter = 0;
    const unsigned n = static_cast<unsigned>(++counter);
    char id[40];
    std::snprintf(id, sizeof id, "%08x-0000-4000-8000-%012x", n, n);
    j_ = {{"schema_version", "1.0"},
          {"software_name", "reachprobe"},
          {"software_version", "0.1.0"},
          {"measurement_id", id},
          {"measurement_start_time", "2026-11-29T07:00:00Z"},
          {"runtime", 1.0},
          {"stop_reason", "done"},
          {"vantage", "test"},
          {"probe_cc", "ZZ"},
          {"probe_asn", "AS0"},
          {"resolver", {{"address", "198.18.4.53"}, {"port", 53}, {"source", "cli"}}},
          {"catalogue_version", service ? json(*service) : json(nullptr)},
          {"service", service ? json(*service) : json(nullptr)},
          {"input", {{"kind", service ? "service" : kind}, {"value", input}}},
          {"targets", json::array()},
          {"options", {{"timeout", 5}, {"neutral_sni", "neutral.example.org"}, {"extra_trust_anchors", true}}},
          {"capture", "unavailable: test"},
          {"observations", json::array()}};
    if (!service) target(input, kind);
  }

  RecordBuilder& target(const std::string& ref, const std::string& kind, json healthy = nullptr) {
    json t = {{"ref", ref}, {"kind", kind}};
    if (!healthy.is_null()) t["healthy"] = healthy;
    j_["targets"].push_back(t);
    return *this;
  }

  int dns(const std::string& tg, const std::string& host, const std::vector<std::string>& addrs,
          const std::string& rcode = "NOERROR", json failure = nullptr, const std::string& qtype = "A") {
    json answers = json::array();
    for (const auto& a : addrs) answers.push_back({{"type", qtype}, {"value", a}, {"ttl", 60}});
    if (addrs.empty() && failure.is_null() && rcode == "NOERROR") failure = "dns_no_answer";
    return add(tg, "dns_query", failure,
               {{"hostname", host},
                {"query_type", qtype},
                {"resolver", "198.18.4.53:53"},
                {"rcode", rcode},
                {"answers", answers}});
  }

  int dnsx(const std::string& tg, const std::string& host, const std::string& purpose,
           const std::vector<std::vector<std::string>>& replies, json failure = nullptr) {
    json rs = json::array();
    double after = 0.001;
    for (const auto& r : replies) {
      json answers = json::array();
      for (const auto& a : r) answers.push_back({{"type", "A"}, {"value", a}, {"ttl", 60}});
      rs.push_back({{"after", after}, {"rcode", "NOERROR"}, {"answers", answers}});
      after += 0.3;
    }
    return add(tg, "dns_exchange", failure,
               {{"hostname", host},
                {"query_type", "A"},
                {"server", purpose == "injection_check" ? "198.18.4.99:53" : "198.18.4.53:53"},
                {"purpose", purpose},
                {"replies", rs},
                {"malformed", 0}});
  }

  // Returns the transaction number, to pass to tls().
  int tcp(const std::string& tg, const std::string& addr, int port, json failure = nullptr) {
    const int tx = ++tx_;
    add(tg, "tcp_connect", failure, {{"address", addr}, {"port", port}, {"transaction", tx}});
    return tx;
  }

  int tls(const std::string& tg, const std::string& addr, int port, int tx, const std::string& name,
          const std::string& sni_kind = "target", bool completed = true, json trusted = true, json failure = nullptr,
          json verr = nullptr, const std::string& trust = "system+extra") {
    json sni = sni_kind == "target" ? json(name) : sni_kind == "neutral" ? json("neutral.example.org") : json(nullptr);
    return add(tg, "tls_handshake", failure,
               {{"address", addr},
                {"port", port},
                {"transaction", tx},
                {"server_name", sni},
                {"sni_kind", sni_kind},
                {"verify_name", name},
                {"trust", trust},
                {"handshake_completed", completed},
                {"tls_version", completed ? json("TLSv1.3") : json(nullptr)},
                {"cipher_suite", nullptr},
                {"negotiated_alpn", nullptr},
                {"peer_certificates", json::array()},
                {"verification",
                 {{"trusted", completed ? trusted : json(nullptr)}, {"error", verr}, {"detail", nullptr}}}});
  }

  // status < 0: no response. verified: true/false for https, null for plain HTTP.
  int http(const std::string& tg, const std::string& url, json address, json verified, int status,
           const std::string& body = "", std::vector<std::pair<std::string, std::string>> headers = {}, int hop = 0,
           json redirect = nullptr, json failure = nullptr, json title = nullptr) {
    json resp = nullptr;
    if (status >= 0) {
      json hs = json::array();
      for (const auto& [n, v] : headers) hs.push_back({n, v});
      resp = {{"status", status},
              {"headers", hs},
              {"body_length", body.size()},
              {"body_truncated", false},
              {"body_sha256", fake_sha256(body)},
              {"title", title},
              {"body_prefix", body}};
    }
    return add(tg, "http_request", failure,
               {{"url", url},
                {"hop", hop},
                {"method", "GET"},
                {"address", address},
                {"tls_verified", verified},
                {"response", resp},
                {"redirect_location", redirect}});
  }

  // The whole healthy chain for an https URL: DNS, TCP, verified TLS, HTTP 200.
  RecordBuilder& https_ok(const std::string& url, const std::string& host, const std::string& addr, int status = 200,
                          const std::string& body = "<title>OK service</title>",
                          std::vector<std::pair<std::string, std::string>> headers = {}) {
    dns(url, host, {addr});
    const int tx = tcp(url, addr, 443);
    tls(url, addr, 443, tx, host);
    http(url, url, addr, true, status, body, std::move(headers));
    return *this;
  }

  // Id of the observation added last (tcp() returns a transaction number, captures cite observation ids).
  int last_id() const { return next_id_ - 1; }

  // One captured packet: kind syn_ack | rst | fin | data | dns_reply | icmp.
  static json packet(const std::string& kind, int ttl, std::vector<std::string> answers = {},
                     std::optional<std::string> from = std::nullopt) {
    static double t = 0;
    t += 0.001;
    json p = {{"t", t}, {"kind", kind}, {"ttl", ttl}, {"ip_id", 0}};
    if (kind == "dns_reply") p.update({{"dns_id", 1}, {"rcode", "NOERROR"}, {"answers", answers}});
    if (kind == "icmp") p.update({{"icmp_type", 3}, {"icmp_code", 3}, {"from", from ? json(*from) : json(nullptr)}});
    return p;
  }

  // A capture_summary of one flow that served the given observations.
  int capture(const std::string& tg, std::vector<int> steps, const std::string& protocol, const std::string& remote,
              std::vector<json> packets) {
    return add(tg, "capture_summary", nullptr,
               {{"steps", steps}, {"protocol", protocol}, {"remote", remote}, {"packets", packets}});
  }

  // A path_localization; hops as (ttl, trigger, companion) with routers named r<ttl>.
  struct Hop {
    int ttl;
    std::string trigger;
    std::optional<std::string> companion;
  };
  int path(const std::string& tg, const std::string& kind, const std::string& addr, int port, json interference,
           json destination, const std::vector<Hop>& hops, bool confirmed = true) {
    json hs = json::array();
    for (const auto& h : hops) {
      json hop = {{"ttl", h.ttl},
                  {"router", h.trigger == "ttl_expired" || h.companion == std::optional<std::string>("ttl_expired")
                                 ? json("198.51.100." + std::to_string(h.ttl))
                                 : json(nullptr)},
                  {"trigger", h.trigger},
                  {"control", nullptr}};
      if (h.companion) hop["companion"] = *h.companion;
      hs.push_back(hop);
    }
    auto router = [&](json ttl) -> json {
      if (!ttl.is_number_integer()) return nullptr;
      for (const auto& h : hs)
        if (h["ttl"] == ttl) return h["router"];
      return nullptr;
    };
    return add(tg, "path_localization", nullptr,
               {{"kind", kind},
                {"address", addr},
                {"port", port},
                {"trigger", "TCP SYN to port " + std::to_string(port)},
                {"control", nullptr},
                {"max_ttl", static_cast<int>(hops.size())},
                {"hops", hs},
                {"interference_ttl", interference},
                {"last_router_before",
                 interference.is_number_integer() ? router(interference.get<int>() - 1) : json(nullptr)},
                {"router_at", router(interference)},
                {"destination_ttl", destination},
                {"confirmed", confirmed}});
  }

  json& json_ref() { return j_; }

  // Not SHA-256, but 64 hex digits that differ when bodies differ, which is all the rules compare.
  static std::string fake_sha256(const std::string& body) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016zx", std::hash<std::string>{}(body));
    return std::string(buf) + buf + buf + buf;
  }
  Record build() const { return parse_record(j_); }

 private:
  int add(const std::string& tg, const char* type, json failure, json fields) {
    const int id = next_id_++;
    json o = {{"id", id}, {"type", type}, {"target", tg}, {"t0", t_}, {"t", t_ + 0.01}, {"failure", failure}};
    for (auto it = fields.begin(); it != fields.end(); ++it) o[it.key()] = it.value();
    t_ += 0.01;
    j_["observations"].push_back(o);
    return id;
  }

  json j_;
  int next_id_ = 0;
  int tx_ = 0;
  double t_ = 0;
};

// The shipped catalogue, loaded once.
inline const FingerprintCatalogue& shipped_fingerprints() {
  static const FingerprintCatalogue cat = FingerprintCatalogue::load_dirs(
      {std::string(REACHPROBE_DATA_DIR) + "/targets/fingerprints"});
  return cat;
}

// The bogon list as the lab runs reachanalyze (--allow-special-purpose): test records put real hosts in
// 198.18.0.0/15, as the lab does, so that range is ordinary here unless a test says otherwise.
inline const std::vector<Prefix>& lab_bogons() {
  static const std::vector<Prefix> list = default_bogons(AddressPolicy{.allow_special_purpose = true});
  return list;
}

// Runs the rule table on the first target of v (and the same target of c, if given).
inline Decision judge(const Record& v, const Record* c = nullptr,
                      const FingerprintCatalogue& fp = shipped_fingerprints(),
                      const std::vector<Prefix>& bogons = lab_bogons()) {
  const Side vs = make_side(v, v.targets.front());
  std::optional<Side> cs;
  if (c)
    if (const Target* t = c->find_target(v.targets.front().ref)) cs = make_side(*c, *t);
  const RuleContext ctx{vs, cs ? &*cs : nullptr, fp, bogons};
  return decide(ctx);
}

}  // namespace ra::test
