// inet_pton-based helpers; no name resolution ever happens here.
#include "net/ip_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

namespace rp {

bool is_ip_literal(const std::string& text) { return make_socket_address(text, 0).has_value(); }

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

bool is_local_or_private(const std::string& ip) {
  const auto addr = make_socket_address(ip, 0);
  if (!addr) return false;
  if (addr->family() == AF_INET) {
    const uint32_t a = ntohl(reinterpret_cast<const sockaddr_in*>(&addr->storage)->sin_addr.s_addr);
    const auto in = [a](uint32_t net, int bits) { return (a >> (32 - bits)) == (net >> (32 - bits)); };
    return in(0x00000000, 8) || in(0x0A000000, 8) || in(0x7F000000, 8) || in(0x64400000, 10) ||
           in(0xA9FE0000, 16) || in(0xAC100000, 12) || in(0xC0A80000, 16) || in(0xE0000000, 4) ||
           in(0xF0000000, 4);
  }
  const auto* b = reinterpret_cast<const sockaddr_in6*>(&addr->storage)->sin6_addr.s6_addr;
  static const uint8_t kZero[16] = {};
  const bool unspecified_or_loopback = std::memcmp(b, kZero, 15) == 0 && (b[15] == 0 || b[15] == 1);
  const bool v4_mapped = std::memcmp(b, kZero, 10) == 0 && b[10] == 0xff && b[11] == 0xff;
  if (v4_mapped) {
    char v4[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, b + 12, v4, sizeof v4);
    return is_local_or_private(v4);
  }
  return unspecified_or_loopback || (b[0] & 0xfe) == 0xfc || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) || b[0] == 0xff;
}

}  // namespace rp
