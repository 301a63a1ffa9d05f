// The bogon list (see netaddr.h).
#include "netaddr.h"

namespace ra {

std::vector<Prefix> default_bogons(const AddressPolicy& policy) { return rp::special_purpose_ranges(policy); }

std::optional<std::string> bogon_prefix(std::string_view text, const std::vector<Prefix>& list) {
  const auto ip = rp::parse_ip(text);
  if (!ip) return std::nullopt;
  for (const auto& p : list)
    if (rp::contains(p, *ip)) return p.text;
  return std::nullopt;
}

}  // namespace ra
