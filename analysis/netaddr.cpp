// IP literals and bogon prefixes (see netaddr.h).
#include "netaddr.h"

#include <arpa/inet.h>

#include <cstring>

namespace ra {

std::optional<IpAddress> parse_ip(const std::string& text) {
  // inet_pton is a pure parser (no lookups); it is the most trustworthy literal parser available.
  IpAddress a;
  in_addr v4{};
  if (text.size() <= 15 && inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    a.v4 = true;
    a.bytes[10] = 0xff;
    a.bytes[11] = 0xff;
    std::memcpy(&a.bytes[12], &v4, 4);
    return a;
  }
  in6_addr v6{};
  if (text.size() <= 64 && inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    std::memcpy(a.bytes.data(), &v6, 16);
    return a;
  }
  return std::nullopt;
}

bool is_ip_literal(const std::string& text) { return parse_ip(text).has_value(); }

std::optional<Prefix> parse_prefix(const std::string& text) {
  const auto slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  auto ip = parse_ip(text.substr(0, slash));
  if (!ip) return std::nullopt;
  int bits = 0;
  try {
    std::size_t used = 0;
    bits = std::stoi(text.substr(slash + 1), &used);
    if (used != text.size() - slash - 1) return std::nullopt;
  } catch (...) {
    return std::nullopt;
  }
  if (bits < 0 || bits > (ip->v4 ? 32 : 128)) return std::nullopt;
  return Prefix{*ip, ip->v4 ? bits + 96 : bits, text};
}

bool contains(const Prefix& p, const IpAddress& a) {
  int left = p.bits;
  for (std::size_t i = 0; i < 16 && left > 0; ++i, left -= 8) {
    const auto mask = static_cast<std::uint8_t>(left >= 8 ? 0xff : (0xff << (8 - left)) & 0xff);
    if ((p.base.bytes[i] & mask) != (a.bytes[i] & mask)) return false;
  }
  return true;
}

const std::vector<Prefix>& default_bogons() {
  static const std::vector<Prefix> list = [] {
    // RFC 6890 special-purpose registries, minus 198.18.0.0/15 (see header).
    const char* texts[] = {
        "0.0.0.0/8",       "10.0.0.0/8",      "100.64.0.0/10", "127.0.0.0/8",     "169.254.0.0/16",
        "172.16.0.0/12",   "192.0.0.0/24",    "192.0.2.0/24",  "192.168.0.0/16",  "198.51.100.0/24",
        "203.0.113.0/24",  "224.0.0.0/4",     "240.0.0.0/4",   "::/128",          "::1/128",
        "64:ff9b:1::/48",  "100::/64",        "2001:db8::/32", "fc00::/7",        "fe80::/10",
        "ff00::/8",
    };
    std::vector<Prefix> out;
    for (const char* t : texts) out.push_back(*parse_prefix(t));
    return out;
  }();
  return list;
}

std::optional<std::string> bogon_prefix(const std::string& text, const std::vector<Prefix>& list) {
  auto ip = parse_ip(text);
  if (!ip) return std::nullopt;
  for (const auto& p : list)
    if (contains(p, *ip)) return p.text;
  return std::nullopt;
}

}  // namespace ra
