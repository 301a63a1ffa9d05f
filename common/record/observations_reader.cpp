// The observation reader. Fields reachanalyze's rules depend on are required; the rest (certificates, cipher,
// ...) default when absent, so that records written by older probes still read.
#include "record/observations_reader.h"

#include <cstdint>

namespace rp {
namespace {

using nlohmann::json;
using namespace json_fields;

MaybeFailure get_failure(const json& obj, const char* name, const std::string& path) {
  const auto text = get_opt_string(obj, name, path);
  if (!text) return std::nullopt;
  const auto f = parse_failure(*text);
  if (!f) fail(join(path, name), "unknown failure \"" + text->substr(0, 64) + "\"");
  return f;
}

template <typename E>
E get_named(const json& obj, const char* name, const std::string& path) {
  return get_enum<E>(obj, name, path, [](const std::string& t) { return parse_enum<E>(t); });
}

template <typename E>
std::optional<E> get_opt_named(const json& obj, const char* name, const std::string& path) {
  const auto text = get_opt_string(obj, name, path, /*required=*/false);
  if (!text) return std::nullopt;
  const auto value = parse_enum<E>(*text);
  if (!value) fail(join(path, name), "unknown value \"" + text->substr(0, 64) + "\"");
  return value;
}

DnsType get_query_type(const json& obj, const std::string& path) {
  return get_enum<DnsType>(obj, "query_type", path, [](const std::string& t) { return parse_dns_type(t); });
}

std::optional<std::string> get_lenient_string(const json& obj, const char* name, const std::string& path) {
  return get_opt_string(obj, name, path, /*required=*/false);
}

std::optional<int> get_opt_int(const json& obj, const char* name, const std::string& path, int lo, int hi) {
  auto it = obj.find(name);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  return static_cast<int>(get_int(obj, name, path, lo, hi));
}

void read_base(const json& o, const std::string& path, ObservationBase& b) {
  b.id = static_cast<int>(get_int(o, "id", path, 0, INT32_MAX));
  b.target = get_string(o, "target", path);
  b.t0 = get_time(o, "t0", path);
  b.t = get_time(o, "t", path);
  b.failure = get_failure(o, "failure", path);
}

std::vector<DnsAnswerRecord> read_answers(const json& obj, const std::string& path) {
  std::vector<DnsAnswerRecord> out;
  const json& answers = get_array(obj, "answers", path, 512);
  for (std::size_t i = 0; i < answers.size(); ++i) {
    const std::string p = index(join(path, "answers"), i);
    if (!answers[i].is_object()) fail(p, "expected an object");
    DnsAnswerRecord a;
    a.type = get_string(answers[i], "type", p);
    a.name = get_lenient_string(answers[i], "name", p).value_or("");
    a.value = get_string(answers[i], "value", p);
    if (answers[i].contains("ttl")) a.ttl = static_cast<uint32_t>(get_int(answers[i], "ttl", p, 0, UINT32_MAX));
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<std::string> read_strings(const json& obj, const char* name, const std::string& path, std::size_t max) {
  std::vector<std::string> out;
  if (!obj.contains(name)) return out;
  const json& items = get_array(obj, name, path, max);
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i].is_string()) fail(index(join(path, name), i), "expected a string");
    out.push_back(items[i].get<std::string>());
  }
  return out;
}

Observation read_dns_query(const json& o, const std::string& path) {
  DnsQueryObservation ob;
  read_base(o, path, ob);
  ob.hostname = get_string(o, "hostname", path);
  ob.query_type = get_query_type(o, path);
  ob.resolver = get_string(o, "resolver", path);
  ob.rcode = get_opt_string(o, "rcode", path);
  ob.answers = read_answers(o, path);
  return ob;
}

Observation read_dns_exchange(const json& o, const std::string& path) {
  DnsExchangeObservation ob;
  read_base(o, path, ob);
  ob.hostname = get_string(o, "hostname", path);
  ob.query_type = get_query_type(o, path);
  ob.server = get_string(o, "server", path);
  ob.purpose = get_enum<DnsPurpose>(o, "purpose", path, [&](const std::string& t) {
    const auto p = parse_enum<DnsPurpose>(t);
    if (!p) fail(join(path, "purpose"), "expected duplicate_watch or injection_check");
    return p;
  });
  const json& replies = get_array(o, "replies", path, 16);
  for (std::size_t i = 0; i < replies.size(); ++i) {
    const std::string p = index(join(path, "replies"), i);
    if (!replies[i].is_object()) fail(p, "expected an object");
    DnsExchangeReplyRecord r;
    r.after = get_time(replies[i], "after", p);
    r.rcode = get_string(replies[i], "rcode", p);
    r.answers = read_answers(replies[i], p);
    ob.replies.push_back(std::move(r));
  }
  if (o.contains("malformed")) ob.malformed = static_cast<int>(get_int(o, "malformed", path, 0, INT32_MAX));
  return ob;
}

Observation read_tcp_connect(const json& o, const std::string& path) {
  TcpConnectObservation ob;
  read_base(o, path, ob);
  ob.address = get_string(o, "address", path);
  ob.port = static_cast<uint16_t>(get_int(o, "port", path, 0, 65535));
  ob.hostname = get_lenient_string(o, "hostname", path);
  ob.transaction = static_cast<int>(get_int(o, "transaction", path, 0, INT32_MAX));
  return ob;
}

Observation read_tls_handshake(const json& o, const std::string& path) {
  TlsHandshakeObservation ob;
  read_base(o, path, ob);
  ob.address = get_string(o, "address", path);
  ob.port = static_cast<uint16_t>(get_int(o, "port", path, 0, 65535));
  ob.transaction = static_cast<int>(get_int(o, "transaction", path, 0, INT32_MAX));
  ob.server_name = get_opt_string(o, "server_name", path);
  ob.sni_kind = get_enum<SniKind>(o, "sni_kind", path, [&](const std::string& t) {
    const auto k = parse_enum<SniKind>(t);
    if (!k) fail(join(path, "sni_kind"), "expected target, neutral or none");
    return k;
  });
  ob.verify_name = get_string(o, "verify_name", path);
  ob.trust = get_string(o, "trust", path);
  ob.handshake_completed = get_bool(o, "handshake_completed", path);
  ob.tls_version = get_lenient_string(o, "tls_version", path);
  ob.cipher_suite = get_lenient_string(o, "cipher_suite", path);
  ob.negotiated_alpn = get_lenient_string(o, "negotiated_alpn", path);
  ob.peer_certificates = read_strings(o, "peer_certificates", path, 64);
  const std::string vpath = join(path, "verification");
  const json& v = get_object(o, "verification", path);
  ob.trusted = get_opt_bool(v, "trusted", vpath);
  ob.verification_error = get_failure(v, "error", vpath);
  ob.verification_detail = get_lenient_string(v, "detail", vpath);
  return ob;
}

HttpResponseRecord read_response(const json& r, const std::string& path) {
  HttpResponseRecord out;
  out.status = static_cast<long>(get_int(r, "status", path, 0, 999));
  const json& headers = get_array(r, "headers", path, 200);
  for (std::size_t i = 0; i < headers.size(); ++i) {
    const json& h = headers[i];
    if (!h.is_array() || h.size() != 2 || !h[0].is_string() || !h[1].is_string())
      fail(index(join(path, "headers"), i), "expected [name, value] strings");
    out.headers.emplace_back(h[0].get<std::string>(), h[1].get<std::string>());
  }
  out.title = get_opt_string(r, "title", path);
  out.body_prefix = get_string(r, "body_prefix", path);
  out.body_sha256 = get_string(r, "body_sha256", path);
  out.body_length = static_cast<std::size_t>(get_int(r, "body_length", path, 0, INT64_MAX));
  out.body_truncated = get_opt_bool(r, "body_truncated", path, /*required=*/false).value_or(false);
  return out;
}

Observation read_http_request(const json& o, const std::string& path) {
  HttpRequestObservation ob;
  read_base(o, path, ob);
  ob.url = get_string(o, "url", path);
  ob.hop = static_cast<int>(get_int(o, "hop", path, 0, 1000));
  ob.address = get_opt_string(o, "address", path);
  ob.tls_verified = get_opt_bool(o, "tls_verified", path);
  ob.healthy_match = get_opt_bool(o, "healthy_match", path, /*required=*/false);
  const json& r = field(o, "response", path);
  if (!r.is_null()) {
    if (!r.is_object()) fail(join(path, "response"), "expected an object or null");
    ob.response = read_response(r, join(path, "response"));
  }
  ob.redirect_location = get_opt_string(o, "redirect_location", path);
  return ob;
}

std::optional<int> get_ttl_or_null(const json& o, const char* name, const std::string& path) {
  const json& v = field(o, name, path);
  if (v.is_null()) return std::nullopt;
  if (!v.is_number_integer() || v.get<std::int64_t>() < 0 || v.get<std::int64_t>() > 255)
    fail(join(path, name), "expected a TTL or null");
  return v.get<int>();
}

Observation read_path_localization(const json& o, const std::string& path) {
  PathLocalizationObservation ob;
  read_base(o, path, ob);
  ob.kind = get_named<LocalizationKind>(o, "kind", path);
  ob.address = get_string(o, "address", path);
  ob.port = static_cast<uint16_t>(get_int(o, "port", path, 0, 65535));
  ob.trigger = get_lenient_string(o, "trigger", path).value_or("");
  ob.control = get_lenient_string(o, "control", path);
  ob.max_ttl = get_opt_int(o, "max_ttl", path, 0, 255).value_or(0);
  ob.interference_ttl = get_ttl_or_null(o, "interference_ttl", path);
  ob.destination_ttl = get_ttl_or_null(o, "destination_ttl", path);
  ob.last_router_before = get_opt_string(o, "last_router_before", path);
  ob.router_at = get_opt_string(o, "router_at", path);
  ob.confirmed = get_bool(o, "confirmed", path);
  // Hops are required by the schema, but the rules only need them as corroboration: tolerate their absence.
  if (o.contains("hops")) {
    const json& hops = get_array(o, "hops", path, 32);
    for (std::size_t i = 0; i < hops.size(); ++i) {
      const std::string p = index(join(path, "hops"), i);
      if (!hops[i].is_object()) fail(p, "expected an object");
      PathHopRecord h;
      h.ttl = static_cast<int>(get_int(hops[i], "ttl", p, 1, 255));
      h.router = get_opt_string(hops[i], "router", p, false);
      h.trigger = get_named<HopOutcome>(hops[i], "trigger", p);
      h.control = get_opt_named<HopOutcome>(hops[i], "control", p);
      h.companion = get_opt_named<HopOutcome>(hops[i], "companion", p);
      ob.hops.push_back(std::move(h));
    }
  }
  return ob;
}

Observation read_capture_summary(const json& o, const std::string& path) {
  CaptureSummaryObservation ob;
  read_base(o, path, ob);
  const json& steps = get_array(o, "steps", path, 8);
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (!steps[i].is_number_integer() || steps[i].get<std::int64_t>() < 0 || steps[i].get<std::int64_t>() > INT32_MAX)
      fail(index(join(path, "steps"), i), "expected an observation id");
    ob.steps.push_back(steps[i].get<int>());
  }
  ob.protocol = get_enum<FlowProtocol>(o, "protocol", path, [&](const std::string& t) {
    const auto p = parse_enum<FlowProtocol>(t);
    if (!p) fail(join(path, "protocol"), "expected tcp or udp");
    return p;
  });
  ob.remote = get_string(o, "remote", path);
  const json& packets = get_array(o, "packets", path, 64);
  for (std::size_t i = 0; i < packets.size(); ++i) {
    const std::string p = index(join(path, "packets"), i);
    const json& pk = packets[i];
    if (!pk.is_object()) fail(p, "expected an object");
    CapturedPacketRecord c;
    c.t = get_time(pk, "t", p);
    c.kind = get_enum<PacketKind>(pk, "kind", p, [&](const std::string& t) {
      const auto k = parse_enum<PacketKind>(t);
      if (!k) fail(join(p, "kind"), "unknown packet kind");
      return k;
    });
    c.ttl = static_cast<int>(get_int(pk, "ttl", p, 0, 255));
    c.ip_id = static_cast<int>(get_int(pk, "ip_id", p, 0, 65535));
    c.dns_id = get_opt_int(pk, "dns_id", p, 0, 65535);
    c.rcode = get_opt_string(pk, "rcode", p, false);
    c.answers = read_strings(pk, "answers", p, 512);
    c.icmp_type = get_opt_int(pk, "icmp_type", p, 0, 255);
    c.icmp_code = get_opt_int(pk, "icmp_code", p, 0, 255);
    c.from = get_opt_string(pk, "from", p, false);
    ob.packets.push_back(std::move(c));
  }
  return ob;
}

struct Reader {
  std::string_view type;
  Observation (*read)(const json&, const std::string&);
};

// One row per observation shape, in the order the variant lists them.
constexpr Reader kReaders[] = {
    {"dns_query", read_dns_query},
    {"dns_exchange", read_dns_exchange},
    {"tcp_connect", read_tcp_connect},
    {"tls_handshake", read_tls_handshake},
    {"http_request", read_http_request},
    {"path_localization", read_path_localization},
    {"capture_summary", read_capture_summary},
};
static_assert(std::size(kReaders) == std::variant_size_v<Observation>);

}  // namespace

std::optional<Observation> read_observation(const json& o, const std::string& path) {
  if (!o.is_object()) fail(path, "expected an object");
  // The common fields first, so that an unknown type with a broken id is still an error.
  ObservationBase base;
  read_base(o, path, base);
  const std::string type = get_string(o, "type", path);
  for (const Reader& r : kReaders)
    if (r.type == type) return r.read(o, path);
  return std::nullopt;
}

std::string_view type_name(const Observation& obs) { return kReaders[obs.index()].type; }

}  // namespace rp
