// Scrubbing happens on the serialised record, so no field (headers, bodies, DNS answers, captures) can be
// forgotten. Two independent passes rewrite what they recognise (every token that parses as one of our
// addresses, then every known spelling found by search), and a final look at the result, percent-decoded
// too, is what makes "refuse to write what could not be scrubbed" possible.
#include "output/privacy_scrubber.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <optional>
#include <string_view>

#include "net/ip_address.h"
#include "text/text.h"

namespace rp {
namespace {

using Key = std::array<uint8_t, 16>;

bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
bool is_address_char(char c) { return is_hex(c) || c == '.' || c == ':'; }

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

Key v4_key(const uint8_t* octets) {
  Key k{};
  k[10] = k[11] = 0xff;
  std::memcpy(k.data() + 12, octets, 4);
  return k;
}

// A dotted quad whose parts are 1-3 decimal digits up to 255; unlike inet_pton, leading zeros are
// accepted (192.000.002.001 names the same machine to a human reader).
std::optional<Key> parse_v4_lenient(std::string_view s) {
  uint8_t octets[4] = {};
  std::size_t i = 0;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (i >= s.size() || s[i] != '.') return std::nullopt;
      ++i;
    }
    const std::size_t start = i;
    unsigned value = 0;
    while (i < s.size() && is_digit(s[i]) && i - start < 3) value = value * 10 + static_cast<unsigned>(s[i++] - '0');
    if (i == start || value > 255) return std::nullopt;
    octets[part] = static_cast<uint8_t>(value);
  }
  if (i != s.size()) return std::nullopt;
  return v4_key(octets);
}

// Any IPv6 spelling. IPv4-mapped addresses come out as the IPv4 key already; NAT64's well-known prefix
// (64:ff9b::/96) carries an IPv4 address too, and is folded onto it.
std::optional<Key> parse_v6(std::string_view s) {
  if (s.empty() || s.size() > 45) return std::nullopt;
  const std::string z(s);
  in6_addr a{};
  if (inet_pton(AF_INET6, z.c_str(), &a) != 1) return std::nullopt;
  static const uint8_t kNat64[12] = {0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
  if (std::memcmp(a.s6_addr, kNat64, 12) == 0) return v4_key(a.s6_addr + 12);
  Key k{};
  std::memcpy(k.data(), a.s6_addr, 16);
  return k;
}

std::optional<Key> parse_key(std::string_view s) {
  if (auto k = parse_v4_lenient(s)) return k;
  return parse_v6(s);
}

// The part of a run of address characters that is an address, if any: the run itself, or the run without
// surrounding punctuation ("IP:192.0.2.1." in prose), or an IPv4 address with a port (192.0.2.1:443).
struct Found {
  std::size_t offset = 0;
  std::size_t length = 0;
  Key key{};
};

std::optional<Found> address_in_run(std::string_view run) {
  if (run.size() > 64) return std::nullopt;  // far longer than any address; the spelling pass still looks
  const auto attempt = [](std::string_view whole, std::size_t offset, std::size_t length) -> std::optional<Found> {
    if (length == 0) return std::nullopt;
    if (auto k = parse_key(whole.substr(offset, length))) return Found{offset, length, *k};
    return std::nullopt;
  };
  if (auto f = attempt(run, 0, run.size())) return f;
  std::size_t b = 0;
  std::size_t e = run.size();
  while (e > b && (run[e - 1] == '.' || run[e - 1] == ':')) --e;
  if (auto f = attempt(run, 0, e)) return f;
  while (b < e && (run[b] == '.' || run[b] == ':')) ++b;
  if (auto f = attempt(run, b, e - b)) return f;
  const std::size_t colon = run.find(':', b);
  if (colon != std::string_view::npos && colon < e && run.find(':', colon + 1) >= e &&
      std::all_of(run.begin() + static_cast<long>(colon) + 1, run.begin() + static_cast<long>(e), is_digit)) {
    if (auto f = attempt(run, b, colon - b); f && parse_v4_lenient(run.substr(b, colon - b))) return f;
  }
  return std::nullopt;
}

// Rewrites (or, with dry_run, only finds) every run of address characters that parses as one of ours.
template <typename IsOwn>
bool token_pass(std::string& text, const IsOwn& is_own, bool dry_run) {
  std::string out;
  bool found = false;
  std::size_t copied = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_address_char(text[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && is_address_char(text[j])) ++j;
    if (const auto f = address_in_run(std::string_view(text).substr(i, j - i)); f && is_own(f->key)) {
      found = true;
      if (dry_run) return true;
      out.append(text, copied, i + f->offset - copied);
      out += PrivacyScrubber::kMark;
      copied = i + f->offset + f->length;
    }
    i = j;
  }
  if (found && !dry_run) {
    out.append(text, copied, std::string::npos);
    text = std::move(out);
  }
  return found;
}

// Finds (and replaces, unless dry_run) a fixed spelling. IPv4-like spellings are bounded by digits, and
// by a dot with a digit beyond it ("ip:192.0.2.1", "ip-192-0-2-1" and "x-192.0.2.1" count; 192.0.2.10 and
// 10.192.0.2.1 do not): when in doubt, scrub. IPv6 ones also by hex digits and colons.
bool spelling_pass(std::string& text, const std::string& needle, bool ipv6, bool dry_run) {
  bool found = false;
  std::size_t pos = 0;
  const auto continues = [&](std::size_t at, int step) {
    // Does the text go on with more of an address at `at` (walking in direction `step`)?
    if (ipv6 && (is_hex(text[at]) || text[at] == ':')) return true;
    if (is_digit(text[at])) return true;
    if (ipv6 && step < 0) return false;  // nothing that ends in '.' can be the start of an IPv6 address
    const std::size_t next = step > 0 ? at + 1 : at - 1;
    return text[at] == '.' && next < text.size() && is_digit(text[next]);
  };
  while ((pos = text.find(needle, pos)) != std::string::npos) {
    const std::size_t end = pos + needle.size();
    const bool starts = pos == 0 || !continues(pos - 1, -1);
    const bool ends = end >= text.size() || !continues(end, +1);
    if (starts && ends) {
      found = true;
      if (dry_run) return true;
      text.replace(pos, needle.size(), PrivacyScrubber::kMark);
      pos += std::strlen(PrivacyScrubber::kMark);
    } else {
      pos = end;
    }
  }
  return found;
}

// %2E and %3A back to '.' and ':', so that an address in a URL's query string is still recognised.
std::string percent_decoded(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const std::string code = upper(text.substr(i + 1, 2));
      if (code == "2E" || code == "3A") {
        out += code == "2E" ? '.' : ':';
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

}  // namespace

PrivacyScrubber PrivacyScrubber::from_interfaces() {
  PrivacyScrubber s;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return s;
  for (ifaddrs* i = list; i != nullptr; i = i->ifa_next) {
    if (i->ifa_addr == nullptr) continue;
    char buf[INET6_ADDRSTRLEN] = {};
    if (i->ifa_addr->sa_family == AF_INET) {
      inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(i->ifa_addr)->sin_addr, buf, sizeof buf);
    } else if (i->ifa_addr->sa_family == AF_INET6) {
      inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(i->ifa_addr)->sin6_addr, buf, sizeof buf);
    } else {
      continue;
    }
    s.add(buf);
  }
  freeifaddrs(list);
  return s;
}

bool PrivacyScrubber::add(const std::string& address) {
  const std::string a(trim_ascii(address));
  if (a.empty() || a.find('\0') != std::string::npos) return false;
  const auto key = parse_key(a);
  if (!key) return false;
  static const Key kUnspecified{};
  Key loopback6{};
  loopback6[15] = 1;
  const bool v4 = key->at(10) == 0xff && key->at(11) == 0xff &&
                  std::all_of(key->begin(), key->begin() + 10, [](uint8_t b) { return b == 0; });
  if (*key == kUnspecified || *key == loopback6 || (v4 && (key->at(12) == 127 || key->at(12) == 0))) return false;
  char buf[INET6_ADDRSTRLEN] = {};
  if (v4) {
    inet_ntop(AF_INET, key->data() + 12, buf, sizeof buf);
  } else {
    inet_ntop(AF_INET6, key->data(), buf, sizeof buf);
  }
  canonical_.insert(buf);
  return keys_.insert(*key).second;
}

bool PrivacyScrubber::knows(const std::string& address) const {
  const auto key = parse_key(std::string(trim_ascii(address)));
  return key && is_own(*key);
}

std::vector<std::string> PrivacyScrubber::spellings() const {
  std::vector<std::string> out;
  for (const auto& a : canonical_) {
    out.push_back(a);
    if (a.find(':') != std::string::npos) {
      out.push_back(upper(a));
      continue;
    }
    std::string dashed = a;
    std::replace(dashed.begin(), dashed.end(), '.', '-');
    out.push_back(dashed);  // ip-192-0-2-1.dsl.isp.example
    unsigned o[4] = {};
    if (std::sscanf(a.c_str(), "%u.%u.%u.%u", &o[0], &o[1], &o[2], &o[3]) == 4) {
      const std::string reversed = std::to_string(o[3]) + "." + std::to_string(o[2]) + "." + std::to_string(o[1]) +
                                   "." + std::to_string(o[0]) + ".in-addr.arpa";
      out.push_back(reversed);
      out.push_back(upper(reversed));
    }
  }
  return out;
}

bool PrivacyScrubber::scrub(std::string& text) const {
  if (keys_.empty()) return true;
  const auto own = [this](const Key& k) { return is_own(k); };
  token_pass(text, own, false);
  const auto all = spellings();
  for (const auto& s : all) spelling_pass(text, s, s.find(':') != std::string::npos, false);
  // The final look: nothing of ours may be recognisable, not even percent-encoded.
  std::string decoded = percent_decoded(text);
  for (std::string* t : {&text, &decoded}) {
    if (token_pass(*t, own, true)) return false;
    for (const auto& s : all) {
      if (spelling_pass(*t, s, s.find(':') != std::string::npos, true)) return false;
    }
  }
  return true;
}

std::vector<std::string> echoed_client_addresses(const std::vector<std::pair<std::string, std::string>>& headers,
                                                 const std::set<std::string>& peers) {
  static const std::set<std::string> kEchoHeaders = {"x-forwarded-for",  "x-client-ip",    "x-real-ip",
                                                     "cf-connecting-ip", "true-client-ip", "x-originating-ip",
                                                     "forwarded"};
  std::vector<std::string> out;
  for (const auto& [name, value] : headers) {
    if (!kEchoHeaders.count(ascii_lower(name))) continue;
    // Only the first element of a list: X-Forwarded-For and Forwarded name the client first and the
    // proxies after it, and a proxy's address is not ours. "for=" parameters in Forwarded; brackets and
    // ports around IPv6/IPv4.
    std::size_t start = 0;
    for (int items = 0; items < 1 && start <= value.size(); ++items) {
      const std::size_t comma = value.find_first_of(",;", start);
      std::string item(trim_ascii(value.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
      start = comma == std::string::npos ? value.size() + 1 : comma + 1;
      if (ascii_lower(item).rfind("for=", 0) == 0) item = item.substr(4);
      item.erase(std::remove(item.begin(), item.end(), '"'), item.end());
      if (!item.empty() && item.front() == '[') item = item.substr(1, item.find(']') - 1);
      if (std::count(item.begin(), item.end(), ':') == 1) item = item.substr(0, item.find(':'));  // v4:port
      item = ascii_lower(item);
      if (is_ip_literal(item) && !peers.count(item)) out.push_back(item);
    }
  }
  return out;
}

}  // namespace rp
