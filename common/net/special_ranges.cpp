// The special-purpose table itself; see special_ranges.h.
#include "net/special_ranges.h"

#include <array>

namespace rp {
namespace {

struct Range {
  std::string_view prefix;
  bool local;         // the volunteer's own machine or networks (or nobody's): never a target of our choosing
  bool benchmarking;  // 198.18.0.0/15: ordinary under --allow-special-purpose (the lab)
};

// RFC 6890's IPv4 and IPv6 special-purpose registries, plus multicast and the old class E space.
constexpr std::array kRanges{
    Range{"0.0.0.0/8", true, false},       Range{"10.0.0.0/8", true, false},     Range{"100.64.0.0/10", true, false},
    Range{"127.0.0.0/8", true, false},     Range{"169.254.0.0/16", true, false}, Range{"172.16.0.0/12", true, false},
    Range{"192.0.0.0/24", false, false},   Range{"192.0.2.0/24", false, false},  Range{"192.88.99.0/24", false, false},
    Range{"192.168.0.0/16", true, false},  Range{"198.18.0.0/15", true, true},   Range{"198.51.100.0/24", false, false},
    Range{"203.0.113.0/24", false, false}, Range{"224.0.0.0/4", true, false},    Range{"240.0.0.0/4", true, false},
    Range{"::/128", true, false},          Range{"::1/128", true, false},        Range{"64:ff9b:1::/48", false, false},
    Range{"100::/64", false, false},       Range{"2001:db8::/32", false, false}, Range{"fc00::/7", true, false},
    Range{"fe80::/10", true, false},       Range{"ff00::/8", true, false},
};

struct ParsedRange {
  Prefix prefix;
  bool local;
  bool benchmarking;
};

const std::vector<ParsedRange>& parsed_ranges() {
  static const std::vector<ParsedRange> table = [] {
    std::vector<ParsedRange> out;
    for (const Range& r : kRanges) out.push_back({*parse_prefix(r.prefix), r.local, r.benchmarking});
    return out;
  }();
  return table;
}

bool applies(const ParsedRange& r, const AddressPolicy& policy) {
  return !(r.benchmarking && policy.allow_special_purpose);
}

}  // namespace

std::vector<Prefix> special_purpose_ranges(const AddressPolicy& policy) {
  std::vector<Prefix> out;
  for (const auto& r : parsed_ranges())
    if (applies(r, policy)) out.push_back(r.prefix);
  return out;
}

std::optional<std::string> special_purpose_range_of(std::string_view text, const AddressPolicy& policy) {
  const auto ip = parse_ip(text);
  if (!ip) return std::nullopt;
  for (const auto& r : parsed_ranges())
    if (applies(r, policy) && contains(r.prefix, *ip)) return r.prefix.text;
  return std::nullopt;
}

bool is_special_purpose(const IpAddress& ip, const AddressPolicy& policy) {
  for (const auto& r : parsed_ranges())
    if (applies(r, policy) && contains(r.prefix, ip)) return true;
  return false;
}

bool is_local_or_private(std::string_view text, const AddressPolicy& policy) {
  const auto ip = parse_ip(text);
  if (!ip) return false;
  for (const auto& r : parsed_ranges())
    if (r.local && applies(r, policy) && contains(r.prefix, *ip)) return true;
  return false;
}

}  // namespace rp
