// The reachability experiment. Each step is bounded by the step timeout and by a StepLimiter slot; the
// record completes when its last step does. Follow-up steps are only the ones analysis needs to tell
// causes apart: TLS retries with a neutral SNI and with none, and redirects followed hop by hop (what is
// retried and followed is decided in decisions.h).
#include "experiments/reachability/measurement_run.h"

#include <algorithm>

#include "http/healthy_rule.h"
#include "net/ip_address.h"
#include "observe/net_records.h"
#include "util/utf8.h"

namespace rp {

MeasurementRun::MeasurementRun(EventLoop& loop, Network& network, StepLimiter& limiter, BatchShared& shared,
                               const RunSettings& settings, MeasurementPlan plan, Done done)
    : loop_(loop),
      network_(network),
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

double MeasurementRun::elapsed() const { return std::chrono::duration<double>(Clock::now() - zero_).count(); }

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

bool MeasurementRun::is_this_machine_or_private(const std::string& ip) const {
  return is_local_or_private(ip, settings_.addresses) || (settings_.is_own_address && settings_.is_own_address(ip));
}

// --- Chains --------------------------------------------------------------------------------------------

void MeasurementRun::run_target(const TargetSpec& t) {
  const TargetSpec* tp = &t;  // plan_ is never modified after start(), so this stays valid
  switch (t.kind) {
    case TargetKind::domain: resolve(t, t.host, [](Addresses) {}); break;
    case TargetKind::endpoint:
      resolve(t, t.host, [this, tp](Addresses addrs) {
        const bool tls = tp->endpoint->transport == Transport::tls;
        probe_addresses(*tp, tp->host, addrs, tp->endpoint->port, tls, [](std::vector<AddressOutcome>) {});
      });
      break;
    case TargetKind::url:
      resolve(t, t.host, [this, tp](Addresses addrs) {
        measure_hop(Hop{tp, *tp->url, std::nullopt, 0, false}, addrs);
      });
      break;
  }
}

void MeasurementRun::measure_hop(Hop hop, const Addresses& addrs) {
  const TargetSpec& t = *hop.target;
  const std::string host = hop.url.host;  // hop is moved into the callback below
  const uint16_t port = hop.url.port;
  const bool tls = hop.url.scheme == "https";
  probe_addresses(t, host, addrs, port, tls,
                  [this, hop = std::move(hop)](std::vector<AddressOutcome> outcomes) mutable {
                    on_hop_addresses_probed(std::move(hop), outcomes);
                  });
}

void MeasurementRun::on_hop_addresses_probed(Hop hop, const std::vector<AddressOutcome>& outcomes) {
  const auto address = address_to_fetch_through(outcomes, hop.url.scheme == "https");
  if (!address) return;  // nothing to talk HTTP to; the failures are already recorded
  // The first hop decides whether the whole chain may stay on this machine or in a private network.
  if (hop.number == 0) hop.private_ok = is_this_machine_or_private(*address);
  if (!is_ip_literal(hop.url.host)) hop.address = address;
  fetch(std::move(hop));
}

// --- DNS -----------------------------------------------------------------------------------------------

void MeasurementRun::resolve(const TargetSpec& t, const std::string& host, std::function<void(Addresses)> cb) {
  if (is_ip_literal(host)) {
    const Step step = Step::without_slot(shared_from_this());
    loop_.add_timer(Duration{0}, [step, host, cb = std::move(cb)] {
      if (!step.dropped()) cb({host});
      step.end();
    });
    return;
  }
  // A and AAAA in parallel; the callback gets both, merged, once the second one is in.
  struct Answers {
    Addresses v4, v6;
    int left = 2;
  };
  auto answers = std::make_shared<Answers>();
  auto join = [this, answers, cb = std::move(cb)] {
    if (--answers->left == 0) cb(merge_addresses(answers->v4, answers->v6, settings_.max_addresses));
  };
  const TargetSpec* tp = &t;
  query(t, host, DnsType::A, [this, tp, host, answers, join](Addresses a) {
    check_for_injection(*tp, host, a);
    answers->v4 = std::move(a);
    join();
  });
  query(t, host, DnsType::AAAA, [answers, join](Addresses a) {
    answers->v6 = std::move(a);
    join();
  });
  const auto& resolver = network_.resolver();
  if (settings_.dns_exchanges && !resolver.ip.empty())
    exchange(t, host, resolver.ip, resolver.port, DnsPurpose::duplicate_watch);
}

void MeasurementRun::query(const TargetSpec& t, const std::string& host, DnsType type,
                           std::function<void(Addresses)> cb) {
  in_slot(limiter_, [this, tp = &t, host, type, cb = std::move(cb)](const Step& step) {
    auto obs = begin<DnsQueryObservation>(*tp);
    obs.hostname = host;
    obs.query_type = type;
    obs.resolver = host_port(network_.resolver().ip, network_.resolver().port);
    network_.dns_query(host, type, step.last([this, obs, type, cb](DnsQueryResult r) mutable {
      record_result(obs, r);
      add(std::move(obs));
      cb(answered_addresses(r.answers, type));
    }));
  });
}

// --- TCP and TLS ---------------------------------------------------------------------------------------

void MeasurementRun::probe_addresses(const TargetSpec& t, const std::string& host, const Addresses& addrs,
                                     uint16_t port, bool tls, std::function<void(std::vector<AddressOutcome>)> cb) {
  if (addrs.empty()) return cb({});
  auto outcomes = std::make_shared<std::vector<AddressOutcome>>(addrs.size());
  auto left = std::make_shared<std::size_t>(addrs.size());
  for (std::size_t i = 0; i < addrs.size(); ++i) {
    probe_address(t, host, addrs[i], port, tls, [outcomes, left, i, cb](AddressOutcome o) {
      (*outcomes)[i] = std::move(o);
      if (--*left == 0) cb(*outcomes);
    });
  }
}

void MeasurementRun::probe_address(const TargetSpec& t, const std::string& host, const std::string& address,
                                   uint16_t port, bool tls, std::function<void(AddressOutcome)> cb) {
  Connection first;
  first.target = &t;
  first.host = host;
  first.address = address;
  first.port = port;
  if (tls) first.sni = first_sni(host);
  first.done = [this, first, cb](StepOutcome outcome) {
    on_first_attempt(first, outcome);
    cb(AddressOutcome{first.address, outcome.tcp_ok, outcome.tls_ok});
  };
  connect(std::move(first));
}

void MeasurementRun::on_first_attempt(const Connection& first, const StepOutcome& outcome) {
  for (auto& sni : sni_retries(first.sni, outcome, settings_.neutral_sni)) {
    Connection retry;
    retry.target = first.target;
    retry.host = first.host;
    retry.address = first.address;
    retry.port = first.port;
    retry.sni = std::move(sni);
    if (retry.sni->kind == SniKind::neutral) {
      retry.done = [this, first, outcome](StepOutcome neutral) {
        if (sni_was_refused(outcome, neutral)) localize_sni(*first.target, first.host, first.address, first.port);
      };
    } else {
      retry.done = [](StepOutcome) {};
    }
    connect(std::move(retry));
  }
  if (syn_went_unanswered(outcome)) localize_syn(*first.target, first.address, first.port);
}

void MeasurementRun::connect(Connection c) {
  in_slot(limiter_, [this, c = std::move(c)](const Step& step) mutable {
    c.transaction = next_transaction_++;
    auto tcp = begin<TcpConnectObservation>(*c.target);
    tcp.address = c.address;
    tcp.port = c.port;
    if (!is_ip_literal(c.host)) tcp.hostname = c.host;
    tcp.transaction = c.transaction;
    c.flow = watch_flow();
    const OnSocket watch = on_socket(c.flow, c.address, c.port);
    network_.tcp_connect(
        c.address, c.port, settings_.timeout,
        step.then([this, step, c,
                   tcp](TcpConnectResult r) mutable { on_connected(step, std::move(c), std::move(tcp), r); },
                  [this](const TcpConnectResult& r) { network_.close_socket(r.fd); }),
        watch);
  });
}

void MeasurementRun::on_connected(const Step& step, Connection c, TcpConnectObservation tcp,
                                  const TcpConnectResult& r) {
  record_result(tcp, r);
  c.tcp_id = tcp.id;
  add(std::move(tcp));
  if (r.failure || !c.sni) {
    network_.close_socket(r.fd);
    step.release();
    summarize_capture(*c.target, c.flow, {c.tcp_id}, FlowProtocol::tcp, host_port(c.address, c.port));
    c.done(StepOutcome{!r.failure, false, r.failure});
    return step.end();
  }
  auto tls = begin<TlsHandshakeObservation>(*c.target);
  tls.address = c.address;
  tls.port = c.port;
  tls.transaction = c.transaction;
  tls.server_name = c.sni->server_name;
  tls.sni_kind = c.sni->kind;
  tls.verify_name = c.host;
  const auto trust = trust_for(*c.target);
  tls.trust = to_string(trust->kind());
  network_.tls_handshake(r.fd, trust, c.sni->server_name, c.host, settings_.timeout,
                         step.last(
                             [this, c, tls](TlsHandshakeResult h) mutable { on_handshake(c, std::move(tls), h); }));
}

void MeasurementRun::on_handshake(const Connection& c, TlsHandshakeObservation tls, const TlsHandshakeResult& r) {
  summarize_capture(*c.target, c.flow, {c.tcp_id, tls.id}, FlowProtocol::tcp, host_port(c.address, c.port));
  record_result(tls, r);
  add(std::move(tls));
  c.done(StepOutcome{true, !r.failure.has_value(), r.failure});
}

// --- HTTP ----------------------------------------------------------------------------------------------

void MeasurementRun::fetch(Hop hop) {
  in_slot(limiter_, [this, hop = std::move(hop)](const Step& step) {
    auto obs = begin<HttpRequestObservation>(*hop.target);
    obs.url = hop.url.url;
    obs.hop = hop.number;
    HttpFetchRequest req;
    req.url = hop.url.url;
    req.host = hop.url.host;
    req.port = hop.url.port;
    req.address = hop.address;
    req.trust = trust_for(*hop.target);
    req.timeout = settings_.timeout;
    req.limits = settings_.http_limits;
    network_.http_fetch(std::move(req),
                        step.last([this, hop, obs](HttpFetchResult r) mutable { on_fetched(hop, std::move(obs), r); }));
  });
}

void MeasurementRun::on_fetched(const Hop& hop, HttpRequestObservation obs, const HttpFetchResult& r) {
  const TargetSpec& t = *hop.target;
  record_result(obs, r, settings_.body_prefix_bytes);
  std::optional<UrlParts> next;
  if (obs.redirect_location) {
    std::string error;
    next = parse_url(*r.redirect_location, error);
    if (!next) record_redirect_failure(t, *r.redirect_location, hop.number + 1, Failure::http_invalid_redirect);
  } else if (obs.response && t.healthy) {
    obs.healthy_match = meets_healthy_rule(*t.healthy, {r.response->status, obs.response->title, r.response->body,
                                                        obs.tls_verified.value_or(false)});
  }
  add(std::move(obs));
  if (next) follow_redirect(hop, *next, r.server_address);
}

void MeasurementRun::follow_redirect(const Hop& from, const UrlParts& to,
                                     const std::optional<std::string>& used_address) {
  const TargetSpec& t = *from.target;
  const int number = from.number + 1;
  const IsPrivate is_private = [this](const std::string& ip) { return is_this_machine_or_private(ip); };
  switch (plan_redirect(from.url, to, number, settings_.max_redirects, from.private_ok, is_private)) {
    case RedirectPlan::too_many: return record_redirect_failure(t, to.url, number, Failure::http_too_many_redirects);
    case RedirectPlan::forbidden: return record_redirect_failure(t, to.url, number, Failure::http_forbidden_redirect);
    case RedirectPlan::same_connection:
      return fetch(Hop{&t, to, is_ip_literal(to.host) ? std::nullopt : used_address, number, from.private_ok});
    case RedirectPlan::same_host_again:
      // What was learnt of this host still holds; only the new port (and TLS) has not been seen yet.
      if (is_ip_literal(to.host)) return measure_hop(Hop{&t, to, std::nullopt, number, from.private_ok}, {to.host});
      if (used_address) return measure_hop(Hop{&t, to, std::nullopt, number, from.private_ok}, {*used_address});
      [[fallthrough]];  // no address to go back to: the host is measured afresh
    case RedirectPlan::new_host:
      return resolve(t, to.host, [this, from, to, number, is_private](Addresses addrs) {
        if (addrs.empty()) return;  // the DNS failure is recorded already
        const Addresses allowed = redirect_addresses(addrs, from.private_ok, is_private);
        if (allowed.empty()) {
          return record_redirect_failure(*from.target, to.url, number, Failure::http_forbidden_redirect);
        }
        measure_hop(Hop{from.target, to, std::nullopt, number, from.private_ok}, allowed);
      });
  }
}

void MeasurementRun::record_redirect_failure(const TargetSpec& t, const std::string& url, int hop, Failure f) {
  auto obs = begin<HttpRequestObservation>(t);
  obs.url = sanitize_utf8(url, 4096);
  obs.hop = hop;
  obs.failure = f;
  add(std::move(obs));
}

}  // namespace rp
