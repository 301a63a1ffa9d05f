// IP literals: recognising them and turning them into socket addresses.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>

namespace rp {

struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;
  int family() const { return storage.ss_family; }
};

bool is_ip_literal(const std::string& text);

// "ip:port", with IPv6 addresses in brackets ("[2001:db8::1]:443"), as records and libcurl spell it.
std::string host_port(const std::string& ip, uint16_t port);

// Whether two IP literals name the same address, however each is spelled (e.g. IPv6 case, zeros).
bool same_address(const std::string& a, const std::string& b);

// nullopt when ip is not an IPv4 or IPv6 literal.
std::optional<SocketAddress> make_socket_address(const std::string& ip, uint16_t port);

// Loopback, RFC 1918, CGNAT, link-local, unique-local, unspecified or multicast: addresses of the
// volunteer's own machine or networks, where the probe must not send unsolicited traffic of its own
// choosing. (198.18.0.0/15, the benchmarking range the lab uses, is deliberately not in this list.)
bool is_local_or_private(const std::string& ip);

}  // namespace rp
