// Parsing and validation of measurement records (see record.h); errors name the JSON path that is wrong.
#include "record.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <unordered_set>

#include "jsonl.h"

namespace ra {

using nlohmann::json;

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) { throw RecordError(path + ": " + what); }

const json& field(const json& obj, const char* name, const std::string& path) {
  auto it = obj.find(name);
  if (it == obj.end()) fail(path.empty() ? name : path + "." + name, "missing");
  return *it;
}

std::string join(const std::string& path, const char* name) { return path.empty() ? name : path + "." + name; }

std::string get_string(const json& obj, const char* name, const std::string& path) {
  const json& v = field(obj, name, path);
  if (!v.is_string()) fail(join(path, name), "expected a string");
  return v.get<std::string>();
}

std::optional<std::string> get_opt_string(const json& obj, const char* name, const std::string& path,
                                          bool required = true) {
  auto it = obj.find(name);
  if (it == obj.end()) {
    if (required) fail(join(path, name), "missing");
    return std::nullopt;
  }
  if (it->is_null()) return std::nullopt;
  if (!it->is_string()) fail(join(path, name), "expected a string or null");
  return it->get<std::string>();
}

std::optional<bool> get_opt_bool(const json& obj, const char* name, const std::string& path, bool required = true) {
  auto it = obj.find(name);
  if (it == obj.end()) {
    if (required) fail(join(path, name), "missing");
    return std::nullopt;
  }
  if (it->is_null()) return std::nullopt;
  if (!it->is_boolean()) fail(join(path, name), "expected a boolean or null");
  return it->get<bool>();
}

bool get_bool(const json& obj, const char* name, const std::string& path) {
  const json& v = field(obj, name, path);
  if (!v.is_boolean()) fail(join(path, name), "expected a boolean");
  return v.get<bool>();
}

std::int64_t get_int(const json& obj, const char* name, const std::string& path, std::int64_t lo, std::int64_t hi) {
  const json& v = field(obj, name, path);
  if (!v.is_number_integer()) fail(join(path, name), "expected an integer");
  const auto x = v.get<std::int64_t>();
  if (x < lo || x > hi) fail(join(path, name), "out of range");
  return x;
}

double get_time(const json& obj, const char* name, const std::string& path) {
  const json& v = field(obj, name, path);
  if (!v.is_number()) fail(join(path, name), "expected a number");
  const double x = v.get<double>();
  if (!(x >= 0)) fail(join(path, name), "expected a number >= 0");
  return x;
}

const json& get_array(const json& obj, const char* name, const std::string& path, std::size_t max_items) {
  const json& v = field(obj, name, path);
  if (!v.is_array()) fail(join(path, name), "expected an array");
  if (v.size() > max_items) fail(join(path, name), "more than " + std::to_string(max_items) + " items");
  return v;
}

const json& get_object(const json& obj, const char* name, const std::string& path) {
  const json& v = field(obj, name, path);
  if (!v.is_object()) fail(join(path, name), "expected an object");
  return v;
}

std::string idx(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

HttpResponse parse_response(const json& r, const std::string& path) {
  HttpResponse out;
  out.status = static_cast<int>(get_int(r, "status", path, 0, 999));
  const json& headers = get_array(r, "headers", path, 200);
  for (std::size_t i = 0; i < headers.size(); ++i) {
    const json& h = headers[i];
    if (!h.is_array() || h.size() != 2 || !h[0].is_string() || !h[1].is_string())
      fail(idx(path + ".headers", i), "expected [name, value] strings");
    out.headers.emplace_back(h[0].get<std::string>(), h[1].get<std::string>());
  }
  out.title = get_opt_string(r, "title", path);
  out.body_prefix = get_string(r, "body_prefix", path);
  out.body_sha256 = get_string(r, "body_sha256", path);
  out.body_length = get_int(r, "body_length", path, 0, INT64_MAX);
  return out;
}

Observation parse_observation(const json& o, const std::string& path) {
  if (!o.is_object()) fail(path, "expected an object");
  Observation ob;
  ob.id = get_int(o, "id", path, 0, INT64_MAX);
  const std::string type = get_string(o, "type", path);
  ob.target = get_string(o, "target", path);
  ob.t0 = get_time(o, "t0", path);
  ob.t = get_time(o, "t", path);
  ob.failure = get_opt_string(o, "failure", path);
  if (type == "dns_query") {
    ob.type = ObsType::dns_query;
    ob.hostname = get_string(o, "hostname", path);
    ob.query_type = get_string(o, "query_type", path);
    ob.resolver = get_string(o, "resolver", path);
    ob.rcode = get_opt_string(o, "rcode", path);
    const json& answers = get_array(o, "answers", path, 512);
    for (std::size_t i = 0; i < answers.size(); ++i) {
      const std::string p = idx(path + ".answers", i);
      if (!answers[i].is_object()) fail(p, "expected an object");
      ob.answers.push_back({get_string(answers[i], "type", p), get_string(answers[i], "value", p)});
    }
  } else if (type == "dns_exchange") {
    ob.type = ObsType::dns_exchange;
    ob.hostname = get_string(o, "hostname", path);
    ob.query_type = get_string(o, "query_type", path);
    ob.server = get_string(o, "server", path);
    ob.purpose = get_string(o, "purpose", path);
    if (ob.purpose != "duplicate_watch" && ob.purpose != "injection_check")
      fail(join(path, "purpose"), "expected duplicate_watch or injection_check");
    const json& replies = get_array(o, "replies", path, 16);
    for (std::size_t i = 0; i < replies.size(); ++i) {
      const std::string p = idx(path + ".replies", i);
      if (!replies[i].is_object()) fail(p, "expected an object");
      DnsReply r;
      r.after = get_time(replies[i], "after", p);
      r.rcode = get_string(replies[i], "rcode", p);
      const json& answers = get_array(replies[i], "answers", p, 512);
      for (std::size_t k = 0; k < answers.size(); ++k) {
        const std::string q = idx(p + ".answers", k);
        if (!answers[k].is_object()) fail(q, "expected an object");
        r.answers.push_back({get_string(answers[k], "type", q), get_string(answers[k], "value", q)});
      }
      ob.replies.push_back(std::move(r));
    }
  } else if (type == "tcp_connect" || type == "tls_handshake") {
    ob.type = type == "tcp_connect" ? ObsType::tcp_connect : ObsType::tls_handshake;
    ob.address = get_string(o, "address", path);
    ob.port = static_cast<int>(get_int(o, "port", path, 0, 65535));
    ob.transaction = get_int(o, "transaction", path, 0, INT64_MAX);
    if (ob.type == ObsType::tls_handshake) {
      ob.server_name = get_opt_string(o, "server_name", path);
      ob.sni_kind = get_string(o, "sni_kind", path);
      if (ob.sni_kind != "target" && ob.sni_kind != "neutral" && ob.sni_kind != "none")
        fail(join(path, "sni_kind"), "expected target, neutral or none");
      ob.verify_name = get_string(o, "verify_name", path);
      ob.trust = get_string(o, "trust", path);
      ob.handshake_completed = get_bool(o, "handshake_completed", path);
      const json& v = get_object(o, "verification", path);
      ob.trusted = get_opt_bool(v, "trusted", join(path, "verification"));
      ob.verification_error = get_opt_string(v, "error", join(path, "verification"));
    }
  } else if (type == "http_request") {
    ob.type = ObsType::http_request;
    ob.url = get_string(o, "url", path);
    ob.hop = static_cast<int>(get_int(o, "hop", path, 0, 1000));
    ob.address = get_opt_string(o, "address", path).value_or("");
    ob.tls_verified = get_opt_bool(o, "tls_verified", path);
    ob.healthy_match = get_opt_bool(o, "healthy_match", path, /*required=*/false);
    const json& r = field(o, "response", path);
    if (!r.is_null()) {
      if (!r.is_object()) fail(join(path, "response"), "expected an object or null");
      ob.response = parse_response(r, join(path, "response"));
    }
    ob.redirect_location = get_opt_string(o, "redirect_location", path);
  } else if (type == "path_localization") {
    ob.type = ObsType::path_localization;
    ob.loc_kind = get_string(o, "kind", path);
    ob.address = get_string(o, "address", path);
    ob.port = static_cast<int>(get_int(o, "port", path, 0, 65535));
    auto opt_int = [&](const char* name) -> std::optional<int> {
      const json& v = field(o, name, path);
      if (v.is_null()) return std::nullopt;
      if (!v.is_number_integer() || v.get<std::int64_t>() < 0 || v.get<std::int64_t>() > 255)
        fail(join(path, name), "expected a TTL or null");
      return v.get<int>();
    };
    ob.interference_ttl = opt_int("interference_ttl");
    ob.destination_ttl = opt_int("destination_ttl");
    ob.last_router_before = get_opt_string(o, "last_router_before", path);
    ob.router_at = get_opt_string(o, "router_at", path);
    ob.confirmed = get_bool(o, "confirmed", path);
    // Hops are required by the schema, but the rules only need them as corroboration: tolerate their absence.
    if (o.contains("hops")) {
      const json& hops = get_array(o, "hops", path, 32);
      for (std::size_t i = 0; i < hops.size(); ++i) {
        const std::string p = idx(path + ".hops", i);
        if (!hops[i].is_object()) fail(p, "expected an object");
        PathHop h;
        h.ttl = static_cast<int>(get_int(hops[i], "ttl", p, 1, 255));
        h.router = get_opt_string(hops[i], "router", p, false);
        h.trigger = get_string(hops[i], "trigger", p);
        h.control = get_opt_string(hops[i], "control", p, false);
        h.companion = get_opt_string(hops[i], "companion", p, false);
        ob.hops.push_back(std::move(h));
      }
    }
  } else if (type == "capture_summary") {
    ob.type = ObsType::capture_summary;
    const json& steps = get_array(o, "steps", path, 8);
    for (std::size_t i = 0; i < steps.size(); ++i) {
      if (!steps[i].is_number_integer() || steps[i].get<std::int64_t>() < 0) fail(idx(path + ".steps", i), "expected an observation id");
      ob.steps.push_back(steps[i].get<std::int64_t>());
    }
    ob.protocol = get_string(o, "protocol", path);
    if (ob.protocol != "tcp" && ob.protocol != "udp") fail(join(path, "protocol"), "expected tcp or udp");
    ob.remote = get_string(o, "remote", path);
    const json& packets = get_array(o, "packets", path, 64);
    for (std::size_t i = 0; i < packets.size(); ++i) {
      const std::string p = idx(path + ".packets", i);
      const json& pk = packets[i];
      if (!pk.is_object()) fail(p, "expected an object");
      CapturedPacket c;
      c.t = get_time(pk, "t", p);
      c.kind = get_string(pk, "kind", p);
      static const std::set<std::string> kinds = {"syn_ack", "rst", "fin", "data", "dns_reply", "icmp"};
      if (!kinds.count(c.kind)) fail(join(p, "kind"), "unknown packet kind");
      c.ttl = static_cast<int>(get_int(pk, "ttl", p, 0, 255));
      c.ip_id = static_cast<int>(get_int(pk, "ip_id", p, 0, 65535));
      c.rcode = get_opt_string(pk, "rcode", p, false);
      if (pk.contains("answers")) {
        const json& answers = get_array(pk, "answers", p, 512);
        for (std::size_t k = 0; k < answers.size(); ++k) {
          if (!answers[k].is_string()) fail(idx(p + ".answers", k), "expected a string");
          c.answers.push_back(answers[k].get<std::string>());
        }
      }
      if (pk.contains("icmp_type")) c.icmp_type = static_cast<int>(get_int(pk, "icmp_type", p, 0, 255));
      c.from = get_opt_string(pk, "from", p, false);
      ob.packets.push_back(std::move(c));
    }
  } else {
    // A newer probe may record kinds of steps this analyser does not know: they are kept out of the
    // analysis (never guessed at) without losing the rest of the record.
    ob.type = ObsType::unknown;
  }
  return ob;
}

HealthyRule parse_healthy(const json& h, const std::string& path) {
  if (!h.is_object()) fail(path, "expected an object");
  HealthyRule out;
  if (auto it = h.find("status"); it != h.end()) {
    if (!it->is_array()) fail(path + ".status", "expected an array");
    for (const auto& s : *it) {
      if (!s.is_number_integer()) fail(path + ".status", "expected integers");
      out.status.push_back(s.get<int>());
    }
  }
  out.body_contains = get_opt_string(h, "body_contains", path, false);
  out.title_contains = get_opt_string(h, "title_contains", path, false);
  out.any_authenticated_tls = get_opt_bool(h, "any_authenticated_tls", path, false).value_or(false);
  return out;
}

}  // namespace

std::optional<std::string> HttpResponse::header(const std::string& name) const {
  for (const auto& [n, v] : headers) {
    if (n.size() == name.size() &&
        std::equal(n.begin(), n.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        }))
      return v;
  }
  return std::nullopt;
}

const Target* Record::find_target(const std::string& ref) const {
  for (const auto& t : targets)
    if (t.ref == ref) return &t;
  return nullptr;
}

Record parse_record(const json& j) {
  if (!j.is_object()) fail("(record)", "expected a JSON object");
  Record r;
  r.measurement_id = get_string(j, "measurement_id", "");
  if (r.measurement_id.empty() || r.measurement_id.size() > 64) fail("measurement_id", "empty or too long");
  for (char c : r.measurement_id)
    if (!(std::isxdigit(static_cast<unsigned char>(c)) || c == '-')) fail("measurement_id", "not a UUID");
  if (auto sv = j.find("schema_version"); sv != j.end() && (!sv->is_string() || sv->get<std::string>() != "1.0"))
    fail("schema_version", "unsupported (this reachanalyze reads 1.0)");
  r.start_time = get_string(j, "measurement_start_time", "");
  r.vantage = get_string(j, "vantage", "");
  r.probe_cc = get_string(j, "probe_cc", "");
  r.probe_asn = get_string(j, "probe_asn", "");
  r.stop_reason = get_string(j, "stop_reason", "");
  r.capture = get_opt_string(j, "capture", "", false).value_or("");
  r.catalogue_version = get_opt_string(j, "catalogue_version", "");
  r.service = get_opt_string(j, "service", "");
  const json& input = get_object(j, "input", "");
  r.input_kind = get_string(input, "kind", "input");
  r.input_value = get_string(input, "value", "input");

  const json& targets = get_array(j, "targets", "", 4096);
  std::unordered_set<std::string> refs;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const std::string p = idx("targets", i);
    if (!targets[i].is_object()) fail(p, "expected an object");
    Target t;
    t.ref = get_string(targets[i], "ref", p);
    t.kind = get_string(targets[i], "kind", p);
    if (t.kind != "url" && t.kind != "endpoint" && t.kind != "domain") fail(p + ".kind", "expected url, endpoint or domain");
    if (auto it = targets[i].find("healthy"); it != targets[i].end()) t.healthy = parse_healthy(*it, p + ".healthy");
    if (!refs.insert(t.ref).second) fail(p + ".ref", "duplicate target ref");
    r.targets.push_back(std::move(t));
  }

  const json& obs = get_array(j, "observations", "", 100000);
  std::set<std::int64_t> ids;
  r.observations.reserve(obs.size());
  for (std::size_t i = 0; i < obs.size(); ++i) {
    const std::string p = idx("observations", i);
    Observation o = parse_observation(obs[i], p);
    if (!ids.insert(o.id).second) fail(p + ".id", "duplicate observation id " + std::to_string(o.id));
    if (!refs.count(o.target)) fail(p + ".target", "names no entry of targets");
    if (o.type != ObsType::unknown) r.observations.push_back(std::move(o));
  }
  return r;
}

std::string InputError::to_string() const {
  if (line == 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ": " + message;
}

LoadResult load_records(std::istream& in, const std::string& file, const Limits& limits) {
  LoadResult out;
  LineReader reader(in, limits.max_line_bytes);
  std::unordered_set<std::string> seen_ids;
  std::size_t accepted_or_tried = 0;
  while (auto line = reader.next()) {
    if (line->too_long) {
      out.errors.push_back({file, line->number,
                            "line longer than " + std::to_string(limits.max_line_bytes) + " bytes; skipped"});
      continue;
    }
    // Blank lines are harmless (e.g. a trailing newline pair); ignore them.
    if (std::all_of(line->text.begin(), line->text.end(), [](char c) { return c == ' ' || c == '\t'; })) continue;
    if (++accepted_or_tried > limits.max_records) {
      out.errors.push_back({file, line->number,
                            "more than " + std::to_string(limits.max_records) + " records; the rest of the file was not read"});
      break;
    }
    json j = json::parse(line->text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) {
      out.errors.push_back({file, line->number,
                            line->unterminated ? "not valid JSON (the file ends mid-record: truncated?); skipped"
                                               : "not valid JSON; skipped"});
      continue;
    }
    try {
      Record r = parse_record(j);
      r.file = file;
      r.line = line->number;
      if (!seen_ids.insert(r.measurement_id).second) {
        out.errors.push_back({file, line->number, "duplicate measurement_id " + r.measurement_id + "; skipped"});
        continue;
      }
      out.records.push_back(std::move(r));
    } catch (const RecordError& e) {
      out.errors.push_back({file, line->number, std::string("invalid record: ") + e.what() + "; skipped"});
    }
  }
  return out;
}

}  // namespace ra
