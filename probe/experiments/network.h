// The network as an experiment sees it: one asynchronous call per kind of step, so the same experiment
// runs over real sockets (RealNetwork) or over a scripted fake in unit tests.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "experiments/localize/path_localization.h"
#include "net/dns_client.h"
#include "net/dns_exchange.h"
#include "net/event_loop.h"
#include "net/http_fetch.h"
#include "net/tcp_connect.h"
#include "net/tls_handshake.h"
#include "net/trust_store.h"
#include "record/enums.h"

namespace rp {

// Every callback runs once, from the event loop, never from inside the call that started the operation.
// on_socket hooks see a step's socket as soon as it exists (packet capture watches its flow); a fake
// that opens no socket never calls them.
class Network {
 public:
  virtual ~Network() = default;

  // The resolver dns_query asks; its ip is empty when the system configuration could not be read.
  virtual const ResolverAddress& resolver() const = 0;

  virtual void dns_query(const std::string& name, DnsType type, std::function<void(DnsQueryResult)> cb) = 0;

  // The probe's own UDP question to server:port, listening on for `linger` after the first reply.
  virtual void dns_exchange(const std::string& server, uint16_t port, const std::string& name, DnsType type,
                            Duration timeout, Duration linger, std::function<void(DnsExchangeResult)> cb,
                            const OnSocket& on_socket) = 0;

  // The result's fd, when connected, belongs to the caller: it goes on to tls_handshake or to close_socket.
  virtual void tcp_connect(const std::string& ip, uint16_t port, Duration timeout,
                           std::function<void(TcpConnectResult)> cb, const OnSocket& on_socket) = 0;
  virtual void close_socket(int fd) = 0;

  // Takes ownership of fd (a socket tcp_connect returned).
  virtual void tls_handshake(int fd, std::shared_ptr<TrustStore> trust, std::optional<std::string> server_name,
                             std::string verify_name, Duration timeout, std::function<void(TlsHandshakeResult)> cb) = 0;

  virtual void http_fetch(HttpFetchRequest request, std::function<void(HttpFetchResult)> cb) = 0;

  // TTL-limited probes along the path to request.address (see path_localization.h).
  virtual void localize_path(const LocalizationRequest& request, const LocalizationSettings& settings,
                             std::function<void(LocalizationResult)> cb) = 0;
};

}  // namespace rp
