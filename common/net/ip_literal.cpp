// Literal parsing with inet_pton: a pure parser (no lookups), the most trustworthy one available.
#include "net/ip_literal.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace rp {

std::optional<IpAddress> parse_ip(std::string_view text) {
  // A NUL (JSON can carry "\u0000") would end inet_pton's string early and hide a tail: "1.2.3.4\0junk".
  if (text.empty() || text.size() > 64 || text.find('\0') != std::string_view::npos) return std::nullopt;
  const std::string copy(text);  // inet_pton needs a NUL-terminated string
  IpAddress a;
  in_addr v4{};
  if (inet_pton(AF_INET, copy.c_str(), &v4) == 1) {
    a.v4 = true;
    a.bytes[10] = 0xff;
    a.bytes[11] = 0xff;
    std::memcpy(&a.bytes[12], &v4, 4);
    return a;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, copy.c_str(), &v6) == 1) {
    std::memcpy(a.bytes.data(), &v6, 16);
    return a;
  }
  return std::nullopt;
}

bool is_ip_literal(std::string_view text) { return parse_ip(text).has_value(); }

std::optional<Prefix> parse_prefix(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto ip = parse_ip(text.substr(0, slash));
  if (!ip) return std::nullopt;
  const std::string_view length = text.substr(slash + 1);
  int bits = -1;
  const auto [end, ec] = std::from_chars(length.data(), length.data() + length.size(), bits);
  if (ec != std::errc() || end != length.data() + length.size() || length.empty()) return std::nullopt;
  if (bits < 0 || bits > (ip->v4 ? 32 : 128)) return std::nullopt;
  return Prefix{*ip, ip->v4 ? bits + 96 : bits, std::string(text)};
}

bool contains(const Prefix& p, const IpAddress& a) {
  int left = p.bits;
  for (std::size_t i = 0; i < 16 && left > 0; ++i, left -= 8) {
    const auto mask = static_cast<std::uint8_t>(left >= 8 ? 0xff : (0xff << (8 - left)) & 0xff);
    if ((p.base.bytes[i] & mask) != (a.bytes[i] & mask)) return false;
  }
  return true;
}

}  // namespace rp
