// IP address literals and the bogon list: which answered addresses no public service can live at.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ra {

// An IPv4 address is held as ::ffff:a.b.c.d so one prefix type covers both families.
struct IpAddress {
  std::array<std::uint8_t, 16> bytes{};
  bool v4 = false;
};

std::optional<IpAddress> parse_ip(const std::string& text);

struct Prefix {
  IpAddress base;
  int bits = 0;  // prefix length over the 128-bit form
  std::string text;
};

// Parses "a.b.c.d/n" or "v6/n".
std::optional<Prefix> parse_prefix(const std::string& text);
bool contains(const Prefix& p, const IpAddress& a);

// The default bogon prefixes (private, loopback, link-local, CGNAT, multicast, reserved, ULA ...).
// 198.18.0.0/15 (RFC 2544 benchmarking) is deliberately absent: the lab puts every real host there, and a
// forged answer in it would be caught by the consistency and TLS rules anyway.
const std::vector<Prefix>& default_bogons();

// The first prefix of list containing text, if text is an address inside one.
std::optional<std::string> bogon_prefix(const std::string& text, const std::vector<Prefix>& list);

// True when text is an IP literal (v4 or v6), i.e. needs no DNS.
bool is_ip_literal(const std::string& text);

}  // namespace ra
