// inet_pton-based helpers; no name resolution ever happens here.
#include "net/ip_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

namespace rp {

std::string host_port(const std::string& ip, uint16_t port) {
  return (ip.find(':') != std::string::npos ? "[" + ip + "]" : ip) + ":" + std::to_string(port);
}

bool same_address(const std::string& a, const std::string& b) {
  const auto x = make_socket_address(a, 0);
  const auto y = make_socket_address(b, 0);
  return x && y && x->length == y->length && std::memcmp(&x->storage, &y->storage, x->length) == 0;
}

std::optional<SocketAddress> make_socket_address(const std::string& ip, uint16_t port) {
  // inet_pton stops at a NUL: "1.2.3.4\0junk" (JSON can carry \u0000) must not pass as 1.2.3.4.
  if (ip.find('\0') != std::string::npos) return std::nullopt;
  SocketAddress out;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&out.storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&out.storage);
  if (inet_pton(AF_INET, ip.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    out.length = sizeof(sockaddr_in);
    return out;
  }
  std::memset(&out.storage, 0, sizeof out.storage);
  if (inet_pton(AF_INET6, ip.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    out.length = sizeof(sockaddr_in6);
    return out;
  }
  return std::nullopt;
}

}  // namespace rp
