// IP literals as socket addresses (recognising them and judging their ranges is common/net/).
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>

#include "net/ip_literal.h"      // is_ip_literal
#include "net/special_ranges.h"  // is_local_or_private

namespace rp {

struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;
  int family() const { return storage.ss_family; }
};

// "ip:port", with IPv6 addresses in brackets ("[2001:db8::1]:443"), as records and libcurl spell it.
std::string host_port(const std::string& ip, uint16_t port);

// Whether two IP literals name the same address, however each is spelled (e.g. IPv6 case, zeros).
bool same_address(const std::string& a, const std::string& b);

// nullopt when ip is not an IPv4 or IPv6 literal.
std::optional<SocketAddress> make_socket_address(const std::string& ip, uint16_t port);

}  // namespace rp
