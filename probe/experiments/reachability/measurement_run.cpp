// The reachability experiment. Each step is bounded by the step timeout and by a StepLimiter slot; the
// record completes when its last step does. Follow-up steps are only the ones analysis needs to tell
// causes apart: TLS retries with a neutral SNI and with none, and redirects followed hop by hop.
#include "experiments/reachability/measurement_run.h"

#include <unistd.h>

#include <algorithm>

#include "http/healthy_rule.h"
#include "http/html_title.h"
#include "net/ip_address.h"
#include "net/tcp_connect.h"
#include "net/tls_handshake.h"
#include "util/digest.h"
#include "util/utf8.h"

namespace rp {

namespace {

// Failures an on-path device produces when it kills a connection it dislikes.
bool is_interference_like(const MaybeFailure& f) {
  return f == Failure::connection_reset || f == Failure::generic_timeout_error || f == Failure::eof_error;
}

}  // namespace

MeasurementRun::MeasurementRun(EventLoop& loop, DnsClient& dns, StepLimiter& limiter, BatchShared& shared,
                               const RunSettings& settings, MeasurementPlan plan, Done done)
    : loop_(loop),
      dns_(dns),
      limiter_(limiter),
      shared_(shared),
      settings_(settings),
      plan_(std::move(plan)),
      done_(std::move(done)) {}

void MeasurementRun::start() {
  zero_ = Clock::now();
  start_time_ = std::chrono::system_clock::now();
  begin_step();  // guard: the record cannot complete while targets are still being launched
  for (const auto& t : plan_.targets) run_target(t);
  end_step();
}

void MeasurementRun::abandon() {
  if (!finished_) complete(true);
}

double MeasurementRun::elapsed() const {
  return std::chrono::duration<double>(Clock::now() - zero_).count();
}

ObservationBase MeasurementRun::begin_observation(const TargetSpec& t) {
  ObservationBase b;
  b.id = next_id_++;
  b.target = t.ref;
  b.t0 = elapsed();
  return b;
}

void MeasurementRun::add(Observation obs) {
  std::visit([this](auto& o) { o.t = elapsed(); }, obs);
  observations_.push_back(std::move(obs));
}

void MeasurementRun::end_step() {
  if (--pending_ == 0 && !finished_) complete(false);
}

void MeasurementRun::complete(bool interrupted) {
  finished_ = true;
  MeasurementResult r;
  r.plan = plan_;
  r.start_time = start_time_;
  r.runtime = elapsed();
  r.interrupted = interrupted;
  r.observations = std::move(observations_);
  std::sort(r.observations.begin(), r.observations.end(),
            [](const Observation& a, const Observation& b) { return base_of(a).id < base_of(b).id; });
  done_(std::move(r));
}

std::shared_ptr<TrustStore> MeasurementRun::trust_for(const TargetSpec& t) const {
  if (t.pinned_pem) {
    if (auto it = settings_.pinned_trust.find(*t.pinned_pem); it != settings_.pinned_trust.end()) return it->second;
  }
  return settings_.system_trust;
}

void MeasurementRun::run_target(const TargetSpec& t) {
  const TargetSpec* tp = &t;  // plan_ is never modified after start(), so this stays valid
  auto self = shared_from_this();
  switch (t.kind) {
    case TargetKind::domain:
      resolve(t, t.host, [](Addresses) {});
      break;
    case TargetKind::endpoint:
      resolve(t, t.host, [self, tp](Addresses addrs) {
        const bool tls = tp->endpoint->transport == Transport::tls;
        self->probe_addresses(*tp, addrs, tp->endpoint->port, tls, [](std::vector<AddressOutcome>) {});
      });
      break;
    case TargetKind::url:
      resolve(t, t.host, [self, tp](Addresses addrs) {
        const UrlParts& url = *tp->url;
        const bool tls = url.scheme == "https";
        self->probe_addresses(*tp, addrs, url.port, tls, [self, tp, tls](std::vector<AddressOutcome> outcomes) {
          // Fetch through the address most likely to show what the service says: TLS worked, else TCP did.
          auto pick = std::find_if(outcomes.begin(), outcomes.end(), [&](const AddressOutcome& o) {
            return tls ? o.tls_ok : o.tcp_ok;
          });
          if (pick == outcomes.end()) {
            pick = std::find_if(outcomes.begin(), outcomes.end(), [](const AddressOutcome& o) { return o.tcp_ok; });
          }
          if (pick == outcomes.end()) return;  // nothing to talk HTTP to; the failures are already recorded
          const bool literal = is_ip_literal(tp->url->host);
          // Redirects into this machine or a private network are followed only if the input lives there.
          const bool private_ok = self->is_this_machine_or_private(pick->address);
          self->fetch_hop(*tp, *tp->url, literal ? std::nullopt : std::optional(pick->address), 0, private_ok);
        });
      });
      break;
  }
}

bool MeasurementRun::is_this_machine_or_private(const std::string& ip) const {
  return is_local_or_private(ip, settings_.addresses) || (settings_.is_own_address && settings_.is_own_address(ip));
}

void MeasurementRun::resolve(const TargetSpec& t, const std::string& host, std::function<void(Addresses)> cb) {
  if (is_ip_literal(host)) {
    begin_step();
    loop_.add_timer(Duration{0}, [self = shared_from_this(), host, cb = std::move(cb)] {
      if (!self->finished_) cb({host});
      self->end_step();
    });
    return;
  }
  // A and AAAA in parallel; the callback gets IPv4 first, then IPv6, without duplicates.
  auto v4 = std::make_shared<Addresses>();
  auto v6 = std::make_shared<Addresses>();
  auto left = std::make_shared<int>(2);
  auto join = [self = shared_from_this(), v4, v6, left, cb = std::move(cb)](bool is_v6, Addresses got) {
    (is_v6 ? *v6 : *v4) = std::move(got);
    if (--*left > 0) return;
    Addresses all;
    for (const auto* list : {v4.get(), v6.get()}) {
      for (const auto& a : *list) {
        if (all.size() < self->settings_.max_addresses && std::find(all.begin(), all.end(), a) == all.end()) {
          all.push_back(a);
        }
      }
    }
    cb(std::move(all));
  };
  const TargetSpec* tp = &t;
  query(t, host, DnsType::A, [self = shared_from_this(), tp, host, join](Addresses a) {
    self->check_for_injection(*tp, host, a);
    join(false, std::move(a));
  });
  query(t, host, DnsType::AAAA, [join](Addresses a) { join(true, std::move(a)); });
  const auto& resolver = dns_.resolver();
  if (settings_.dns_exchanges && !resolver.ip.empty()) exchange(t, host, resolver.ip, resolver.port, DnsPurpose::duplicate_watch);
}

void MeasurementRun::query(const TargetSpec& t, const std::string& host, DnsType type,
                           std::function<void(Addresses)> cb) {
  begin_step();
  auto self = shared_from_this();
  const TargetSpec* tp = &t;
  limiter_.run([self, tp, host, type, cb = std::move(cb)](StepLimiter::Release release) {
    if (self->finished_) {
      release();
      return self->end_step();
    }
    DnsQueryObservation obs;
    static_cast<ObservationBase&>(obs) = self->begin_observation(*tp);
    obs.hostname = host;
    obs.query_type = type;
    const auto& r = self->dns_.resolver();
    obs.resolver = host_port(r.ip, r.port);
    self->dns_.query(host, static_cast<uint16_t>(type), [self, obs, type, release, cb](DnsQueryResult result) mutable {
      release();
      if (self->finished_) return self->end_step();
      obs.failure = result.failure;
      if (result.rcode) obs.rcode = dns_rcode_name(*result.rcode);
      Addresses addrs;
      for (const auto& a : result.answers) {
        obs.answers.push_back({dns_type_name(a.type), sanitize_utf8(a.name), sanitize_utf8(a.value), a.ttl});
        if (a.type == static_cast<uint16_t>(type)) addrs.push_back(a.value);
      }
      self->add(std::move(obs));
      cb(std::move(addrs));
      self->end_step();
    });
  });
}

void MeasurementRun::probe_addresses(const TargetSpec& t, const Addresses& addrs, uint16_t port, bool tls,
                                     std::function<void(std::vector<AddressOutcome>)> cb) {
  if (addrs.empty()) return cb({});
  auto outcomes = std::make_shared<std::vector<AddressOutcome>>(addrs.size());
  auto left = std::make_shared<std::size_t>(addrs.size());
  for (std::size_t i = 0; i < addrs.size(); ++i) {
    probe_address(t, addrs[i], port, tls, [outcomes, left, i, cb](AddressOutcome o) {
      (*outcomes)[i] = std::move(o);
      if (--*left == 0) cb(*outcomes);
    });
  }
}

void MeasurementRun::probe_address(const TargetSpec& t, const std::string& address, uint16_t port, bool tls,
                                   std::function<void(AddressOutcome)> cb) {
  // SNI carries names only (RFC 6066): an IP target gets one handshake without SNI, and no retries.
  const bool by_name = !is_ip_literal(t.host);
  const std::optional<std::string> sni = by_name ? std::optional(t.host) : std::nullopt;
  auto self = shared_from_this();
  const TargetSpec* tp = &t;
  connect_then_handshake(
      t, address, port, tls ? sni : std::nullopt, tls ? std::optional(by_name ? SniKind::target : SniKind::none) : std::nullopt,
      [self, tp, address, port, tls, by_name, cb](StepOutcome first) {
        if (tls && first.tcp_ok && !first.tls_ok && by_name) {
          // Same address, other names: if these work, the target name is what was refused.
          self->connect_then_handshake(*tp, address, port, self->settings_.neutral_sni, SniKind::neutral,
                                       [self, tp, address, port, first](StepOutcome neutral) {
                                         if (neutral.tls_ok && is_interference_like(first.failure)) {
                                           self->localize_sni(*tp, address, port);
                                         }
                                       });
          self->connect_then_handshake(*tp, address, port, std::nullopt, SniKind::none, [](StepOutcome) {});
        }
        if (!first.tcp_ok && first.failure == Failure::generic_timeout_error) self->localize_syn(*tp, address, port);
        cb(AddressOutcome{address, first.tcp_ok, first.tls_ok});
      });
}

void MeasurementRun::connect_then_handshake(const TargetSpec& t, const std::string& address, uint16_t port,
                                            std::optional<std::string> sni, std::optional<SniKind> sni_kind,
                                            std::function<void(StepOutcome)> cb) {
  begin_step();
  auto self = shared_from_this();
  const TargetSpec* tp = &t;
  const bool tls = sni_kind.has_value();
  limiter_.run([self, tp, address, port, sni, sni_kind, tls, cb](StepLimiter::Release release) {
    if (self->finished_) {
      release();
      return self->end_step();
    }
    const int transaction = self->next_transaction_++;
    TcpConnectObservation tcp;
    static_cast<ObservationBase&>(tcp) = self->begin_observation(*tp);
    tcp.address = address;
    tcp.port = port;
    if (!is_ip_literal(tp->host)) tcp.hostname = tp->host;
    tcp.transaction = transaction;
    auto flow = self->watch_flow();
    const std::string remote = host_port(address, port);
    tcp_connect(
        self->loop_, address, port, self->settings_.timeout,
        [self, tp, tcp, address, port, sni, sni_kind, tls, transaction, release, cb, flow, remote](TcpConnectResult r) mutable {
                  if (self->finished_) {
                    if (r.fd >= 0) close(r.fd);
                    release();
                    return self->end_step();
                  }
                  tcp.failure = r.failure;
                  const int tcp_id = tcp.id;
                  self->add(std::move(tcp));
                  if (r.failure || !tls) {
                    if (r.fd >= 0) close(r.fd);
                    release();
                    self->summarize_capture(*tp, flow, {tcp_id}, FlowProtocol::tcp, remote);
                    cb(StepOutcome{!r.failure, false, r.failure});
                    return self->end_step();
                  }
                  TlsHandshakeObservation obs;
                  static_cast<ObservationBase&>(obs) = self->begin_observation(*tp);
                  obs.address = address;
                  obs.port = port;
                  obs.transaction = transaction;
                  obs.server_name = sni;
                  obs.sni_kind = *sni_kind;
                  obs.verify_name = tp->host;
                  const auto trust = self->trust_for(*tp);
                  obs.trust = to_string(trust->kind());
                  tls_handshake(self->loop_, r.fd, trust, sni, tp->host, self->settings_.timeout,
                                [self, tp, obs, release, cb, flow, remote, tcp_id](TlsHandshakeResult h) mutable {
                                  release();
                                  if (self->finished_) return self->end_step();
                                  self->summarize_capture(*tp, flow, {tcp_id, obs.id}, FlowProtocol::tcp, remote);
                                  obs.failure = h.failure;
                                  obs.handshake_completed = h.handshake_completed;
                                  obs.tls_version = h.tls_version;
                                  obs.cipher_suite = h.cipher_suite;
                                  obs.negotiated_alpn = h.negotiated_alpn;
                                  for (const auto& der : h.peer_certificates_der) {
                                    obs.peer_certificates.push_back(base64_encode(der));
                                  }
                                  obs.trusted = h.trusted;
                                  obs.verification_error = h.verification_error;
                                  obs.verification_detail = h.verification_detail;
                                  self->add(std::move(obs));
                                  cb(StepOutcome{true, !h.failure.has_value(), h.failure});
                                  self->end_step();
                                });
        },
        [self, flow, address, port](int fd) {
          if (flow) *flow = self->settings_.capture->watch(fd, address, port);
        });
  });
}

void MeasurementRun::record_redirect_failure(const TargetSpec& t, const std::string& url, int hop, Failure f) {
  HttpRequestObservation obs;
  static_cast<ObservationBase&>(obs) = begin_observation(t);
  obs.url = sanitize_utf8(url, 4096);
  obs.hop = hop;
  obs.failure = f;
  add(std::move(obs));
}

void MeasurementRun::fetch_hop(const TargetSpec& t, const UrlParts& url, std::optional<std::string> address, int hop,
                               bool private_ok) {
  begin_step();
  auto self = shared_from_this();
  const TargetSpec* tp = &t;
  limiter_.run([self, tp, url, address, hop, private_ok](StepLimiter::Release release) {
    if (self->finished_) {
      release();
      return self->end_step();
    }
    HttpRequestObservation obs;
    static_cast<ObservationBase&>(obs) = self->begin_observation(*tp);
    obs.url = url.url;
    obs.hop = hop;
    HttpFetchRequest req;
    req.url = url.url;
    req.host = url.host;
    req.port = url.port;
    req.address = address;
    req.trust = self->trust_for(*tp);
    req.timeout = self->settings_.timeout;
    req.limits = self->settings_.http_limits;
    http_fetch(self->loop_, std::move(req), [self, tp, url, obs, hop, release, private_ok](HttpFetchResult r) mutable {
      release();
      if (self->finished_) return self->end_step();
      obs.failure = r.failure;
      obs.address = r.server_address;
      const std::optional<std::string> used_address = r.server_address;
      if (r.over_tls) obs.tls_verified = !r.failure.has_value() && r.response.has_value();
      std::optional<UrlParts> next;
      if (r.response) {
        const auto& resp = *r.response;
        HttpResponseRecord rec;
        rec.status = resp.status;
        for (const auto& [k, v] : resp.headers) rec.headers.emplace_back(sanitize_utf8(k, 256), sanitize_utf8(v, 8192));
        rec.body_length = resp.body.size();
        rec.body_truncated = resp.body_truncated;
        rec.body_sha256 = sha256_hex(resp.body);
        rec.title = extract_html_title(resp.body);
        rec.body_prefix = sanitize_utf8(resp.body, self->settings_.body_prefix_bytes);
        const bool redirect = resp.status >= 300 && resp.status < 400 && r.redirect_location;
        if (redirect) {
          obs.redirect_location = sanitize_utf8(*r.redirect_location, 4096);
          std::string error;
          next = parse_url(*r.redirect_location, error);
          if (!next) self->record_redirect_failure(*tp, *r.redirect_location, hop + 1, Failure::http_invalid_redirect);
        } else if (tp->healthy) {
          obs.healthy_match = meets_healthy_rule(*tp->healthy, {resp.status, rec.title, resp.body, obs.tls_verified.value_or(false)});
        }
        obs.response = std::move(rec);
      }
      self->add(std::move(obs));
      if (next) {
        const bool literal = is_ip_literal(next->host);
        if (hop + 1 > self->settings_.max_redirects) {
          self->record_redirect_failure(*tp, next->url, hop + 1, Failure::http_too_many_redirects);
        } else if (literal && !private_ok && self->is_this_machine_or_private(next->host)) {
          self->record_redirect_failure(*tp, next->url, hop + 1, Failure::http_forbidden_redirect);
        } else if (next->host == url.host || literal) {
          self->fetch_hop(*tp, *next, literal ? std::nullopt : used_address, hop + 1, private_ok);
        } else {
          self->resolve(*tp, next->host, [self, tp, next = *next, hop, private_ok](Addresses addrs) {
            if (addrs.empty()) return;  // the DNS failure is recorded already
            const auto pick = std::find_if(addrs.begin(), addrs.end(), [&](const std::string& a) {
              return private_ok || !self->is_this_machine_or_private(a);
            });
            if (pick == addrs.end()) {
              return self->record_redirect_failure(*tp, next.url, hop + 1, Failure::http_forbidden_redirect);
            }
            self->fetch_hop(*tp, next, *pick, hop + 1, private_ok);
          });
        }
      }
      self->end_step();
    });
  });
}

}  // namespace rp
