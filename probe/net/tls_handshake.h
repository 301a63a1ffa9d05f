// Asynchronous, time-bounded TLS handshake over a connected socket, recording what the server showed.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "failures/failure.h"
#include "net/event_loop.h"
#include "net/trust_store.h"

namespace rp {

struct TlsHandshakeResult {
  MaybeFailure failure;  // handshake failure, else the verification failure, else nullopt
  bool handshake_completed = false;
  std::optional<std::string> tls_version;
  std::optional<std::string> cipher_suite;
  std::optional<std::string> negotiated_alpn;
  std::vector<std::string> peer_certificates_der;  // leaf first, at most kMaxChain
  std::optional<bool> trusted;                     // nullopt when no certificate was seen
  MaybeFailure verification_error;
  std::optional<std::string> verification_detail;
};

inline constexpr std::size_t kMaxChain = 10;

// Runs the handshake on fd (taking ownership: it is closed when the step ends). server_name is the SNI
// to send (nullopt: none); verify_name is what the chain is checked against (a hostname or an IP).
void tls_handshake(EventLoop& loop, int fd, std::shared_ptr<TrustStore> trust, std::optional<std::string> server_name,
                   std::string verify_name, Duration timeout, std::function<void(TlsHandshakeResult)> cb);

}  // namespace rp
