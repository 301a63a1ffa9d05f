// Each call hands over to the net/ wrapper that does the work; nothing is decided here.
#include "experiments/real_network.h"

#include <unistd.h>

namespace rp {

void RealNetwork::dns_query(const std::string& name, DnsType type, std::function<void(DnsQueryResult)> cb) {
  dns_.query(name, static_cast<uint16_t>(type), std::move(cb));
}

void RealNetwork::dns_exchange(const std::string& server, uint16_t port, const std::string& name, DnsType type,
                               Duration timeout, Duration linger, std::function<void(DnsExchangeResult)> cb,
                               const OnSocket& on_socket) {
  rp::dns_exchange(loop_, server, port, name, static_cast<uint16_t>(type), timeout, linger, std::move(cb), on_socket);
}

void RealNetwork::tcp_connect(const std::string& ip, uint16_t port, Duration timeout,
                              std::function<void(TcpConnectResult)> cb, const OnSocket& on_socket) {
  rp::tcp_connect(loop_, ip, port, timeout, std::move(cb), on_socket);
}

void RealNetwork::close_socket(int fd) {
  if (fd >= 0) close(fd);
}

void RealNetwork::tls_handshake(int fd, std::shared_ptr<TrustStore> trust, std::optional<std::string> server_name,
                                std::string verify_name, Duration timeout, std::function<void(TlsHandshakeResult)> cb) {
  rp::tls_handshake(loop_, fd, std::move(trust), std::move(server_name), std::move(verify_name), timeout,
                    std::move(cb));
}

void RealNetwork::http_fetch(HttpFetchRequest request, std::function<void(HttpFetchResult)> cb) {
  rp::http_fetch(loop_, std::move(request), std::move(cb));
}

void RealNetwork::localize_path(const LocalizationRequest& request, const LocalizationSettings& settings,
                                std::function<void(LocalizationResult)> cb) {
  rp::localize_path(loop_, request, settings, std::move(cb));
}

}  // namespace rp
