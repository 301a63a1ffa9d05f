// Scrubbing happens on the serialised record, so no field (headers, bodies, DNS answers, captures) can be
// forgotten; the final check is what makes "refuse to write what could not be scrubbed" possible.
#include "output/privacy_scrubber.h"

#include <ifaddrs.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

#include "net/ip_address.h"

namespace rp {
namespace {

bool is_address_char(char c) { return std::isxdigit(static_cast<unsigned char>(c)) || c == '.' || c == ':'; }

bool is_loopback(const std::string& ip) { return ip.rfind("127.", 0) == 0 || ip == "::1"; }

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string trim(std::string s) {
  const auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
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

void PrivacyScrubber::add(const std::string& address) {
  const std::string a = lower(trim(address));
  if (a.empty() || !is_ip_literal(a) || is_loopback(a)) return;
  addresses_.insert(a);
}

bool PrivacyScrubber::scrub(std::string& text) const {
  const auto replace_all = [&text](const std::string& needle, bool dry_run) {
    bool found = false;
    std::size_t pos = 0;
    while ((pos = text.find(needle, pos)) != std::string::npos) {
      const bool starts = pos == 0 || !is_address_char(text[pos - 1]);
      const std::size_t end = pos + needle.size();
      // A following '.' or ':' would make it a longer address only if an address character follows it.
      const bool ends = end >= text.size() || !(std::isxdigit(static_cast<unsigned char>(text[end])) ||
                                                ((text[end] == '.' || text[end] == ':') && end + 1 < text.size() &&
                                                 std::isxdigit(static_cast<unsigned char>(text[end + 1]))));
      if (starts && ends) {
        found = true;
        if (dry_run) return true;
        text.replace(pos, needle.size(), kMark);
        pos += std::string(kMark).size();
      } else {
        pos = end;
      }
    }
    return found;
  };
  for (const auto& a : addresses_) replace_all(a, false);
  // Upper-case spellings of IPv6 addresses are as revealing as lower-case ones.
  for (const auto& a : addresses_) {
    std::string upper = a;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (upper != a) replace_all(upper, false);
  }
  for (const auto& a : addresses_) {
    if (replace_all(a, true)) return false;
  }
  return true;
}

std::vector<std::string> echoed_client_addresses(const std::vector<std::pair<std::string, std::string>>& headers,
                                                 const std::set<std::string>& peers) {
  static const std::set<std::string> kEchoHeaders = {"x-forwarded-for", "x-client-ip", "x-real-ip",
                                                     "cf-connecting-ip", "true-client-ip", "x-originating-ip",
                                                     "forwarded"};
  std::vector<std::string> out;
  for (const auto& [name, value] : headers) {
    if (!kEchoHeaders.count(lower(name))) continue;
    // Comma-separated lists; "for=" parameters in Forwarded; brackets and ports around IPv6/IPv4.
    std::size_t start = 0;
    for (int items = 0; items < 32 && start <= value.size(); ++items) {
      const std::size_t comma = value.find_first_of(",;", start);
      std::string item = trim(value.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      start = comma == std::string::npos ? value.size() + 1 : comma + 1;
      if (lower(item).rfind("for=", 0) == 0) item = item.substr(4);
      item.erase(std::remove(item.begin(), item.end(), '"'), item.end());
      if (!item.empty() && item.front() == '[') item = item.substr(1, item.find(']') - 1);
      if (std::count(item.begin(), item.end(), ':') == 1) item = item.substr(0, item.find(':'));  // v4:port
      item = lower(item);
      if (is_ip_literal(item) && !peers.count(item)) out.push_back(item);
    }
  }
  return out;
}

}  // namespace rp
