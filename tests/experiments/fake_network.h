// A scripted Network for unit tests: answers come from tables the test fills, every completion is posted to
// the event loop (or held until the test lets it go), and every call is logged, so a MeasurementRun's
// decisions can be checked without root, sockets or time.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "experiments/network.h"

namespace rp::testing {

class FakeNetwork final : public Network {
 public:
  explicit FakeNetwork(EventLoop& loop);

  // --- Scripts (anything unscripted succeeds, except DNS exchanges, which hear nothing) ---
  void resolve(const std::string& name, std::vector<std::string> v4, std::vector<std::string> v6 = {});
  void fail_query(const std::string& name, DnsType type, Failure failure);
  void fail_connect(const std::string& address, uint16_t port, Failure failure);
  // The handshake with address that sends server_name (nullopt: no SNI).
  void fail_handshake(const std::string& address, const std::optional<std::string>& server_name, Failure failure);
  void serve(const std::string& url, HttpFetchResult result);
  void redirect(const std::string& url, const std::string& location, long status = 302);
  // Each reply lists the addresses it answers with.
  void reply_to_exchange(const std::string& server, const std::string& name,
                         std::vector<std::vector<std::string>> replies);
  // How long each localization takes (so several can be asked for while one runs).
  void take_for_localization(Duration d) { localization_time_ = d; }

  // --- Holding: while holding, completions wait (e.g. to interrupt a run mid-step) ---
  void hold() { holding_ = true; }
  // Lets the completions held so far go (later ones are held too while holding).
  void release_held();
  void stop_holding() {
    holding_ = false;
    release_held();
  }
  std::size_t held() const { return held_.size(); }

  // --- What was asked ---
  // One line per call, e.g. "query blocked.example A", "tcp 198.51.100.1:443", "tls 198.51.100.1:443 sni=example.com",
  // "tls 198.51.100.1:443 sni=-", "http https://blocked.example/", "exchange 203.0.113.16:53 blocked.example",
  // "localize tcp_syn 198.51.100.1:443".
  const std::vector<std::string>& calls() const { return calls_; }
  std::vector<std::string> calls_starting(const std::string& prefix) const;
  const std::vector<LocalizationRequest>& localizations() const { return localizations_; }
  int most_localizations_at_once() const { return most_localizing_; }
  // Sockets handed out by tcp_connect and not yet given back (to tls_handshake or close_socket).
  std::size_t open_sockets() const { return open_fds_.size(); }

  // --- Network ---
  const ResolverAddress& resolver() const override { return resolver_; }
  void dns_query(const std::string& name, DnsType type, std::function<void(DnsQueryResult)> cb) override;
  void dns_exchange(const std::string& server, uint16_t port, const std::string& name, DnsType type, Duration timeout,
                    Duration linger, std::function<void(DnsExchangeResult)> cb, const OnSocket& on_socket) override;
  void tcp_connect(const std::string& ip, uint16_t port, Duration timeout, std::function<void(TcpConnectResult)> cb,
                   const OnSocket& on_socket) override;
  void close_socket(int fd) override;
  void tls_handshake(int fd, std::shared_ptr<TrustStore> trust, std::optional<std::string> server_name,
                     std::string verify_name, Duration timeout, std::function<void(TlsHandshakeResult)> cb) override;
  void http_fetch(HttpFetchRequest request, std::function<void(HttpFetchResult)> cb) override;
  void localize_path(const LocalizationRequest& request, const LocalizationSettings& settings,
                     std::function<void(LocalizationResult)> cb) override;

 private:
  void complete(Duration after, std::function<void()> fn);

  EventLoop& loop_;
  ResolverAddress resolver_{"203.0.113.9", 53};
  std::map<std::pair<std::string, uint16_t>, DnsQueryResult> queries_;
  std::map<std::string, Failure> connect_failures_;                      // by ip:port
  std::map<std::pair<std::string, std::string>, Failure> tls_failures_;  // by ip:port, server name or "-"
  std::map<std::string, HttpFetchResult> pages_;
  std::map<std::pair<std::string, std::string>, DnsExchangeResult> exchanges_;  // by server ip, name
  Duration localization_time_{0};
  bool holding_ = false;
  std::deque<std::function<void()>> held_;
  std::vector<std::string> calls_;
  std::vector<LocalizationRequest> localizations_;
  int localizing_ = 0;
  int most_localizing_ = 0;
  int next_fd_ = 1000;                   // never a real descriptor of this process
  std::map<int, std::string> open_fds_;  // fd -> ip:port
};

}  // namespace rp::testing
