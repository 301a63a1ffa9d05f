// Per-target features (see target_features.h): small pure functions over one side's observations. (Not named features.h: that would shadow glibc's <features.h>.)
#include "target_features.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <variant>

#include "facts/record_kinds.h"
#include "netaddr.h"
#include "text/text.h"

namespace ra {

namespace {

// Splits "host[:port]" or "[v6][:port]" into host and port (default_port when absent).
bool split_host_port(const std::string& hp, int default_port, std::string& host, int& port) {
  port = default_port;
  std::string rest;
  if (!hp.empty() && hp.front() == '[') {
    const auto close = hp.find(']');
    if (close == std::string::npos) return false;
    host = hp.substr(1, close - 1);
    rest = hp.substr(close + 1);
  } else {
    const auto colon = hp.rfind(':');
    if (colon != std::string::npos && hp.find(':') == colon) {
      host = hp.substr(0, colon);
      rest = hp.substr(colon);
    } else {
      host = hp;  // bare host, or a bare IPv6 literal
    }
  }
  if (!rest.empty()) {
    if (rest.front() != ':' || rest.size() < 2 || rest.size() > 6) return false;
    port = 0;
    for (char c : rest.substr(1)) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
      port = port * 10 + (c - '0');
    }
    if (port > 65535) return false;
  }
  host = rp::ascii_lower(host);
  return !host.empty();
}

}  // namespace

std::optional<TargetAddress> parse_target_ref(const std::string& ref, const std::string& kind) {
  const auto k = rp::parse_enum<rp::TargetRefKind>(kind);
  if (!k) return std::nullopt;
  return parse_target_ref(ref, *k);
}

std::optional<TargetAddress> parse_target_ref(const std::string& ref, rp::TargetRefKind kind) {
  TargetAddress a;
  if (kind == rp::TargetRefKind::url) {
    const auto sep = ref.find("://");
    if (sep == std::string::npos) return std::nullopt;
    a.scheme = rp::ascii_lower(ref.substr(0, sep));
    if (a.scheme != "http" && a.scheme != "https") return std::nullopt;
    std::string rest = ref.substr(sep + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (const auto at = rest.rfind('@'); at != std::string::npos) rest = rest.substr(at + 1);
    if (!split_host_port(rest, a.scheme == "https" ? 443 : 80, a.host, a.port)) return std::nullopt;
    return a;
  }
  if (kind == rp::TargetRefKind::endpoint) {
    const auto slash = ref.rfind('/');
    if (slash == std::string::npos) return std::nullopt;
    a.scheme = ref.substr(slash + 1);
    if (a.scheme != "tls" && a.scheme != "tcp") return std::nullopt;
    if (!split_host_port(ref.substr(0, slash), 0, a.host, a.port) || a.port == 0) return std::nullopt;
    return a;
  }
  if (kind == rp::TargetRefKind::domain) {
    if (ref.rfind("dns:", 0) != 0 || ref.size() == 4) return std::nullopt;
    a.scheme = "dns";
    a.host = rp::ascii_lower(ref.substr(4));
    return a;
  }
  return std::nullopt;
}

std::string Side::cite(const rp::ObservationBase* o) const { return rec->measurement_id + "#" + std::to_string(o->id); }

namespace {

// Files each observation of the target in the side's list of its type.
struct SideFiler {
  Side& s;
  void operator()(const rp::DnsQueryObservation& o) const { s.dns.push_back(&o); }
  void operator()(const rp::DnsExchangeObservation& o) const { s.dnsx.push_back(&o); }
  void operator()(const rp::TcpConnectObservation& o) const { s.tcp.push_back(&o); }
  void operator()(const rp::TlsHandshakeObservation& o) const { s.tls.push_back(&o); }
  void operator()(const rp::HttpRequestObservation& o) const { s.http.push_back(&o); }
  void operator()(const rp::PathLocalizationObservation& o) const { s.paths.push_back(&o); }
  void operator()(const rp::CaptureSummaryObservation& o) const { s.captures.push_back(&o); }
};

template <typename T>
const T* find_in(const std::vector<const T*>& list, const rp::ObservationBase* o) {
  for (const T* x : list)
    if (static_cast<const rp::ObservationBase*>(x) == o) return x;
  return nullptr;
}

}  // namespace

Side make_side(const Record& rec, const Target& target) {
  Side s;
  s.rec = &rec;
  s.target = &target;
  s.where = parse_target_ref(target.ref, target.kind).value_or(TargetAddress{});
  for (const auto& o : rec.observations)
    if (rp::base_of(o).target == target.ref) std::visit(SideFiler{s}, o);
  std::stable_sort(s.http.begin(), s.http.end(),
                   [](const rp::HttpRequestObservation* a, const rp::HttpRequestObservation* b) {
                     return a->hop != b->hop ? a->hop < b->hop : a->t0 < b->t0;
                   });
  return s;
}

std::string address_of(const Side& s, const rp::ObservationBase* o) {
  if (const auto* t = find_in(s.tcp, o)) return t->address;
  if (const auto* t = find_in(s.tls, o)) return t->address;
  if (const auto* h = find_in(s.http, o)) return h->address.value_or("");
  if (const auto* p = find_in(s.paths, o)) return p->address;
  return "";
}

Resolution resolve(const Side& s, const std::string& host) {
  Resolution r;
  const std::string h = rp::ascii_lower(host);
  for (const auto* q : s.dns) {
    if (rp::ascii_lower(q->hostname) != h) continue;
    r.queries.push_back(q);
    for (const auto& a : q->answers)
      if (is_address_record(a)) r.addresses.insert(a.value);
    if (q->failure == rp::Failure::dns_nxdomain_error || (q->rcode && *q->rcode == "NXDOMAIN")) r.nxdomain = true;
  }
  if (r.addresses.empty()) {
    if (r.nxdomain) {
      r.failure = rp::Failure::dns_nxdomain_error;
    } else {
      // An A failure explains more than an AAAA "no answer" (plenty of services have no IPv6).
      for (const auto* q : r.queries)
        if (q->failure && (!r.failure || *r.failure == rp::Failure::dns_no_answer)) r.failure = q->failure;
      if (!r.failure && !r.queries.empty()) r.failure = rp::Failure::dns_no_answer;
    }
  }
  return r;
}

std::vector<std::string> queried_hosts(const Side& s) {
  std::vector<std::string> out;
  for (const auto* q : s.dns) {
    const std::string h = rp::ascii_lower(q->hostname);
    if (std::find(out.begin(), out.end(), h) == out.end()) out.push_back(h);
  }
  return out;
}

bool authenticated(const rp::TlsHandshakeObservation& tls) {
  return names_target(tls) && tls.handshake_completed && tls.trusted.value_or(false) && !tls.failure;
}

std::set<std::string> validated_addresses(const Side& s) {
  std::set<std::string> out;
  for (const auto* t : s.tls)
    if (authenticated(*t)) out.insert(t->address);
  for (const auto* h : s.http)
    if (h->tls_verified.value_or(false) && h->response && h->address && !h->address->empty()) out.insert(*h->address);
  return out;
}

const rp::HttpRequestObservation* final_http(const Side& s) { return s.http.empty() ? nullptr : s.http.back(); }

bool healthy(const Side& s, const rp::HttpRequestObservation& h) {
  if (!h.response) return false;
  if (h.healthy_match) return *h.healthy_match;
  const rp::HttpResponseRecord& r = *h.response;
  // A record holds only the body's prefix: a body_contains past it reads as absent, as it did for the probe
  // when the body was cut at the same bound.
  if (s.target && s.target->healthy)
    return rp::meets_healthy_rule(*s.target->healthy,
                                  rp::ResponseFacts{.status = r.status,
                                                    .title = r.title,
                                                    .body = r.body_prefix,
                                                    .tls_verified = h.tls_verified.value_or(false)});
  return r.status >= 200 && r.status <= 299;
}

std::optional<std::string> first_header(const rp::HttpResponseRecord& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (rp::iequals_ascii(n, name)) return v;
  }
  return std::nullopt;
}

std::string to_string(Stage s) {
  switch (s) {
    case Stage::reached: return "reached";
    case Stage::no_data: return "no_data";
    case Stage::dns: return "dns";
    case Stage::tcp: return "tcp";
    case Stage::tls: return "tls";
    case Stage::http: return "http";
    case Stage::http_status: return "http_status";
  }
  return "?";
}

namespace {

// A connect to `host`: named so by the probe, or (in a record that names no host) to it or one of its answers.
bool connects_to(const rp::TcpConnectObservation& t, const std::string& host, const std::set<std::string>& answers) {
  if (t.hostname) return rp::ascii_lower(*t.hostname) == host;
  return t.address == host || answers.count(t.address) > 0;
}

// Where the last request redirected to, when that is another host the probe went on to measure (resolved or
// connected to) without ever fetching it; nullopt otherwise.
std::optional<TargetAddress> stalled_redirect(const Side& s) {
  const rp::HttpRequestObservation* last = final_http(s);
  if (!last || !last->redirect_location) return std::nullopt;
  const auto from = parse_target_ref(last->url, rp::TargetRefKind::url);
  const auto to = parse_target_ref(*last->redirect_location, rp::TargetRefKind::url);
  if (!from || !to || to->host == from->host) return std::nullopt;
  const std::set<std::string> answers = resolve(s, to->host).addresses;
  const auto connected = [&](const rp::TcpConnectObservation* t) { return connects_to(*t, to->host, answers); };
  const auto queried = [&](const rp::DnsQueryObservation* q) { return rp::ascii_lower(q->hostname) == to->host; };
  const bool measured = std::any_of(s.tcp.begin(), s.tcp.end(), connected) ||
                        std::any_of(s.dns.begin(), s.dns.end(), queried);
  if (!measured) return std::nullopt;
  return to;
}

// The side as far as one redirect hop's new host goes: its own connects and handshakes, no HTTP.
Side at_redirect_host(const Side& s, const TargetAddress& to) {
  Side hop = s;
  hop.where = to;
  hop.tcp.clear();
  hop.tls.clear();
  hop.http.clear();
  const std::set<std::string> answers = resolve(s, to.host).addresses;
  for (const auto* t : s.tcp)
    if (connects_to(*t, to.host, answers)) hop.tcp.push_back(t);
  for (const auto* t : s.tls)
    if (rp::ascii_lower(t->verify_name) == to.host) hop.tls.push_back(t);
  return hop;
}

}  // namespace

Outcome outcome(const Side& s) {
  if (const auto to = stalled_redirect(s)) {
    Outcome at_hop = outcome(at_redirect_host(s, *to));
    if (at_hop.stage != Stage::no_data) return at_hop;
  }
  Outcome out;
  if (s.empty()) return out;
  // DNS: only when the target's own name had to be resolved and the probe recorded it.
  if (!s.where.host.empty() && !is_ip_literal(s.where.host)) {
    const Resolution r = resolve(s, s.where.host);
    if (!r.queries.empty() && r.addresses.empty()) {
      out.stage = Stage::dns;
      out.failure = rp::to_string(r.failure.value_or(rp::Failure::dns_no_answer));
      out.obs.assign(r.queries.begin(), r.queries.end());
      return out;
    }
    if (s.where.scheme == "dns" && !r.addresses.empty()) {
      out.stage = Stage::reached;
      out.obs.assign(r.queries.begin(), r.queries.end());
      return out;
    }
  }
  if (!s.tcp.empty() &&
      std::none_of(s.tcp.begin(), s.tcp.end(), [](const rp::TcpConnectObservation* o) { return !o->failure; })) {
    out.stage = Stage::tcp;
    out.failure = rp::to_string(*s.tcp.front()->failure);
    out.obs.assign(s.tcp.begin(), s.tcp.end());
    return out;
  }
  if (s.where.scheme == "tcp") {
    if (!s.tcp.empty()) {
      out.stage = Stage::reached;
      for (const auto* o : s.tcp)
        if (!o->failure) out.obs.push_back(o);
    }
    return out;
  }
  if (s.uses_tls()) {
    std::vector<const rp::TlsHandshakeObservation*> target_hs;
    for (const auto* t : s.tls)
      if (names_target(*t)) target_hs.push_back(t);
    const bool ok = std::any_of(target_hs.begin(), target_hs.end(),
                                [](const rp::TlsHandshakeObservation* t) { return authenticated(*t); });
    if (!target_hs.empty() && !ok) {
      out.stage = Stage::tls;
      const rp::TlsHandshakeObservation* first = target_hs.front();
      out.failure = rp::to_string(
          first->failure.value_or(first->verification_error.value_or(rp::Failure::ssl_failed_handshake)));
      out.obs.assign(target_hs.begin(), target_hs.end());
      return out;
    }
    if (s.where.scheme == "tls") {
      if (ok) {
        out.stage = Stage::reached;
        out.authenticated = true;
        for (const auto* t : target_hs)
          if (authenticated(*t)) out.obs.push_back(t);
      }
      return out;
    }
  }
  const rp::HttpRequestObservation* last = final_http(s);
  if (!last) return out;  // a URL with no HTTP step: nothing to judge
  out.obs = {last};
  if (!last->response) {
    out.stage = Stage::http;
    out.failure = rp::to_string(last->failure.value_or(rp::Failure::http_invalid_response));
    return out;
  }
  out.status = static_cast<int>(last->response->status);
  if (!healthy(s, *last) || last->failure) {
    out.stage = Stage::http_status;
    out.failure = last->failure ? std::string(rp::to_string(*last->failure)) : "status " + std::to_string(out.status);
    return out;
  }
  out.stage = Stage::reached;
  out.authenticated = last->tls_verified.value_or(false);
  return out;
}

std::string mechanism_for(Stage stage, const std::string& key, int status) {
  using rp::Failure;
  const rp::MaybeFailure f = failure_named(key);
  const bool reset = reset_like(f);
  const bool timeout = timeout_like(f);
  switch (stage) {
    case Stage::reached: return "none";
    case Stage::no_data: return "none";
    case Stage::dns:
      if (f == Failure::dns_nxdomain_error) return "dns.nxdomain";
      if (f == Failure::dns_servfail_error) return "dns.servfail";
      if (f == Failure::dns_refused_error) return "dns.refused";
      if (f == Failure::dns_no_answer) return "dns.no_answer";
      if (f == Failure::dns_server_misbehaving) return "dns.malformed";
      if (timeout) return "dns.timeout";
      return "dns.failure";
    case Stage::tcp:
      if (reset) return "tcp.reset";
      if (timeout) return "tcp.timeout";
      if (f == Failure::host_unreachable || f == Failure::network_unreachable) return "tcp.unreachable";
      return "tcp.failure";
    case Stage::tls:
      if (reset) return "tls.reset";
      if (timeout) return "tls.timeout";
      if (cert_failure(f)) return "tls.cert_invalid";
      if (f == Failure::ssl_failed_handshake) return "tls.handshake_failure";
      return "tls.failure";
    case Stage::http:
      if (reset) return "http.reset";
      if (timeout) return "http.timeout";
      if (cert_failure(f)) return "tls.cert_invalid";
      if (f == Failure::http_invalid_response) return "http.invalid_response";
      if (f == Failure::http_too_many_redirects || f == Failure::http_invalid_redirect) return "http.redirect_failure";
      return "http.failure";
    case Stage::http_status:
      if (status == 451) return "http.status_451";
      if (status == 403) return "http.refusal";
      if (status >= 500) return "http.server_error";
      if (!key.empty() && key.rfind("status ", 0) != 0) return mechanism_for(Stage::http, key, 0);
      return "http.unexpected_response";
  }
  return "none";
}

std::string describe_failure(const std::string& key) {
  if (key.rfind("status ", 0) == 0) return "got HTTP " + key.substr(7);
  const rp::MaybeFailure f = failure_named(key);
  if (!f) return "failed (" + key + ")";
  switch (*f) {
    case rp::Failure::generic_timeout_error: return "timed out";
    case rp::Failure::connection_refused: return "was refused with a TCP reset";
    case rp::Failure::connection_reset: return "was reset";
    case rp::Failure::eof_error: return "was cut off (the connection was closed)";
    case rp::Failure::host_unreachable: return "got 'host unreachable'";
    case rp::Failure::network_unreachable: return "got 'network unreachable'";
    case rp::Failure::dns_nxdomain_error: return "got the answer that the name does not exist (NXDOMAIN)";
    case rp::Failure::dns_no_answer: return "got no address";
    case rp::Failure::dns_servfail_error: return "got a resolver failure (SERVFAIL)";
    case rp::Failure::dns_refused_error: return "was refused by the resolver";
    case rp::Failure::dns_server_misbehaving: return "got a malformed DNS reply";
    case rp::Failure::ssl_unknown_authority:
      return "was answered with a certificate from an authority that is not trusted";
    case rp::Failure::ssl_invalid_hostname: return "was answered with a certificate for a different name";
    case rp::Failure::ssl_invalid_certificate: return "was answered with an invalid (e.g. expired) certificate";
    case rp::Failure::ssl_failed_handshake: return "failed during the TLS handshake";
    case rp::Failure::http_invalid_response: return "got an invalid HTTP reply";
    default: return "failed (" + key + ")";
  }
}

std::string remote_address(const std::string& remote) {
  std::string host;
  int port = 0;
  if (!split_host_port(remote, 0, host, port)) return rp::ascii_lower(remote);
  return host;
}

std::vector<const rp::CaptureSummaryObservation*> captures_of(const Side& s, const rp::ObservationBase& step) {
  std::vector<const rp::CaptureSummaryObservation*> out;
  for (const auto& o : s.rec->observations)
    if (const auto* c = std::get_if<rp::CaptureSummaryObservation>(&o);
        c && std::find(c->steps.begin(), c->steps.end(), step.id) != c->steps.end())
      out.push_back(c);
  return out;
}

TtlBaseline server_ttl_baseline(const Record& rec, const std::string& address,
                                const std::vector<const rp::CaptureSummaryObservation*>& flows) {
  TtlBaseline b;
  const std::string addr = rp::ascii_lower(address);
  auto own = [](const rp::CapturedPacketRecord& p) {
    return p.kind == rp::PacketKind::syn_ack || p.kind == rp::PacketKind::data;
  };
  for (const auto* f : flows) {
    if (f->protocol != rp::FlowProtocol::tcp || remote_address(f->remote) != addr) continue;
    bool any = false;
    for (const auto& p : f->packets)
      if (own(p)) b.ttls.insert(p.ttl), any = true;
    if (any) b.from.push_back(f);
  }
  if (!b.ttls.empty()) {
    b.same_flow = true;
    return b;
  }
  for (const auto& obs : rec.observations) {
    const auto* o = std::get_if<rp::CaptureSummaryObservation>(&obs);
    if (!o) continue;
    if (std::find(flows.begin(), flows.end(), o) != flows.end()) continue;
    bool any = false;
    const bool tcp_to_it = o->protocol == rp::FlowProtocol::tcp && remote_address(o->remote) == addr;
    for (const auto& p : o->packets) {
      if ((tcp_to_it && own(p)) || (p.kind == rp::PacketKind::icmp && p.from && rp::ascii_lower(*p.from) == addr)) {
        b.ttls.insert(p.ttl);
        any = true;
      }
    }
    if (any) b.from.push_back(o);
  }
  return b;
}

namespace {
// The initial TTL a packet most likely left with: stacks start at 64, 128 or 255.
int initial_ttl(int ttl) { return ttl <= 64 ? 64 : ttl <= 128 ? 128 : 255; }
}  // namespace

TtlComparison compare_ttl(int ttl, const std::set<int>& baseline) {
  TtlComparison c;
  c.ttl = ttl;
  if (baseline.empty()) return c;
  int best = -1;
  for (int b : baseline)
    if (best < 0 || std::abs(b - ttl) < std::abs(best - ttl)) best = b;
  c.baseline = best;
  const int d = std::abs(best - ttl);
  c.match = d == 0 ? TtlMatch::same : d == 1 ? TtlMatch::near : TtlMatch::differs;
  if (initial_ttl(ttl) == initial_ttl(best)) c.hops_closer = ttl - best;
  return c;
}

}  // namespace ra
