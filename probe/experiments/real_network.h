// The Network over real sockets: the probe's net/ wrappers and its c-ares client, on one event loop.
#pragma once

#include "experiments/network.h"

namespace rp {

class RealNetwork final : public Network {
 public:
  // Both must outlive this object.
  RealNetwork(EventLoop& loop, DnsClient& dns) : loop_(loop), dns_(dns) {}

  const ResolverAddress& resolver() const override { return dns_.resolver(); }
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
  EventLoop& loop_;
  DnsClient& dns_;
};

}  // namespace rp
