// Runs one plan's chains (DNS → TCP → TLS with SNI retries → HTTP hops) and collects its observations.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "capture/capture_session.h"
#include "experiments/localize/path_localization.h"
#include "experiments/network.h"
#include "experiments/reachability/decisions.h"
#include "experiments/reachability/plan.h"
#include "experiments/step.h"
#include "experiments/step_limiter.h"
#include "net/event_loop.h"
#include "net/http_fetch.h"
#include "net/trust_store.h"
#include "record/observations.h"

namespace rp {

struct RunSettings {
  Duration timeout{5000};                   // per step
  std::string neutral_sni = "example.com";  // SNI for the retry that tells SNI filtering apart
  std::shared_ptr<TrustStore> system_trust;
  std::map<std::string, std::shared_ptr<TrustStore>> pinned_trust;  // by PEM text
  int max_redirects = 10;
  std::size_t max_addresses = 8;  // per name; a hostile resolver may answer hundreds
  std::size_t body_prefix_bytes = 2048;
  HttpFetchLimits http_limits;
  // Evidence of DNS injection: a second, self-made query to the resolver that keeps listening after the
  // first reply (duplicate_watch), and the same question sent to a host that runs no DNS server
  // (injection_check): by default the name's own first answered address, unless that is private/local.
  bool dns_exchanges = true;
  Duration dns_linger{1000};
  std::optional<std::string> injection_check_ip;
  // Path localization of SNI-triggered failures, DNS injection and SYN timeouts (see path_localization.h).
  bool localize = true;
  LocalizationSettings localization;
  // Packet capture of the probe's own flows, when the run could open it (nullptr otherwise).
  CaptureSession* capture = nullptr;
  Duration capture_grace{150};  // packets still in flight when a step ends are part of its story
  // This machine's own addresses (its interfaces' and the public ones learned during the run): a redirect
  // there is refused like one into a private network. Unset: only loopback and private ranges are.
  std::function<bool(const std::string&)> is_own_address;
  // Whether 198.18.0.0/15 is an ordinary address (the lab) or, by default, special-purpose like the rest.
  AddressPolicy addresses;
};

// State shared by every record of a batch.
struct BatchShared {
  explicit BatchShared(EventLoop& loop) : localization_slots(loop, 1) {}
  // One localization at a time, so that no router is asked for more ICMP than its rate limit allows.
  StepLimiter localization_slots;
  int localizations_left = 16;  // per run: each costs up to a few seconds and a few dozen packets
};

struct MeasurementResult {
  MeasurementPlan plan;
  std::chrono::system_clock::time_point start_time;
  double runtime = 0;                     // seconds
  std::vector<Observation> observations;  // by id
  bool interrupted = false;
};

// The experiment reads top to bottom: each stage is one member function that records what its step saw
// and starts the next steps; the step bookkeeping (slots, late completions, the end) lives in Step.
class MeasurementRun final : public StepHost, public std::enable_shared_from_this<MeasurementRun> {
 public:
  using Done = std::function<void(MeasurementResult)>;

  // loop carries timers; every network operation goes through network.
  MeasurementRun(EventLoop& loop, Network& network, StepLimiter& limiter, BatchShared& shared,
                 const RunSettings& settings, MeasurementPlan plan, Done done);

  void start();
  // Emits what was measured so far, marked interrupted; later step completions are ignored.
  void abandon();
  bool finished() const override { return finished_; }

 private:
  // One connection to one address: TCP, then a TLS handshake when `sni` says which name to send.
  struct Connection {
    const TargetSpec* target = nullptr;  // plan_ is never modified after start(), so this stays valid
    std::string host;                    // the target's own, or a redirect hop's
    std::string address;
    uint16_t port = 0;
    std::optional<SniChoice> sni;  // nullopt: plain TCP
    int transaction = 0;
    int tcp_id = 0;
    std::shared_ptr<uint64_t> flow;  // see watch_flow()
    std::function<void(StepOutcome)> done;
  };
  // One HTTP request of a redirect chain.
  struct Hop {
    const TargetSpec* target = nullptr;
    UrlParts url;
    std::optional<std::string> address;
    int number = 0;
    bool private_ok = false;  // the input itself is on this machine or in a private network
  };

  void run_target(const TargetSpec& t);
  // Every hop of a URL to a new host (the first one included): its addresses probed, then fetched.
  void measure_hop(Hop hop, const Addresses& addrs);
  void on_hop_addresses_probed(Hop hop, const std::vector<AddressOutcome>& outcomes);

  // DNS (measurement_run.cpp) and the probe's own DNS questions (measurement_evidence.cpp).
  void resolve(const TargetSpec& t, const std::string& host, std::function<void(Addresses)> cb);
  void query(const TargetSpec& t, const std::string& host, DnsType type, std::function<void(Addresses)> cb);
  void check_for_injection(const TargetSpec& t, const std::string& host, const Addresses& v4);
  void exchange(const TargetSpec& t, const std::string& host, const std::string& server, uint16_t port,
                DnsPurpose purpose);
  void on_exchanged(const TargetSpec& t, DnsExchangeObservation obs, const std::shared_ptr<uint64_t>& flow,
                    const std::string& server, const DnsExchangeResult& r);

  // TCP and TLS, with the SNI retries.
  // `host`: the name the connections are for (the target's own, or a redirect hop's).
  void probe_addresses(const TargetSpec& t, const std::string& host, const Addresses& addrs, uint16_t port, bool tls,
                       std::function<void(std::vector<AddressOutcome>)> cb);
  void probe_address(const TargetSpec& t, const std::string& host, const std::string& address, uint16_t port, bool tls,
                     std::function<void(AddressOutcome)> cb);
  void on_first_attempt(const Connection& first, const StepOutcome& outcome);
  void connect(Connection c);
  void on_connected(const Step& step, Connection c, TcpConnectObservation tcp, const TcpConnectResult& r);
  void on_handshake(const Connection& c, TlsHandshakeObservation tls, const TlsHandshakeResult& r);

  // HTTP, hop by hop.
  void fetch(Hop hop);
  void on_fetched(const Hop& hop, HttpRequestObservation obs, const HttpFetchResult& r);
  void follow_redirect(const Hop& from, const UrlParts& to, const std::optional<std::string>& used_address);
  void record_redirect_failure(const TargetSpec& t, const std::string& url, int hop, Failure f);
  // Where a redirect is not followed unless the input itself is there.
  bool is_this_machine_or_private(const std::string& ip) const;

  // Path localization (measurement_evidence.cpp).
  void localize_sni(const TargetSpec& t, const std::string& host, const std::string& address, uint16_t port);
  void localize_syn(const TargetSpec& t, const std::string& address, uint16_t port);
  void localize_dns(const TargetSpec& t, const std::string& host, const std::string& server);
  void localize(const TargetSpec& t, LocalizationRequest request);

  // Packet capture (measurement_evidence.cpp). Starts collecting the packets of a step's flow; the
  // returned handle (nullptr without capture) goes to on_socket(), then to summarize_capture().
  std::shared_ptr<uint64_t> watch_flow();
  OnSocket on_socket(const std::shared_ptr<uint64_t>& flow, const std::string& address, uint16_t port);
  void summarize_capture(const TargetSpec& t, const std::shared_ptr<uint64_t>& flow, std::vector<int> steps,
                         FlowProtocol protocol, std::string remote);

  std::shared_ptr<TrustStore> trust_for(const TargetSpec& t) const;
  double elapsed() const;
  ObservationBase begin_observation(const TargetSpec& t);
  template <typename Obs>
  Obs begin(const TargetSpec& t) {
    Obs obs;
    static_cast<ObservationBase&>(obs) = begin_observation(t);
    return obs;
  }
  void add(Observation obs);
  void in_slot(StepLimiter& limiter, std::function<void(Step)> body) {
    Step::in_slot(shared_from_this(), limiter, std::move(body));
  }
  void begin_step() override { ++pending_; }
  void end_step() override;
  void complete(bool interrupted);

  EventLoop& loop_;
  Network& network_;
  StepLimiter& limiter_;
  BatchShared& shared_;
  const RunSettings& settings_;
  MeasurementPlan plan_;
  Done done_;
  Clock::time_point zero_{};
  std::chrono::system_clock::time_point start_time_{};
  std::vector<Observation> observations_;
  int next_id_ = 0;
  int next_transaction_ = 0;
  int pending_ = 0;
  std::set<std::string> localized_;  // kind|address|port already localized in this record
  bool finished_ = false;
};

}  // namespace rp
