// Pure syntax checks; nothing here resolves a name or touches the network.
#include "catalogue/names.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>

namespace rp {

namespace {

bool is_ldh(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'; }

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_valid_label(std::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  return std::all_of(label.begin(), label.end(), is_ldh);
}

}  // namespace

bool is_valid_hostname(std::string_view name) {
  if (name.empty() || name.size() > 253 || name.back() == '.') return false;
  std::string_view last;
  for (std::size_t start = 0;;) {
    std::size_t dot = name.find('.', start);
    std::string_view label = name.substr(start, dot == std::string_view::npos ? name.npos : dot - start);
    if (!is_valid_label(label)) return false;
    last = label;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  // Nor hex: URL parsers (libcurl, WHATWG) read a last label "0x7f000001" as the IPv4 address 127.0.0.1.
  const bool hex = last.size() >= 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X') &&
                   std::all_of(last.begin() + 2, last.end(),
                               [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
  return !all_digits(last) && !hex;
}

bool is_reserved_name(std::string_view hostname) {
  const std::string name = ascii_lower(hostname);
  auto within = [&](std::string_view zone) {
    return name == zone ||
           (name.size() > zone.size() && name.ends_with(zone) && name[name.size() - zone.size() - 1] == '.');
  };
  for (std::string_view zone :
       {"example", "test", "invalid", "localhost", "local", "example.com", "example.net", "example.org"}) {
    if (within(zone)) return true;
  }
  return false;
}

std::optional<HttpUrl> parse_http_url(std::string_view url) {
  if (url.size() > 2048) return std::nullopt;
  if (std::any_of(url.begin(), url.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u <= 0x20 || u == 0x7F;
      }))
    return std::nullopt;
  HttpUrl out;
  std::size_t colon = url.find("://");
  if (colon == std::string_view::npos) return std::nullopt;
  out.scheme = ascii_lower(url.substr(0, colon));
  if (out.scheme != "http" && out.scheme != "https") return std::nullopt;
  std::string_view rest = url.substr(colon + 3);
  std::size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  out.path = end == std::string_view::npos ? "" : std::string(rest.substr(end));
  if (authority.find('@') != std::string_view::npos) return std::nullopt;
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      port = after.substr(1);
    }
    auto ip = parse_ip(host);
    if (!ip || ip->v4) return std::nullopt;
  } else {
    std::size_t c = authority.rfind(':');
    if (c != std::string_view::npos) {
      host = authority.substr(0, c);
      port = authority.substr(c + 1);
    }
    auto ip = parse_ip(host);
    if (ip && !ip->v4) return std::nullopt;  // IPv6 must be bracketed
    if (!ip && !is_valid_hostname(host)) return std::nullopt;
  }
  out.host = ascii_lower(host);
  if (!port.empty() || (authority.size() && authority.back() == ':')) {
    unsigned value = 0;
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || p != port.data() + port.size() || value == 0 || value > 65535) return std::nullopt;
    out.port = static_cast<uint16_t>(value);
  }
  return out;
}

bool is_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  auto number = [&](std::size_t at, std::size_t len, int& out) {
    auto [p, ec] = std::from_chars(text.data() + at, text.data() + at + len, out);
    return ec == std::errc() && p == text.data() + at + len;
  };
  int y = 0, m = 0, d = 0;
  if (!number(0, 4, y) || !number(5, 2, m) || !number(8, 2, d)) return false;
  if (m < 1 || m > 12 || d < 1) return false;
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int limit = days[m - 1] + (m == 2 && leap ? 1 : 0);
  return d <= limit;
}

}  // namespace rp
