// IP address literals as 16 bytes (IPv4 held as ::ffff:a.b.c.d), prefixes over them, and the test for a literal.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rp {

struct IpAddress {
  std::array<std::uint8_t, 16> bytes{};  // IPv4: ::ffff:a.b.c.d, so one prefix type covers both families
  bool v4 = false;
};

// Parses an IPv4 or IPv6 literal; nullopt for anything else, including a literal with a NUL or a tail.
std::optional<IpAddress> parse_ip(std::string_view text);

// True when text is an IP literal (v4 or v6), i.e. needs no DNS.
bool is_ip_literal(std::string_view text);

struct Prefix {
  IpAddress base;
  int bits = 0;  // prefix length over the 128-bit form
  std::string text;
};

// Parses "a.b.c.d/n" or "v6/n".
std::optional<Prefix> parse_prefix(std::string_view text);
bool contains(const Prefix& p, const IpAddress& a);

}  // namespace rp
